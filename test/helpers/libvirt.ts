import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/conf/loader';
import { NovaConf } from '../../src/conf/schema';
import { makeContext, RequestContext } from '../../src/context';
import { FlavorCopy } from '../../src/db/models/instance';
import { DriverInstance, ImageMeta, SnapshotTarget } from '../../src/drivers/driver';
import { ImageNotFound } from '../../src/exception';
import { Image, ImageService, imageMeta } from '../../src/image/api';
import type { TestCloud } from './cloud';

/** Where scripts/libvirt/build-test-image.sh put the test guest. */
export const TEST_IMAGE_DIR = process.env.NOVA_TEST_IMAGE_DIR ?? path.resolve(__dirname, '..', '..', '..', 'var', 'test-image');

/**
 * An image service double holding image data in files or buffers, with Glance's md5 checksum:
 * what the driver needs from the image service (get, download, upload), nothing more.
 */
export class FileImageService implements ImageService {
  readonly images = new Map<string, { image: Image; data: Buffer | string }>();
  readonly uploads = new Map<string, Buffer>();

  add(name: string, data: Buffer | string, fields: Partial<Image> = {}): Image {
    const bytes = typeof data === 'string' ? fs.readFileSync(data) : data;
    const now = new Date().toISOString();
    const image: Image = {
      id: randomUUID(), name, status: 'active', visibility: 'public', owner: null, disk_format: 'raw', container_format: 'bare',
      size: bytes.length, virtual_size: null, checksum: createHash('md5').update(bytes).digest('hex'), min_disk: 0, min_ram: 0,
      protected: false, tags: [], created_at: now, updated_at: now, properties: {}, ...fields,
    };
    this.images.set(image.id, { image, data });
    return image;
  }

  meta(id: string): ImageMeta { return imageMeta(this.get0(id)); }

  private get0(id: string): Image {
    const e = this.images.get(id);
    if (!e) throw new ImageNotFound({ image_id: id });
    return e.image;
  }

  async get(_ctx: RequestContext, id: string): Promise<Image> { return this.get0(id); }
  async list(): Promise<Image[]> { return [...this.images.values()].map((e) => e.image); }
  async create(_ctx: RequestContext, meta: Partial<Image> & { name: string }): Promise<Image> { return this.add(meta.name, Buffer.alloc(0), meta); }
  async update(_ctx: RequestContext, id: string, changes: Partial<Image>): Promise<Image> { return Object.assign(this.get0(id), changes); }
  async upload(_ctx: RequestContext, id: string, data: NodeJS.ReadableStream | Buffer): Promise<void> {
    this.uploads.set(id, Buffer.isBuffer(data) ? data : await collect(data));
  }
  async download(_ctx: RequestContext, id: string): Promise<NodeJS.ReadableStream> {
    this.get0(id);
    const { data } = this.images.get(id)!;
    return typeof data === 'string' ? fs.createReadStream(data) : Readable.from([data]);
  }
  async delete(_ctx: RequestContext, id: string): Promise<void> { this.images.delete(id); }
}

export async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** A snapshot target that keeps what is uploaded. */
export function snapshotTarget(): SnapshotTarget & { data?: Buffer; meta?: { disk_format: string; container_format: string; size?: number } } {
  const t: SnapshotTarget & { data?: Buffer; meta?: { disk_format: string; container_format: string; size?: number } } = {
    image_id: randomUUID(),
    async upload(data, meta) { t.data = Buffer.isBuffer(data) ? data : await collect(data); t.meta = meta; },
  };
  return t;
}

/**
 * The test guest as AKI + ARI + an empty qcow2 root disk image naming them. It boots with
 * os_command_line (Nova's image property) `console=ttyS0 quiet`, so a boot writes a few lines and the
 * last 100 KiB of the console log (what get_console_output returns) holds every boot of a test.
 */
export function registerTestGuest(images: FileImageService): { root: Image; kernel: Image; ramdisk: Image } {
  const kernel = images.add('test-kernel', path.join(TEST_IMAGE_DIR, 'vmlinuz'), { disk_format: 'aki', container_format: 'aki' });
  const ramdisk = images.add('test-ramdisk', path.join(TEST_IMAGE_DIR, 'initrd.gz'), { disk_format: 'ari', container_format: 'ari' });
  const root = images.add('test-guest', path.join(TEST_IMAGE_DIR, 'root.qcow2'), {
    disk_format: 'qcow2', properties: { kernel_id: kernel.id, ramdisk_id: ramdisk.id, os_command_line: 'console=ttyS0 quiet' },
  });
  return { root, kernel, ramdisk };
}

export function testImageBuilt(): boolean {
  return ['vmlinuz', 'initrd.gz', 'root.qcow2'].every((f) => fs.existsSync(path.join(TEST_IMAGE_DIR, f)));
}

export function flavor(overrides: Partial<FlavorCopy> = {}): FlavorCopy {
  return {
    id: 1, flavorid: 'tiny', name: 'm1.tiny', memory_mb: 128, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1,
    vcpu_weight: null, is_public: true, description: null, extra_specs: {}, ...overrides,
  };
}

let serial = 0x7000 + Math.floor(Math.random() * 0x800);

/** An instance as the compute manager hands it to a driver. */
export function driverInstance(image: ImageMeta, overrides: Partial<DriverInstance> = {}): DriverInstance {
  const uuid = randomUUID();
  return {
    uuid, name: `instance-${(serial++).toString(16).padStart(8, '0')}`, display_name: 'test', hostname: 'test', project_id: 'p', user_id: 'u',
    flavor: flavor(), image_ref: image.id, kernel_id: image.properties.kernel_id ?? null, ramdisk_id: image.properties.ramdisk_id ?? null,
    key_data: null, user_data: null, metadata: {}, network_info: [], power_state: 0, vm_state: 'building', task_state: 'spawning',
    host: 'test-host', node: null, ...overrides,
  };
}

export function libvirtConf(overrides: Record<string, string>): NovaConf {
  return loadConfig({ overrides: { 'libvirt.virt_type': 'qemu', ...overrides } }).conf;
}

/** Whether virsh is installed (scripts/ci/setup-libvirt.sh installs it). */
export function haveVirsh(): boolean {
  try { execFileSync('virsh', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

/**
 * The test guest as Nova's AKI/ARI style images (`e2e-kernel`, `e2e-ramdisk`, `e2e-guest`), uploaded
 * through the cloud's Image service client with a service token (works with noauth2 and Keystone); returns the root image's id.
 */
export async function uploadTestGuest(cloud: Pick<TestCloud, 'rt'>): Promise<string> {
  const images = await cloud.rt.imageService();
  const ctx = makeContext({ auth_token: await cloud.rt.serviceToken(), roles: ['admin'] });
  const upload = async (name: string, file: string, meta: Record<string, unknown>) => {
    const img = await images.create(ctx, { name, visibility: 'public', ...meta } as never);
    await images.upload(ctx, img.id, fs.createReadStream(path.join(TEST_IMAGE_DIR, file)));
    return img.id;
  };
  const kernel = await upload('e2e-kernel', 'vmlinuz', { disk_format: 'aki', container_format: 'aki' });
  const ramdisk = await upload('e2e-ramdisk', 'initrd.gz', { disk_format: 'ari', container_format: 'ari' });
  return upload('e2e-guest', 'root.qcow2', {
    disk_format: 'qcow2', container_format: 'bare', properties: { kernel_id: kernel, ramdisk_id: ramdisk, os_command_line: 'console=ttyS0 quiet' },
  });
}
