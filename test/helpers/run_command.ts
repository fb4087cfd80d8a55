import * as path from 'node:path';
import { Config, run } from '@oclif/core';
import { hoistClientOptions } from '../../src/cli/argv';

export interface CommandOutput {
  stdout: string;
  stderr: string;
  /** 0 on success, else the exit code the CLI would end with. */
  exitCode: number;
  /** stdout parsed as JSON (for --json runs). */
  json<T = any>(): T;
}

let config: Config | undefined;
const ROOT = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Runs `nova ARGV...` in this process as bin/run.js would (same oclif config, aliases and topics),
 * capturing stdout and stderr. OS_* variables of the surrounding shell are hidden unless given in `env`.
 */
export async function nova(argv: string[], env: Record<string, string> = {}): Promise<CommandOutput> {
  config ??= await Config.load(ROOT);
  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) if (/^(OS_|NOVACLIENT_|NOVA_ENDPOINT)/.test(k)) delete process.env[k];
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const capture = (sink: string[]) => ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  let exitCode = 0;
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await run(hoistClientOptions(argv), config);
    exitCode = Number(process.exitCode ?? 0);
  } catch (e) {
    const oclif = (e as { oclif?: { exit?: number } }).oclif;
    exitCode = oclif?.exit ?? 1;
    if ((e as Error).message && !/^EEXIT/.test((e as Error).message)) err.push(`${(e as Error).message}\n`);
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    process.exitCode = previousExitCode;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  const stdout = out.join('').replace(ANSI, '');
  return { stdout, stderr: err.join('').replace(ANSI, ''), exitCode, json: () => JSON.parse(stdout) };
}

/** Rows of a novaclient-style table as objects keyed by the header titles (cells cut at the border's `+`s). */
export function parseTable(text: string): Array<Record<string, string>> {
  const all = text.split('\n');
  const border = all.find((l) => /^\+-/.test(l));
  const lines = all.filter((l) => l.startsWith('|'));
  if (!border || lines.length === 0) return [];
  const cuts = [...border].map((c, i) => (c === '+' ? i : -1)).filter((i) => i >= 0);
  const cells = (l: string) => cuts.slice(0, -1).map((start, i) => l.slice(start + 1, cuts[i + 1]).trim());
  const head = cells(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((c, i) => [head[i], c])));
}

/** A `Property | Value` table as a record (continuation rows appended to the previous property). */
export function parseDict(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last = '';
  for (const row of parseTable(text)) {
    const k = row.Property;
    if (k) { out[k] = row.Value; last = k; } else if (last) out[last] += `\n${row.Value}`;
  }
  return out;
}
