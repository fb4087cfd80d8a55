import * as fs from 'node:fs';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
}

export interface LogOptions { level?: Level; json?: boolean; file?: string; quiet?: boolean }

/** A small structured logger: one line per event, to stderr or a file, text or JSON. */
export class StreamLogger implements Logger {
  private static streams = new Map<string, fs.WriteStream>();
  constructor(private name: string, private opts: LogOptions = {}) {}

  private write(level: Level, msg: string, fields?: Record<string, unknown>): void {
    if (this.opts.quiet || ORDER[level] < ORDER[this.opts.level ?? 'info']) return;
    const time = new Date().toISOString();
    const line = this.opts.json
      ? JSON.stringify({ time, level, name: this.name, msg, ...fields })
      : `${time} ${level.toUpperCase().padEnd(5)} ${this.name} ${msg}${fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : ''}`;
    if (this.opts.file) {
      let s = StreamLogger.streams.get(this.opts.file);
      if (!s) { s = fs.createWriteStream(this.opts.file, { flags: 'a' }); StreamLogger.streams.set(this.opts.file, s); }
      s.write(line + '\n');
    } else {
      process.stderr.write(line + '\n');
    }
  }

  debug(m: string, f?: Record<string, unknown>): void { this.write('debug', m, f); }
  info(m: string, f?: Record<string, unknown>): void { this.write('info', m, f); }
  warn(m: string, f?: Record<string, unknown>): void { this.write('warn', m, f); }
  error(m: string, f?: Record<string, unknown>): void { this.write('error', m, f); }
  child(name: string): Logger { return new StreamLogger(`${this.name}.${name}`, this.opts); }
}

/** Discards everything (tests). */
export const nullLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {}, child() { return nullLogger; },
};
