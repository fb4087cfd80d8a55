import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { adminContext, RequestContext } from '../../context';
import { ImageChecksumMismatch, ImageUnacceptable } from '../../exception';
import { ImageService } from '../../image/api';
import { Logger } from '../../lib/log';
import { ImageMeta } from '../driver';
import { HostExecutor } from './executor/types';
import { QemuImg } from './qemu_img';


export interface CachedImage {
  path: string;
  format: 'raw' | 'qcow2';
  virtualSize: number;
}

/** The file name of an image in the cache, as Nova names it: sha1 of the image id. */
export function baseName(imageId: string): string {
  return createHash('sha1').update(imageId).digest('hex');
}

/** Formats qemu can be handed as a disk without conversion. */
const DISK_FORMATS = new Set(['raw', 'qcow2']);

/**
 * Base images on the hypervisor host, `<instances_path>/_base/<sha1(image id)>`: downloaded once
 * from the image service, verified against the image's md5 checksum, converted to raw when
 * force_raw_images is set; swap and ephemeral bases made once per size. Cleanup removes bases
 * that no instance disk on the host is backed by.
 */
export class ImageCache {
  private images?: () => Promise<ImageService>;
  private inFlight = new Map<string, Promise<CachedImage>>();
  /** What qemu-img said of each cached disk base, by path: a base never changes while it is cached. */
  private diskInfo = new Map<string, CachedImage>();

  constructor(private exec: HostExecutor, private qemuImg: QemuImg, readonly dir: string, private forceRaw: boolean, private log: Logger) {}

  setImageService(images: () => Promise<ImageService>): void { this.images = images; }

  /** The cached base of a disk image (fetching it once), in the format instance disks are made from. */
  fetchDiskImage(image: ImageMeta, ctx?: RequestContext): Promise<CachedImage> {
    return this.once(baseName(image.id), () => this.download(image, ctx, true));
  }

  /** A kernel or ramdisk (AKI/ARI) image, fetched once, kept as is. */
  fetchBlob(imageId: string, ctx?: RequestContext): Promise<CachedImage> {
    return this.once(baseName(imageId), async () => {
      const meta = await this.lookup(imageId, ctx);
      return this.download(meta, ctx, false);
    });
  }

  /** Swap or ephemeral base: a raw file of `bytes`, formatted by `format` once. */
  blankBase(name: string, bytes: number, format: (file: string) => Promise<void>): Promise<CachedImage> {
    return this.once(name, async () => {
      const final = path.posix.join(this.dir, name);
      const st = await this.exec.stat(final);
      if (st && st.size === bytes) return this.touched({ path: final, format: 'raw', virtualSize: bytes });
      const part = `${final}.part-${randomBytes(4).toString('hex')}`;
      try {
        await this.qemuImg.create(part, 'raw', bytes);
        await format(part);
        await this.exec.rename(part, final);
      } catch (e) {
        await this.exec.remove(part).catch(() => undefined);
        throw e;
      }
      return { path: final, format: 'raw', virtualSize: bytes };
    });
  }

  /** Image metadata from the image service (for kernels and ramdisks the caller only has ids of). */
  async lookup(imageId: string, ctx?: RequestContext): Promise<ImageMeta> {
    const svc = await this.service();
    const img = await svc.get(ctx ?? adminContext(), imageId);
    return {
      id: img.id, name: img.name ?? undefined, disk_format: img.disk_format ?? undefined, container_format: img.container_format ?? undefined,
      size: img.size ?? undefined, checksum: img.checksum ?? undefined, min_disk: img.min_disk, min_ram: img.min_ram, properties: img.properties ?? {},
    };
  }

  private async service(): Promise<ImageService> {
    if (!this.images) throw new Error('the libvirt driver has no image service: the compute manager must call driver.setImageService() before spawning');
    return this.images();
  }

  /** Runs `work` once per key at a time in this process; later callers share the result. */
  private once(key: string, work: () => Promise<CachedImage>): Promise<CachedImage> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async touched(c: CachedImage): Promise<CachedImage> {
    await this.exec.run('touch', ['-c', c.path]); // keeps a base in use from looking old to the cleanup
    return c;
  }

  private async download(image: ImageMeta, ctx: RequestContext | undefined, asDisk: boolean): Promise<CachedImage> {
    const final = path.posix.join(this.dir, baseName(image.id));
    const cached = await this.exec.stat(final);
    if (cached) {
      if (!asDisk) return this.touched({ path: final, format: 'raw', virtualSize: cached.size });
      let known = this.diskInfo.get(final);
      if (!known) {
        const info = await this.qemuImg.info(final);
        known = { path: final, format: info.format as 'raw' | 'qcow2', virtualSize: info.virtualSize };
        this.diskInfo.set(final, known);
      }
      return this.touched(known);
    }
    this.diskInfo.delete(final); // removed since (cache cleanup): it will be fetched and looked at again
    await this.exec.mkdir(this.dir);
    const part = `${final}.part-${randomBytes(4).toString('hex')}`;
    try {
      const svc = await this.service();
      const md5 = createHash('md5');
      const tap = new Transform({ transform(chunk: Buffer, _enc, cb) { md5.update(chunk); cb(null, chunk); } });
      const source = await svc.download(ctx ?? adminContext(), image.id);
      const readable = source instanceof Readable ? source : Readable.from(source as AsyncIterable<Buffer>);
      await this.exec.writeStream(part, readable.pipe(tap));
      const got = md5.digest('hex');
      if (image.checksum && got !== image.checksum) throw new ImageChecksumMismatch({ image_id: image.id, got, want: image.checksum });
      let result: CachedImage = { path: final, format: 'raw', virtualSize: (await this.exec.stat(part))?.size ?? 0 };
      if (asDisk) result = await this.prepareDisk(image, part, final);
      await this.exec.rename(part, final);
      this.log.info(`cached image ${image.id} as ${final} (${result.format})`);
      return result;
    } catch (e) {
      await this.exec.remove(part).catch(() => undefined);
      await this.exec.remove(`${part}.converted`).catch(() => undefined);
      throw e;
    }
  }

  /** Checks a downloaded disk image is what it claims and safe, converting to raw when asked. */
  private async prepareDisk(image: ImageMeta, part: string, final: string): Promise<CachedImage> {
    const info = await this.qemuImg.info(part);
    const declared = image.disk_format;
    if (declared && DISK_FORMATS.has(declared) && declared !== info.format) {
      throw new ImageUnacceptable({ image_id: image.id, reason: `its disk_format is ${declared} but the data is ${info.format}` });
    }
    if (info.backingFile) throw new ImageUnacceptable({ image_id: image.id, reason: `it has a backing file (${info.backingFile}); images must be standalone` });
    if (!DISK_FORMATS.has(info.format) || (this.forceRaw && info.format !== 'raw')) {
      await this.qemuImg.convert(part, info.format, `${part}.converted`, 'raw');
      await this.exec.rename(`${part}.converted`, part);
      return { path: final, format: 'raw', virtualSize: info.virtualSize };
    }
    return { path: final, format: info.format as 'raw' | 'qcow2', virtualSize: info.virtualSize };
  }

  /**
   * Removes cached bases no disk on this host uses, once older than `minAgeSec` (by mtime, which
   * fetching refreshes). `inUse` holds base file names to keep. Returns the removed paths.
   */
  async removeUnused(inUse: Set<string>, minAgeSec: number): Promise<string[]> {
    if (!(await this.exec.stat(this.dir))) return [];
    const removed: string[] = [];
    const now = Date.now();
    for (const name of await this.exec.listDir(this.dir)) {
      if (inUse.has(name) || this.inFlight.has(name.replace(/\.part-.*$/, ''))) continue;
      const file = path.posix.join(this.dir, name);
      const st = await this.exec.stat(file);
      if (!st || st.isDirectory || now - st.mtimeMs < minAgeSec * 1000) continue;
      await this.exec.remove(file);
      removed.push(file);
      this.log.info(`removed unused base image ${file}`);
    }
    return removed;
  }
}
