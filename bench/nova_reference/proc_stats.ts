import * as fs from 'node:fs';

/** Clock ticks per second of /proc/PID/stat times (USER_HZ; 100 on Linux x86). */
const HZ = 100;

function statFields(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch { return undefined; }
}

/** The given processes and all their descendants that are alive now. */
export function processTree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (!f) continue;
    const ppid = Number(f[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const todo = roots.filter((p) => fs.existsSync(`/proc/${p}`));
  while (todo.length) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** User plus system CPU seconds a process has used so far. */
function cpuSeconds(pid: number): number | undefined {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / HZ : undefined;
}

/** Proportional set size (shared pages split among sharers) and resident size, in KiB. */
function memoryKiB(pid: number): { pss: number; rss: number } {
  try {
    const text = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { pss: field('Pss'), rss: field('Rss') };
  } catch { return { pss: 0, rss: 0 }; }
}

export interface IdleStats { processes: number; pssMiB: number; rssMiB: number; cpuPercent: number; perProcess: string }

/**
 * Memory of every process in the trees now, and the CPU they use over `seconds` of idling (as % of
 * one core; processes that exit during the window are left out).
 */
export async function idleStats(roots: number[], seconds: number, label: (pid: number) => string): Promise<IdleStats> {
  const pids = processTree(roots);
  const before = new Map(pids.map((p) => [p, cpuSeconds(p)]));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  let cpu = 0;
  for (const p of pids) {
    const a = before.get(p);
    const b = cpuSeconds(p);
    if (a !== undefined && b !== undefined) cpu += b - a;
  }
  const mem = new Map(pids.map((p) => [p, memoryKiB(p)]));
  const byLabel = new Map<string, { n: number; pss: number }>();
  for (const [p, m] of mem) {
    const l = label(p);
    const e = byLabel.get(l) ?? { n: 0, pss: 0 };
    byLabel.set(l, { n: e.n + 1, pss: e.pss + m.pss });
  }
  const sum = (k: 'pss' | 'rss') => [...mem.values()].reduce((s, m) => s + m[k], 0) / 1024;
  return {
    processes: pids.length, pssMiB: sum('pss'), rssMiB: sum('rss'), cpuPercent: (cpu / seconds) * 100,
    perProcess: [...byLabel].map(([l, e]) => `${l} ${e.n}x ${(e.pss / 1024).toFixed(0)} MiB`).join(', '),
  };
}

/** A short name for a process: its command line's program and first telling argument. */
export function commandLabel(pid: number): string {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const prog = argv.find((a) => /nova-|placement|uwsgi|run\.js/.test(a)) ?? argv[0] ?? '?';
    if (prog.endsWith('run.js')) return `nova daemon ${argv[argv.indexOf('daemon') + 1] ?? '?'}`;
    if (prog === 'uwsgi') return `uwsgi ${(argv.find((a) => a.endsWith('.ini')) ?? '').replace(/^.*\/|-uwsgi\.ini$/g, '')}`;
    return prog.replace(/^.*\//, '');
  } catch { return '?'; }
}
