import { RequestContext } from '../../context';
import { FlavorDiskSmallerThanImage } from '../../exception';
import { FlavorCopy } from '../../db/models/instance';
import { DriverInstance, ImageMeta } from '../driver';
import { GuestDisk } from './domain_xml';
import { HostExecutor } from './executor/types';
import { baseName, CachedImage, ImageCache } from './image_cache';
import { DiskInfo, DiskRecord, ephemeralBaseName, InstanceFiles, swapBaseName } from './instance_files';
import { QemuImg } from './qemu_img';



const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

export interface DiskDeps {
  exec: HostExecutor;
  qemuImg: QemuImg;
  cache: ImageCache;
  imagesType: 'qcow2' | 'raw';
}

export interface PreparedDisks {
  disks: GuestDisk[];
  kernel: string | null;
  ramdisk: string | null;
  info: DiskInfo;
}

/** A disk of `bytes` from a cached base: a qcow2 overlay, or a full raw copy for images_type=raw. */
async function diskFromBase(d: DiskDeps, file: string, base: CachedImage, baseFile: string, bytes: number): Promise<DiskRecord & { path: string }> {
  const name = file.slice(file.lastIndexOf('/') + 1) as DiskRecord['file'];
  if (d.imagesType === 'qcow2') {
    await d.qemuImg.createOverlay(file, base.path, base.format, bytes > base.virtualSize ? bytes : undefined);
    return { path: file, file: name, format: 'qcow2', base: baseFile, baseFormat: base.format, size: Math.max(bytes, base.virtualSize) };
  }
  await d.qemuImg.convert(base.path, base.format, file, 'raw');
  if (bytes > base.virtualSize) await d.qemuImg.resize(file, 'raw', bytes);
  return { path: file, file: name, format: 'raw', base: null, baseFormat: null, size: Math.max(bytes, base.virtualSize) };
}

export function swapBase(d: DiskDeps, mb: number): Promise<CachedImage> {
  return d.cache.blankBase(swapBaseName(mb), mb * MIB, async (f) => { await d.exec.run('mkswap', ['-q', f]); });
}

export function ephemeralBase(d: DiskDeps, gb: number): Promise<CachedImage> {
  return d.cache.blankBase(ephemeralBaseName(gb), gb * GIB, async (f) => {
    await d.exec.run('mkfs.ext4', ['-q', '-F', '-L', 'ephemeral0', f]);
  });
}

/**
 * Puts a cached kernel or ramdisk into the instance directory (the domain boots from it): a hard
 * link when the cache is on the same file system (nothing writes these files), else a copy.
 */
async function blobCopy(d: DiskDeps, imageId: string, dest: string, ctx?: RequestContext): Promise<string> {
  const blob = await d.cache.fetchBlob(imageId, ctx);
  await d.exec.run('sh', ['-c', 'ln -f -- "$1" "$2" 2>/dev/null || cp -- "$1" "$2"', 'sh', blob.path, dest]);
  return dest;
}

/** The kernel and ramdisk image ids an instance boots with (AKI/ARI), from the instance or its image. */
export function bootImages(instance: DriverInstance, image: ImageMeta): { kernelId: string | null; ramdiskId: string | null } {
  const kernelId = instance.kernel_id || image.properties.kernel_id || null;
  return { kernelId, ramdiskId: kernelId ? instance.ramdisk_id || image.properties.ramdisk_id || null : null };
}

/**
 * Makes an instance's disks in its directory: the root disk from the image (grown to the flavor's
 * root_gb), ephemeral and swap disks from the flavor, and the kernel/ramdisk copies for direct
 * kernel boot. Writes disk.info. The caller removes the directory if anything fails.
 */
export async function createInstanceDisks(d: DiskDeps, files: InstanceFiles, instance: DriverInstance, flavor: FlavorCopy,
  image: ImageMeta, ctx?: RequestContext, mark: (phase: string) => void = () => undefined): Promise<PreparedDisks> {
  const base = await d.cache.fetchDiskImage(image, ctx);
  mark('root base cached');
  const rootBytes = flavor.root_gb * GIB;
  if (flavor.root_gb > 0 && base.virtualSize > rootBytes) {
    throw new FlavorDiskSmallerThanImage({ flavor_size: rootBytes, image_size: base.virtualSize });
  }
  // The kernel and ramdisk copies do not wait for the disks (nor the disks for them).
  const { kernelId, ramdiskId } = bootImages(instance, image);
  const blobs = Promise.all([
    kernelId ? blobCopy(d, kernelId, files.kernel, ctx) : null,
    ramdiskId ? blobCopy(d, ramdiskId, files.ramdisk, ctx) : null,
  ]);
  blobs.catch(() => undefined); // awaited below; a disk failure first must not leave it unhandled
  const records = [await diskFromBase(d, files.disk, base, baseName(image.id), rootBytes)];
  mark('root overlay made');
  if (flavor.ephemeral_gb > 0) {
    records.push(await diskFromBase(d, files.ephemeral, await ephemeralBase(d, flavor.ephemeral_gb), ephemeralBaseName(flavor.ephemeral_gb), flavor.ephemeral_gb * GIB));
  }
  if (flavor.swap > 0) {
    records.push(await diskFromBase(d, files.swap, await swapBase(d, flavor.swap), swapBaseName(flavor.swap), flavor.swap * MIB));
  }
  const [kernel, ramdisk] = await blobs;
  mark('kernel and ramdisk copied');
  const info: DiskInfo = {
    image_id: image.id, kernel_id: kernelId, ramdisk_id: ramdiskId,
    disks: records.map(({ path: _p, ...r }) => r),
  };
  await d.exec.writeFile(files.diskInfo, JSON.stringify(info, null, 1));
  return { disks: records.map((r) => ({ path: r.path, format: r.format })), kernel, ramdisk, info };
}

/** Overlay for booting a rescue image (its own kernel/ramdisk when it names them). */
export async function createRescueDisks(d: DiskDeps, files: InstanceFiles, rescueImage: ImageMeta, ctx?: RequestContext): Promise<{ disk: GuestDisk; kernel: string | null; ramdisk: string | null }> {
  const base = await d.cache.fetchDiskImage(rescueImage, ctx);
  await d.qemuImg.createOverlay(files.rescueDisk, base.path, base.format);
  const kernelId = rescueImage.properties.kernel_id || null;
  const ramdiskId = kernelId ? rescueImage.properties.ramdisk_id || null : null;
  return {
    disk: { path: files.rescueDisk, format: 'qcow2' },
    kernel: kernelId ? await blobCopy(d, kernelId, files.rescueKernel, ctx) : null,
    ramdisk: ramdiskId ? await blobCopy(d, ramdiskId, files.rescueRamdisk, ctx) : null,
  };
}

export async function readDiskInfo(exec: HostExecutor, file: string): Promise<DiskInfo | null> {
  try {
    return JSON.parse((await exec.readFile(file)).toString('utf8')) as DiskInfo;
  } catch {
    return null;
  }
}

/** The guest disks disk.info lists, in boot order, with their paths in `files`. */
export function guestDisks(files: InstanceFiles, info: DiskInfo): GuestDisk[] {
  return info.disks.map((r) => ({ path: files.file(r.file), format: r.format }));
}
