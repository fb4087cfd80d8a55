import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CommandFailed, commandLine, DEFAULT_COMMAND_TIMEOUT_MS, FileStat, HostExecutor, RunOptions, RunResult,
} from './types';

/** Runs commands and file operations on this machine (child_process and fs). */
export class LocalExecutor implements HostExecutor {
  readonly description = 'local';

  run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        const hint = (e as NodeJS.ErrnoException).code === 'ENOENT' ? ` (is ${cmd} installed? see scripts/ci/setup-libvirt.sh)` : '';
        reject(new Error(`cannot run ${cmd} on this host: ${e.message}${hint}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const result = { code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
        if (signal) result.stderr += `\n(killed by ${signal}${signal === 'SIGKILL' ? ', timed out' : ''})`;
        if (result.code === 0 || opts.okCodes?.includes(result.code)) resolve(result);
        else reject(new CommandFailed(commandLine(cmd, args), result.code, result.stdout, result.stderr, this.description));
      });
      child.stdin.on('error', () => undefined); // the command may exit without reading its input
      child.stdin.end(opts.stdin ?? '');
    });
  }

  readFile(path: string): Promise<Buffer> { return fsp.readFile(path); }

  async readTail(path: string, maxBytes: number): Promise<Buffer> {
    const fh = await fsp.open(path, 'r');
    try {
      const { size } = await fh.stat();
      const length = Math.min(size, maxBytes);
      const buf = Buffer.alloc(length);
      await fh.read(buf, 0, length, size - length);
      return buf;
    } finally {
      await fh.close();
    }
  }

  writeFile(path: string, data: string | Buffer): Promise<void> { return fsp.writeFile(path, data); }

  async createReadStream(path: string): Promise<Readable> {
    await fsp.access(path, fs.constants.R_OK);
    return fs.createReadStream(path);
  }

  async writeStream(path: string, source: Readable): Promise<void> {
    await pipeline(source, fs.createWriteStream(path));
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      const s = await fsp.stat(path);
      return { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory() };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  listDir(path: string): Promise<string[]> { return fsp.readdir(path); }
  rename(from: string, to: string): Promise<void> { return fsp.rename(from, to); }
  remove(path: string): Promise<void> { return fsp.rm(path, { recursive: true, force: true }); }
  async mkdir(path: string): Promise<void> { await fsp.mkdir(path, { recursive: true }); }
  async close(): Promise<void> {}
}
