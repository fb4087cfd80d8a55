import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.join(__dirname, '..', '..', '..');
export const NOVA_BIN = path.join(REPO, 'bin', 'run.js');
export const NOVA_DAEMON_BIN = path.join(REPO, 'bin', 'nova-daemon.js');

export interface RunResult { code: number | null; stdout: string; stderr: string }

/** Runs the `nova` CLI (or nova-daemon) as a child process to completion. */
export function runCli(args: string[], opts: { bin?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.bin ?? NOVA_BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`nova ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 30000} ms\n${stderr}`)); }, opts.timeoutMs ?? 30000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** Starts a long-running `nova daemon ...` child; its output is kept for failure messages. */
export function startDaemonProcess(args: string[], opts: { bin?: string; env?: Record<string, string> } = {}): ChildProcess & { output(): string } {
  const child = spawn(process.execPath, [opts.bin ?? NOVA_BIN, ...args], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  return Object.assign(child, { output: () => out });
}

/** A free TCP port on 127.0.0.1 (released before returning). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Writes a nova.conf from sections into a fresh temporary directory; returns its path. */
export function writeConf(sections: Record<string, Record<string, string | number | boolean>>, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-conf-'))): string {
  const text = Object.entries(sections).map(([g, opts]) => `[${g}]\n${Object.entries(opts).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`).join('\n');
  const file = path.join(dir, `nova-${Object.keys(sections).length}-${Date.now()}.conf`);
  fs.writeFileSync(file, text);
  return file;
}
