import { Readable } from 'node:stream';

/**
 * Everything the libvirt driver does on the hypervisor host goes through one of these: commands
 * (virsh, qemu-img, ...) and file operations. `LocalExecutor` does them on this machine,
 * `SshExecutor` on another one over SSH, so the driver has one code path for both.
 */
export interface HostExecutor {
  /** `local` or `ssh://user@host:port`, for messages. */
  readonly description: string;
  /** Runs a program (no shell). Resolves on exit codes 0 and `okCodes`, else rejects with CommandFailed. */
  run(cmd: string, args: string[], opts?: RunOptions): Promise<RunResult>;
  readFile(path: string): Promise<Buffer>;
  /** The last `maxBytes` of a file. */
  readTail(path: string, maxBytes: number): Promise<Buffer>;
  writeFile(path: string, data: string | Buffer): Promise<void>;
  createReadStream(path: string): Promise<Readable>;
  /** Writes a stream to a file; resolves once the file is complete on the host. */
  writeStream(path: string, source: Readable): Promise<void>;
  /** null when nothing is at `path`. */
  stat(path: string): Promise<FileStat | null>;
  listDir(path: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file or a directory tree; nothing at `path` is fine. */
  remove(path: string): Promise<void>;
  /** Creates a directory and its parents. */
  mkdir(path: string): Promise<void>;
  close(): Promise<void>;
}

export interface RunOptions {
  stdin?: string | Buffer;
  /** Kills the command after this many milliseconds (default 10 minutes). */
  timeoutMs?: number;
  /** Exit codes besides 0 that are not failures. */
  okCodes?: number[];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FileStat {
  size: number;
  mtimeMs: number;
  isDirectory: boolean;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60 * 1000;

/** A command that exited with a code it should not have; the message carries its stderr. */
export class CommandFailed extends Error {
  constructor(readonly command: string, readonly code: number, readonly stdout: string, readonly stderr: string, where: string) {
    const detail = stderr.trim() || stdout.trim() || '(no output)';
    super(`${command} failed on ${where} with exit code ${code}: ${detail}`);
    this.name = 'CommandFailed';
  }
}

/** Quotes words for a POSIX shell (what an SSH exec channel runs). */
export function shellQuote(words: string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Describes a command for messages: the program and its first arguments. */
export function commandLine(cmd: string, args: string[]): string {
  const words = [cmd, ...args];
  const text = shellQuote(words);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
