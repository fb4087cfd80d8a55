import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { noSuchBucket, noSuchKey, S3Error } from './errors';

export interface BucketInfo { name: string; owner: string; created: string }
export interface ObjectInfo { key: string; size: number; modified: Date; etag: string }

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Buckets on disk, as nova-objectstore kept them under [DEFAULT] buckets_path: one directory per
 * bucket with its owner in bucket.json, objects under objects/ (the key URI-encoded into one file
 * name, so any key is a plain file), their ETags under etags/, multipart uploads in progress under
 * uploads/. Writes go to a temporary file
 * renamed into place, so a reader never sees half an object.
 */
export class BucketStore {
  constructor(readonly root: string) {}

  private dir(bucket: string): string {
    if (!BUCKET_NAME.test(bucket) || bucket.includes('..')) {
      throw new S3Error('InvalidBucketName', 400, `Bucket names are 3 to 63 characters of a-z, 0-9, '.' and '-': ${bucket}`, `/${bucket}`);
    }
    return path.join(this.root, bucket);
  }

  private file(bucket: string, kind: 'objects' | 'etags', key: string): string {
    if (!key || Buffer.byteLength(key) > 1024) throw new S3Error('KeyTooLongError', 400, 'Object keys are 1 to 1024 bytes.', `/${bucket}/${key}`);
    return path.join(this.dir(bucket), kind, encodeURIComponent(key).replace(/^\./, '%2E'));
  }

  async bucket(name: string): Promise<BucketInfo | null> {
    try {
      return JSON.parse(await fs.promises.readFile(path.join(this.dir(name), 'bucket.json'), 'utf8')) as BucketInfo;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async requireBucket(name: string): Promise<BucketInfo> {
    const b = await this.bucket(name);
    if (!b) throw noSuchBucket(name);
    return b;
  }

  async createBucket(name: string, owner: string): Promise<BucketInfo> {
    const dir = this.dir(name);
    await fs.promises.mkdir(this.root, { recursive: true });
    try {
      await fs.promises.mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const existing = await this.bucket(name);
      if (existing?.owner === owner) throw new S3Error('BucketAlreadyOwnedByYou', 409, `You already own bucket ${name}.`, `/${name}`);
      throw new S3Error('BucketAlreadyExists', 409, `Bucket ${name} belongs to another project: choose another name.`, `/${name}`);
    }
    await fs.promises.mkdir(path.join(dir, 'objects'));
    await fs.promises.mkdir(path.join(dir, 'etags'));
    const info = { name, owner, created: new Date().toISOString() };
    await fs.promises.writeFile(path.join(dir, 'bucket.json'), JSON.stringify(info));
    return info;
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const names = await fs.promises.readdir(this.root).catch(() => [] as string[]);
    const out: BucketInfo[] = [];
    for (const n of names.sort()) {
      const b = BUCKET_NAME.test(n) ? await this.bucket(n) : null;
      if (b) out.push(b);
    }
    return out;
  }

  async deleteBucket(name: string): Promise<void> {
    await this.requireBucket(name);
    if ((await fs.promises.readdir(path.join(this.dir(name), 'objects'))).length) {
      throw new S3Error('BucketNotEmpty', 409, `The bucket you tried to delete is not empty: ${name} (delete its objects first).`, `/${name}`);
    }
    await fs.promises.rm(this.dir(name), { recursive: true, force: true });
  }

  private tmpFile(bucket: string): string {
    return path.join(this.dir(bucket), `.tmp-${randomBytes(6).toString('hex')}`);
  }

  /** Moves a finished temporary file into place as the object `key`. */
  private async install(bucket: string, key: string, tmp: string, etag: string): Promise<string> {
    const target = this.file(bucket, 'objects', key);
    await fs.promises.writeFile(this.file(bucket, 'etags', key), etag);
    await fs.promises.rename(tmp, target);
    return etag;
  }

  async putObject(bucket: string, key: string, data: Buffer): Promise<string> {
    await this.requireBucket(bucket);
    this.file(bucket, 'objects', key);
    const tmp = this.tmpFile(bucket);
    await fs.promises.writeFile(tmp, data);
    return this.install(bucket, key, tmp, createHash('md5').update(data).digest('hex'));
  }

  private uploadDir(bucket: string, uploadId: string): string {
    if (!/^[0-9a-f]{32}$/.test(uploadId)) throw new S3Error('NoSuchUpload', 404, `The specified upload does not exist: ${uploadId}`);
    return path.join(this.dir(bucket), 'uploads', uploadId);
  }

  /** Multipart uploads (what `aws s3 cp` uses past 8 MiB): parts kept under uploads/<id>/ until completed. */
  async createUpload(bucket: string, key: string): Promise<string> {
    await this.requireBucket(bucket);
    this.file(bucket, 'objects', key);
    const id = randomBytes(16).toString('hex');
    await fs.promises.mkdir(this.uploadDir(bucket, id), { recursive: true });
    await fs.promises.writeFile(path.join(this.uploadDir(bucket, id), 'key'), key);
    return id;
  }

  private async upload(bucket: string, uploadId: string, key?: string): Promise<string> {
    const dir = this.uploadDir(bucket, uploadId);
    const owner = await fs.promises.readFile(path.join(dir, 'key'), 'utf8').catch(() => null);
    if (owner === null || (key !== undefined && owner !== key)) throw new S3Error('NoSuchUpload', 404, `The specified upload does not exist: ${uploadId}`);
    return dir;
  }

  async putPart(bucket: string, key: string, uploadId: string, partNumber: number, data: Buffer): Promise<string> {
    await this.requireBucket(bucket);
    const dir = await this.upload(bucket, uploadId, key);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) throw new S3Error('InvalidArgument', 400, 'Part number must be an integer between 1 and 10000.');
    const etag = createHash('md5').update(data).digest('hex');
    await fs.promises.writeFile(path.join(dir, `part-${partNumber}`), data);
    await fs.promises.writeFile(path.join(dir, `part-${partNumber}.etag`), etag);
    return etag;
  }

  /** Joins the parts named (in ascending order, with the ETags their uploads answered) into the object. */
  async completeUpload(bucket: string, key: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<string> {
    await this.requireBucket(bucket);
    const dir = await this.upload(bucket, uploadId, key);
    if (parts.length === 0) throw new S3Error('MalformedXML', 400, 'CompleteMultipartUpload lists no part.');
    const md5s: Buffer[] = [];
    for (let i = 0; i < parts.length; i++) {
      if (i > 0 && parts[i].partNumber <= parts[i - 1].partNumber) throw new S3Error('InvalidPartOrder', 400, 'The list of parts was not in ascending order.');
      const stored = await fs.promises.readFile(path.join(dir, `part-${parts[i].partNumber}.etag`), 'utf8').catch(() => null);
      if (!stored || stored !== parts[i].etag.replace(/"/g, '')) throw new S3Error('InvalidPart', 400, `Part ${parts[i].partNumber} was not uploaded or its ETag differs.`);
      md5s.push(Buffer.from(stored, 'hex'));
    }
    const tmp = this.tmpFile(bucket);
    const joined = Readable.from((async function* () {
      for (const p of parts) yield* fs.createReadStream(path.join(dir, `part-${p.partNumber}`));
    })());
    await pipeline(joined, fs.createWriteStream(tmp));
    const etag = `${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${parts.length}`;
    await this.install(bucket, key, tmp, etag);
    await fs.promises.rm(dir, { recursive: true, force: true });
    return etag;
  }

  async abortUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.requireBucket(bucket);
    await fs.promises.rm(await this.upload(bucket, uploadId, key), { recursive: true, force: true });
  }

  async objectInfo(bucket: string, key: string): Promise<ObjectInfo> {
    await this.requireBucket(bucket);
    try {
      const st = await fs.promises.stat(this.file(bucket, 'objects', key));
      const etag = await fs.promises.readFile(this.file(bucket, 'etags', key), 'utf8').catch(() => '');
      return { key, size: st.size, modified: st.mtime, etag };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw noSuchKey(bucket, key);
      throw e;
    }
  }

  /** The file holding an object (after checking it exists). */
  async objectPath(bucket: string, key: string): Promise<string> {
    await this.objectInfo(bucket, key);
    return this.file(bucket, 'objects', key);
  }

  async readObject(bucket: string, key: string): Promise<Buffer> {
    return fs.promises.readFile(await this.objectPath(bucket, key));
  }

  async listObjects(bucket: string, prefix = ''): Promise<ObjectInfo[]> {
    await this.requireBucket(bucket);
    const files = await fs.promises.readdir(path.join(this.dir(bucket), 'objects'));
    const keys = files.map((f) => decodeURIComponent(f)).filter((k) => k.startsWith(prefix)).sort();
    const out: ObjectInfo[] = [];
    for (const k of keys) out.push(await this.objectInfo(bucket, k).catch(() => null as never));
    return out.filter(Boolean);
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.requireBucket(bucket);
    await fs.promises.rm(this.file(bucket, 'objects', key), { force: true });
    await fs.promises.rm(this.file(bucket, 'etags', key), { force: true });
  }
}
