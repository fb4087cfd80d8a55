import { Transform, TransformCallback } from 'node:stream';

const BLOCK = 512;

/** A tar header's numeric field: octal text, or GNU base-256 for big sizes. */
function tarNumber(field: Buffer): number {
  if (field[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i];
    return n;
  }
  const text = field.toString('ascii').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`not a tar archive (bad number field '${text}')`);
  return text ? parseInt(text, 8) : 0;
}

/**
 * Passes on the content of the first regular file of a tar stream (what euca-bundle-image puts in a
 * bundle: one image file) and drops the rest; `name` is that file's name once seen. PAX and GNU
 * long-name records before it are skipped. Fails when the archive holds no regular file.
 */
export class FirstTarFile extends Transform {
  name: string | null = null;
  private pending = Buffer.alloc(0);
  /** Bytes of the current member's data still to come, and whether they are passed on. */
  private remaining = 0;
  private padding = 0;
  private emitting = false;
  private done = false;
  /** A GNU long-name ('L') or PAX ('x') record being read, and the name it gives the next member. */
  private meta: { type: string; chunks: Buffer[] } | null = null;
  private nextName: string | null = null;

  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.consume(chunk);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  _flush(cb: TransformCallback): void {
    if (this.name === null) cb(new Error('the bundle\'s archive holds no file'));
    else if (this.emitting && this.remaining > 0) cb(new Error(`the bundle's archive ends inside ${this.name}`));
    else cb();
  }

  private endMeta(): void {
    const text = Buffer.concat(this.meta!.chunks).toString('utf8');
    if (this.meta!.type === 'L') this.nextName = text.replace(/\0.*$/s, '');
    else this.nextName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1] ?? this.nextName;
    this.meta = null;
  }

  private consume(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (buf.length && !this.done) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, buf.length);
        if (this.emitting) this.push(buf.subarray(0, n));
        else if (this.meta) this.meta.chunks.push(Buffer.from(buf.subarray(0, n)));
        this.remaining -= n;
        buf = buf.subarray(n);
        if (this.remaining === 0 && this.emitting) this.done = true;
        if (this.remaining === 0 && this.meta) this.endMeta();
        continue;
      }
      if (this.padding > 0) {
        const n = Math.min(this.padding, buf.length);
        this.padding -= n;
        buf = buf.subarray(n);
        continue;
      }
      if (buf.length < BLOCK) { this.pending = Buffer.from(buf); return; }
      const header = buf.subarray(0, BLOCK);
      buf = buf.subarray(BLOCK);
      if (header.every((b) => b === 0)) { this.done = true; return; }
      const size = tarNumber(header.subarray(124, 136));
      const type = String.fromCharCode(header[156] || 48);
      this.remaining = size;
      this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
      if (type === '0' || type === '7') {
        const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
        const base = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
        this.name = this.nextName ?? (prefix ? `${prefix}/${base}` : base);
        this.emitting = true;
        if (size === 0) this.done = true;
      } else if (type === 'L' || type === 'x') {
        this.meta = { type, chunks: [] };
        if (size === 0) this.endMeta();
      } else {
        this.nextName = null;
      }
    }
  }
}
