import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import { Logger } from '../../../lib/log';
import { Semaphore } from '../../../lib/semaphore';
import { checkHostKey, fingerprint, knownHostsLine, knownHostsName } from './known_hosts';
import {
  CommandFailed, commandLine, DEFAULT_COMMAND_TIMEOUT_MS, FileStat, HostExecutor, RunOptions, RunResult, shellQuote,
} from './types';

export type StrictHostKeyChecking = 'yes' | 'accept-new' | 'no';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
}

export interface SshOptions {
  privateKeyPath: string;
  knownHostsFile: string;
  strictHostKeyChecking: StrictHostKeyChecking;
  connectTimeoutSec: number;
}

/** An SSH connection or host key problem: the message names the host and the fix. */
export class SshError extends Error {
  constructor(message: string) { super(message); this.name = 'SshError'; }
}

const SFTP_NO_SUCH_FILE = 2;
/** sshd allows 10 sessions per connection by default (MaxSessions); stay under it. */
const MAX_CHANNELS = 8;

/**
 * Runs commands (exec channels) and file operations (SFTP) on another host over one kept-open SSH
 * connection, authenticating with a key and checking the host key against a known_hosts file.
 * A dropped connection is opened again on the next operation.
 */
export class SshExecutor implements HostExecutor {
  readonly description: string;
  private client?: Promise<Client>;
  private sftpSession?: Promise<SFTPWrapper>;
  private channels = new Semaphore(MAX_CHANNELS);
  private hostKeyProblem?: string;

  constructor(readonly target: SshTarget, private opts: SshOptions, private log: Logger) {
    this.description = `ssh://${target.username}@${target.host}:${target.port}`;
  }

  private connection(): Promise<Client> {
    this.client ??= this.connect().catch((e) => { this.client = undefined; throw e; });
    return this.client;
  }

  private connect(): Promise<Client> {
    let privateKey: Buffer;
    try {
      privateKey = fs.readFileSync(this.opts.privateKeyPath);
    } catch (e) {
      return Promise.reject(new SshError(`cannot read the SSH private key ${this.opts.privateKeyPath} for ${this.description}: `
        + `${(e as Error).message} (set [libvirt] ssh_private_key)`));
    }
    return new Promise((resolve, reject) => {
      const client = new Client();
      this.hostKeyProblem = undefined;
      const config: ConnectConfig = {
        host: this.target.host, port: this.target.port, username: this.target.username, privateKey,
        readyTimeout: this.opts.connectTimeoutSec * 1000, keepaliveInterval: 15000, keepaliveCountMax: 4,
        hostVerifier: (key: Buffer) => this.verifyHostKey(key),
      };
      client.once('ready', () => {
        client.on('close', () => { this.client = undefined; this.sftpSession = undefined; });
        resolve(client);
      });
      client.once('error', (e) => {
        const reason = this.hostKeyProblem ?? `cannot connect to ${this.description}: ${e.message}`
          + ((e as { level?: string }).level === 'client-authentication'
            ? ` (the key ${this.opts.privateKeyPath} is not authorized for ${this.target.username} on that host)` : '');
        reject(new SshError(reason));
      });
      client.on('error', (e) => this.log.warn(`ssh ${this.description}: ${e.message}`));
      client.connect(config);
    });
  }

  /** Decides on the key the server presented; records why when it refuses. */
  private verifyHostKey(key: Buffer): boolean {
    const { knownHostsFile, strictHostKeyChecking } = this.opts;
    const { host, port } = this.target;
    let text = '';
    try { text = fs.readFileSync(knownHostsFile, 'utf8'); } catch { /* no file: every key is unknown */ }
    const verdict = checkHostKey(text, host, port, key);
    const fp = fingerprint(key);
    const name = knownHostsName(host, port);
    switch (verdict.status) {
      case 'known':
        return true;
      case 'revoked':
        this.hostKeyProblem = `host key ${fp} of ${name} is marked @revoked in ${knownHostsFile}:${verdict.line}; refusing to connect`;
        return false;
      case 'changed':
        if (strictHostKeyChecking === 'no') {
          this.log.warn(`host key of ${name} changed (now ${fp}; ${knownHostsFile}:${verdict.line} has another); accepted because ssh_strict_host_key_checking = no`);
          return true;
        }
        this.hostKeyProblem = `host key of ${name} has CHANGED: it presented ${fp}, which does not match ${knownHostsFile}:${verdict.line}. `
          + 'Someone may be intercepting the connection, or the host was reinstalled: check the key and update the known_hosts file';
        return false;
      case 'unknown':
        if (strictHostKeyChecking === 'yes') {
          this.hostKeyProblem = `host key ${fp} of ${name} is not in ${knownHostsFile}: add it (ssh-keyscan -p ${port} ${host} >> ${knownHostsFile}, `
            + 'after checking the fingerprint) or set [libvirt] ssh_strict_host_key_checking = accept-new';
          return false;
        }
        if (strictHostKeyChecking === 'accept-new') {
          try {
            const prefix = text === '' || text.endsWith('\n') ? '' : '\n';
            fs.appendFileSync(knownHostsFile, `${prefix}${knownHostsLine(host, port, key)}\n`, { mode: 0o600 });
            this.log.info(`added host key ${fp} of ${name} to ${knownHostsFile}`);
          } catch (e) {
            this.hostKeyProblem = `cannot record the host key of ${name} in ${knownHostsFile}: ${(e as Error).message}`;
            return false;
          }
        } else {
          this.log.warn(`host key ${fp} of ${name} is unknown; accepted because ssh_strict_host_key_checking = no`);
        }
        return true;
    }
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= this.connection().then((c) => new Promise<SFTPWrapper>((resolve, reject) => {
      c.sftp((err, s) => (err ? reject(new SshError(`cannot open SFTP on ${this.description}: ${err.message}`)) : resolve(s)));
    })).catch((e) => { this.sftpSession = undefined; throw e; });
    return this.sftpSession;
  }

  async run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const client = await this.connection();
    return this.channels.run(() => new Promise<RunResult>((resolve, reject) => {
      client.exec(`LC_ALL=C ${shellQuote([cmd, ...args])}`, (err, stream: ClientChannel) => {
        if (err) { reject(new SshError(`cannot run ${cmd} on ${this.description}: ${err.message}`)); return; }
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let timedOut = false;
        const timer = setTimeout(() => { timedOut = true; stream.signal('KILL'); stream.close(); }, opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
        stream.on('data', (b: Buffer) => out.push(b));
        stream.stderr.on('data', (b: Buffer) => errOut.push(b));
        stream.on('close', (code: number | null, signal?: string) => {
          clearTimeout(timer);
          const result = { code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8') };
          if (timedOut) result.stderr += '\n(killed: timed out)';
          else if (signal) result.stderr += `\n(killed by ${signal})`;
          if (code === 127 && !result.stderr.trim()) result.stderr = `${cmd}: command not found`;
          if (result.code === 0 || opts.okCodes?.includes(result.code)) resolve(result);
          else reject(new CommandFailed(commandLine(cmd, args), result.code, result.stdout, result.stderr, this.description));
        });
        stream.end(opts.stdin ?? '');
      });
    }));
  }

  private async call<T>(what: string, path: string, fn: (s: SFTPWrapper, cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> {
    const s = await this.sftp();
    return new Promise<T>((resolve, reject) => fn(s, (err, v) => {
      if (err) reject(Object.assign(new Error(`${what} ${path} on ${this.description}: ${err.message}`), { code: (err as { code?: number }).code }));
      else resolve(v as T);
    }));
  }

  readFile(path: string): Promise<Buffer> {
    return this.call<Buffer>('reading', path, (s, cb) => s.readFile(path, (e, d) => cb(e, d)));
  }

  async readTail(path: string, maxBytes: number): Promise<Buffer> {
    const size = (await this.call<{ size: number }>('stat of', path, (s, cb) => s.stat(path, cb))).size;
    const length = Math.min(size, maxBytes);
    const handle = await this.call<Buffer>('opening', path, (s, cb) => s.open(path, 'r', cb));
    try {
      const buf = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const n = await this.call<number>('reading', path, (s, cb) => s.read(handle, buf, done, length - done, size - length + done, (e, bytes) => cb(e, bytes)));
        if (n <= 0) break;
        done += n;
      }
      return buf.subarray(0, done);
    } finally {
      await this.call('closing', path, (s, cb) => s.close(handle, cb)).catch(() => undefined);
    }
  }

  writeFile(path: string, data: string | Buffer): Promise<void> {
    return this.call<void>('writing', path, (s, cb) => s.writeFile(path, data, cb));
  }

  async createReadStream(path: string): Promise<Readable> {
    await this.call('stat of', path, (s, cb) => s.stat(path, cb));
    return (await this.sftp()).createReadStream(path);
  }

  async writeStream(path: string, source: Readable): Promise<void> {
    const s = await this.sftp();
    await pipeline(source, s.createWriteStream(path));
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      const st = await this.call<{ size: number; mtime: number; isDirectory(): boolean }>('stat of', path, (s, cb) => s.stat(path, cb));
      return { size: st.size, mtimeMs: st.mtime * 1000, isDirectory: st.isDirectory() };
    } catch (e) {
      if ((e as { code?: number }).code === SFTP_NO_SUCH_FILE) return null;
      throw e;
    }
  }

  async listDir(path: string): Promise<string[]> {
    const entries = await this.call<Array<{ filename: string }>>('listing', path, (s, cb) => s.readdir(path, cb));
    return entries.map((e) => e.filename);
  }

  /** rename(2) semantics (an existing target is replaced), through OpenSSH's posix-rename extension. */
  rename(from: string, to: string): Promise<void> {
    return this.call<void>('renaming', from, (s, cb) => s.ext_openssh_rename(from, to, cb));
  }

  async remove(path: string): Promise<void> { await this.run('rm', ['-rf', '--', path]); }
  async mkdir(path: string): Promise<void> { await this.run('mkdir', ['-p', '--', path]); }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.sftpSession = undefined;
    if (c) (await c.catch(() => undefined))?.end();
  }
}
