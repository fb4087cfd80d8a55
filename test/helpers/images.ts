import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { RequestContext } from '../../src/context';
import { ImageNotFound } from '../../src/exception';
import { Image, ImageService } from '../../src/image/api';
import { TestCloud } from './cloud';

/**
 * TEST DOUBLE, not the Image service: an in-memory ImageService for the servers tests while the
 * built-in Glance-like service (src/image/client.ts, createImageService) is written in another
 * branch. It keeps images and their bytes in a Map, follows Glance's states for what compute uses
 * (queued -> active on upload, deleted removes it), and throws ImageNotFound as the real one must.
 * Install it with `installImages(cloud)` before anything asks the runtime for the image service.
 */
export class MemoryImages implements ImageService {
  readonly images = new Map<string, Image>();
  readonly data = new Map<string, Buffer>();
  /** Image names whose upload fails (failure injection for snapshot tests). */
  readonly failUploadFor = new Set<string>();

  async get(_ctx: RequestContext, id: string): Promise<Image> {
    const img = this.images.get(id);
    if (!img) throw new ImageNotFound({ image_id: id });
    return structuredClone(img);
  }

  async list(_ctx: RequestContext, filters: Record<string, string> = {}): Promise<Image[]> {
    return [...this.images.values()].filter((i) => Object.entries(filters).every(([k, v]) => String((i as unknown as Record<string, unknown>)[k] ?? i.properties[k]) === v)).map((i) => structuredClone(i));
  }

  async create(ctx: RequestContext, meta: Partial<Image> & { name: string }): Promise<Image> {
    const now = new Date().toISOString();
    const img: Image = {
      id: meta.id ?? randomUUID(), name: meta.name, status: 'queued', visibility: meta.visibility ?? 'private', owner: meta.owner ?? ctx.project_id,
      disk_format: meta.disk_format ?? null, container_format: meta.container_format ?? null, size: null, virtual_size: null, checksum: null,
      min_disk: meta.min_disk ?? 0, min_ram: meta.min_ram ?? 0, protected: meta.protected ?? false, tags: meta.tags ?? [], created_at: now,
      updated_at: now, properties: { ...(meta.properties ?? {}) },
    };
    this.images.set(img.id, img);
    return structuredClone(img);
  }

  async update(ctx: RequestContext, id: string, changes: Partial<Image>, removeProps: string[] = []): Promise<Image> {
    const img = await this.get(ctx, id);
    const next: Image = { ...img, ...changes, properties: { ...img.properties, ...(changes.properties ?? {}) }, updated_at: new Date().toISOString() };
    for (const p of removeProps) delete next.properties[p];
    this.images.set(id, next);
    return structuredClone(next);
  }

  async upload(ctx: RequestContext, id: string, data: NodeJS.ReadableStream | Buffer): Promise<void> {
    const img = await this.get(ctx, id);
    if (img.name && this.failUploadFor.has(img.name)) throw new Error(`image service test double: upload of ${img.name} fails on purpose`);
    const chunks: Buffer[] = [];
    if (Buffer.isBuffer(data)) chunks.push(data);
    else for await (const c of data as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    const bytes = Buffer.concat(chunks);
    this.data.set(id, bytes);
    this.images.set(id, { ...img, status: 'active', size: bytes.length, updated_at: new Date().toISOString() });
  }

  async download(ctx: RequestContext, id: string): Promise<NodeJS.ReadableStream> {
    await this.get(ctx, id);
    return Readable.from([this.data.get(id) ?? Buffer.alloc(0)]);
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.get(ctx, id);
    this.images.delete(id);
    this.data.delete(id);
  }

  /** An active public image, as an operator would upload one (size in bytes). */
  addActive(opts: Partial<Image> & { name?: string } = {}): Image {
    const id = opts.id ?? randomUUID();
    const now = new Date().toISOString();
    const img: Image = {
      id, name: opts.name ?? `image-${id.slice(0, 8)}`, status: 'active', visibility: 'public', owner: 'admin', disk_format: 'qcow2',
      container_format: 'bare', size: 2 ** 20, virtual_size: null, checksum: null, min_disk: 0, min_ram: 0, protected: false, tags: [],
      created_at: now, updated_at: now, ...opts, properties: { ...(opts.properties ?? {}) },
    };
    this.images.set(id, img);
    this.data.set(id, Buffer.from(`image ${id}`));
    return img;
  }
}

/** Puts a MemoryImages in the runtime(s) before first use; returns it. */
export function installImages(cloud: Pick<TestCloud, 'rt'>, images = new MemoryImages()): MemoryImages {
  cloud.rt.shared('images', () => Promise.resolve(images));
  return images;
}
