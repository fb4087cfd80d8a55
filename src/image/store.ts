import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Raised when the data grows past the size cap while it streams in. */
export class ImageTooLarge extends Error {
  constructor(readonly cap: number) {
    super('The provided image is too large.');
    this.name = 'ImageTooLarge';
  }
}

export interface StoredData {
  location: string;
  size: number;
  md5: string;
  sha512: string;
}

/** Counts, hashes and caps the bytes flowing through. */
class Measure extends Transform {
  size = 0;
  readonly md5 = createHash('md5');
  readonly sha512 = createHash('sha512');
  constructor(private cap: number) { super(); }
  _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.cap) return done(new ImageTooLarge(this.cap));
    this.md5.update(chunk);
    this.sha512.update(chunk);
    done(null, chunk);
  }
}

/**
 * Glance's filesystem store: one file per image under `filesystem_store_datadir`. Data is written to
 * a temporary name and renamed when complete, so a failed upload never leaves a partial image.
 */
export class FilesystemStore {
  constructor(readonly dir: string) {}

  async add(imageId: string, data: NodeJS.ReadableStream, cap: number): Promise<StoredData> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const final = path.join(this.dir, imageId);
    const partial = path.join(this.dir, `.${imageId}.${randomBytes(6).toString('hex')}.partial`);
    const measure = new Measure(cap);
    try {
      await pipeline(data, measure, fs.createWriteStream(partial, { flags: 'wx' }));
      await fs.promises.rename(partial, final);
    } catch (e) {
      await fs.promises.rm(partial, { force: true });
      throw e;
    }
    return { location: pathToFileURL(final).href, size: measure.size, md5: measure.md5.digest('hex'), sha512: measure.sha512.digest('hex') };
  }

  /** Size of the data at `location`, or null when the file is gone. */
  async size(location: string): Promise<number | null> {
    try {
      return (await fs.promises.stat(this.pathOf(location))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** The data at `location`: all of it, or bytes start..end inclusive. */
  read(location: string, range?: { start: number; end: number }): fs.ReadStream {
    return fs.createReadStream(this.pathOf(location), range);
  }

  async delete(location: string): Promise<void> {
    await fs.promises.rm(this.pathOf(location), { force: true });
  }

  private pathOf(location: string): string {
    if (!location.startsWith('file://')) throw new Error(`image location '${location}' is not in the filesystem store`);
    return fileURLToPath(location);
  }
}
