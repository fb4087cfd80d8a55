import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** libvirt's state directories, each replaced in the second daemon's mount namespace by one of its own. */
const PRIVATE_DIRS: Record<string, string> = {
  etc: '/etc/libvirt', run: '/run/libvirt', lib: '/var/lib/libvirt', cache: '/var/cache/libvirt', log: '/var/log/libvirt',
};

export interface SecondLibvirtd {
  dir: string;
  /** The host UUID it reports (libvirt refuses to live-migrate between daemons with the same one). */
  hostUuid: string;
  /** libvirtd's pid: `nsenter -t PID -m` enters its mount namespace, where /run/libvirt is its own. */
  pid: number;
  /** A URI that reaches it from outside its namespace (its socket, through the bind-mounted directory). */
  uri: string;
  virsh(...args: string[]): string;
  /** Destroys and undefines its domains, stops its daemons, removes its files. The namespace and its mounts go with its last process: stop an sshd started in it first. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Running (a zombie left for whoever adopted the daemon counts as gone). */
function alive(pid: number): boolean {
  try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

/**
 * A second, independent libvirtd on this machine, so two compute hosts can live-migrate between
 * each other: virtlogd and libvirtd started in a private mount namespace in which libvirt's
 * /etc, /run, /var/lib, /var/cache and /var/log directories are bind-mounted from a temp dir, with a
 * host_uuid of its own. The main libvirtd (/run/libvirt) is not touched. Everything else (/tmp,
 * QEMU, the network) is shared, so QEMU migrates over 127.0.0.1. Reach it through an sshd started in
 * the same namespace (support.ts startSshd({ mountNamespaceOf: pid })) or through `uri`.
 */
export async function startSecondLibvirtd(): Promise<SecondLibvirtd> {
  await reapOrphans();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), DIR_PREFIX));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  const hostUuid = randomUUID();
  for (const d of Object.keys(PRIVATE_DIRS)) fs.mkdirSync(path.join(dir, d));
  fs.cpSync('/etc/libvirt', path.join(dir, 'etc'), { recursive: true });
  // No domains or autostarted networks of the main daemon's.
  for (const f of fs.readdirSync(path.join(dir, 'etc', 'qemu'))) if (f.endsWith('.xml')) fs.rmSync(path.join(dir, 'etc', 'qemu', f));
  fs.rmSync(path.join(dir, 'etc', 'qemu', 'networks', 'autostart'), { recursive: true, force: true });
  fs.appendFileSync(path.join(dir, 'etc', 'libvirtd.conf'), `\nhost_uuid = "${hostUuid}"\n`);
  fs.mkdirSync(path.join(dir, 'lib', 'qemu'), { mode: 0o750 });
  execFileSync('chown', ['libvirt-qemu:libvirt-qemu', path.join(dir, 'lib', 'qemu')]);
  fs.mkdirSync(path.join(dir, 'log', 'qemu'));

  const mounts = Object.entries(PRIVATE_DIRS).map(([d, target]) => `mount --bind ${dir}/${d} ${target}`);
  // Daemon pid files outside /run: /run/libvirtd.pid is the main daemon's (and locked by it).
  execFileSync('unshare', ['-m', '--propagation', 'private', 'sh', '-ec',
    [...mounts, `virtlogd -d -p ${dir}/virtlogd.pid`, `libvirtd -d -p ${dir}/libvirtd.pid`].join('\n')], { stdio: 'pipe' });
  const uri = uriOf(dir);
  const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', timeout: 120_000 });
  const until = Date.now() + 60_000;
  for (;;) {
    try { virsh('version'); break; } catch (e) {
      if (Date.now() > until) {
        await stopIn(dir);
        throw new Error(`the second libvirtd in ${dir} did not answer: ${(e as Error).message}`);
      }
      await sleep(200);
    }
  }
  return { dir, hostUuid, pid: pidIn(dir, 'libvirtd')!, uri, virsh, stop: () => stopIn(dir) };
}

const DIR_PREFIX = 'nova-libvirtd2-';
const uriOf = (dir: string) => `qemu+unix:///system?socket=${dir}/run/libvirt-sock`;

function pidIn(dir: string, name: string): number | null {
  try { return Number(fs.readFileSync(path.join(dir, `${name}.pid`), 'utf8').trim()) || null; } catch { return null; }
}

function commOf(pid: number): string {
  try { return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { return ''; }
}

/** Destroys and undefines the daemon's domains, stops virtlogd and libvirtd (by their pid files) and removes the directory. */
async function stopIn(dir: string): Promise<void> {
  // Only a live process of that name: a pid file outliving its daemon may name someone else's process now.
  const daemons = (['libvirtd', 'virtlogd'] as const).map((name) => ({ name, pid: pidIn(dir, name) }))
    .filter(({ name, pid }) => pid !== null && alive(pid) && commOf(pid) === name).map(({ pid }) => pid!);
  if (daemons.length) {
    const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', uriOf(dir), ...args], { encoding: 'utf8', timeout: 60_000, stdio: 'pipe' });
    let names: string[] = [];
    try { names = virsh('list', '--all', '--name').split('\n').map((s) => s.trim()).filter(Boolean); } catch { /* daemon not answering */ }
    for (const n of names) {
      try { virsh('destroy', n); } catch { /* not running */ }
      try { virsh('undefine', n); } catch { /* transient */ }
    }
    for (const p of daemons) process.kill(p, 'SIGTERM');
    const by = Date.now() + 30_000;
    while (daemons.some(alive) && Date.now() < by) await sleep(100);
    for (const p of daemons) if (alive(p)) process.kill(p, 'SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Second daemons whose test process died without stopping them (killed by a timeout, say). */
async function reapOrphans(): Promise<void> {
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), entry);
    const owner = pidIn(dir, 'owner');
    if (owner !== null && !alive(owner)) await stopIn(dir);
  }
}
