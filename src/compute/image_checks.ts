import { RequestContext } from '../context';
import {
  FlavorDiskSmallerThanImage, FlavorDiskSmallerThanMinDisk, FlavorMemoryTooSmall, ImageNotActive, ImageNotFound, InvalidInput,
} from '../exception';
import { Image, ImageService } from '../image/api';
import { Instance } from '../objects/instance';

const GIB = 2 ** 30;

/** An image to boot or rebuild from: it must exist and be active (`notFoundMessage` names the API's wording). */
export async function loadActiveImage(images: ImageService, ctx: RequestContext, ref: string, notFoundMessage: string): Promise<Image> {
  // An imageRef may be a full URL to the image: its last path segment is the id, as in Nova.
  const id = ref.split('?')[0].replace(/\/+$/, '').split('/').pop() ?? ref;
  let img: Image;
  try {
    img = await images.get(ctx, id);
  } catch (e) {
    if (e instanceof ImageNotFound) throw new InvalidInput({}, notFoundMessage);
    throw e;
  }
  if (img.status !== 'active') throw new ImageNotActive({ image_id: id });
  return img;
}

/** Nova's checks that a flavor can hold an image: memory, then disk against size and min_disk. */
export function checkImageFitsFlavor(img: Pick<Image, 'min_ram' | 'min_disk' | 'size'>, flavor: { memory_mb: number; root_gb: number }): void {
  if (img.min_ram && flavor.memory_mb < img.min_ram) throw new FlavorMemoryTooSmall();
  if (flavor.root_gb <= 0) return; // a zero-disk flavor takes the image's size
  const flavorBytes = flavor.root_gb * GIB;
  if ((img.size ?? 0) > flavorBytes) throw new FlavorDiskSmallerThanImage({ flavor_size: flavorBytes, image_size: img.size });
  if (img.min_disk && img.min_disk * GIB > flavorBytes) throw new FlavorDiskSmallerThanMinDisk({ flavor_size: flavorBytes, image_min_disk: img.min_disk * GIB });
}

/** Image properties kept in system metadata as image_<key>, as Nova does (the base of snapshots). */
export function imageSystemMetadata(img: Image): Record<string, string> {
  const out: Record<string, string> = {};
  const base: Record<string, unknown> = {
    disk_format: img.disk_format, container_format: img.container_format, min_ram: img.min_ram, min_disk: img.min_disk, base_image_ref: img.id,
  };
  for (const [k, v] of Object.entries({ ...base, ...img.properties })) {
    if (v !== null && v !== undefined && !SKIPPED.has(k)) out[`image_${k}`] = String(v);
  }
  return out;
}

/**
 * Properties a snapshot never inherits (Nova's NON_INHERITABLE_IMAGE_PROPERTIES and the default of
 * `non_inheritable_image_properties`): signatures and encryption keys belong to the original only.
 */
const NON_INHERITABLE = new Set(['cinder_encryption_key_id', 'cinder_encryption_key_deletion_policy', 'img_signature',
  'img_signature_hash_method', 'img_signature_key_type', 'img_signature_certificate_uuid', 'cache_in_nova', 'bittorrent']);
/** Namespaces Glance reserves for itself (Nova's NON_INHERITABLE_IMAGE_NAMESPACES). */
const NON_INHERITABLE_PREFIXES = ['os_glance'];
/** Large structures never kept in system metadata (Nova's SM_SKIP_KEYS). */
const SKIPPED = new Set(['mappings', 'block_device_mapping', 'img_mappings', 'img_block_device_mapping']);
const INHERITED_TOP_LEVEL = new Set(['min_ram', 'min_disk', 'disk_format', 'container_format']);

/**
 * What a new snapshot image of `inst` is created with (Nova's create_image): the boot image's
 * properties from system metadata, plus instance_uuid, user_id, image_type and `extra`. Private to
 * the owner, shared when someone else (an admin) takes it.
 */
export function snapshotImageMeta(ctx: RequestContext, inst: Instance, name: string, imageType: 'snapshot' | 'backup', extra: Record<string, string> = {}): Partial<Image> & { name: string } {
  const properties: Record<string, string> = {};
  const top: Record<string, number> = {};
  for (const [key, value] of Object.entries(inst.system_metadata)) {
    if (!key.startsWith('image_')) continue;
    const k = key.slice('image_'.length);
    if (NON_INHERITABLE.has(k) || NON_INHERITABLE_PREFIXES.some((p) => k.startsWith(p))) continue;
    if (INHERITED_TOP_LEVEL.has(k)) {
      if (k === 'min_ram' || k === 'min_disk') top[k] = Number(value) || 0;
      continue; // formats are set by the driver on upload
    }
    properties[k] = value;
  }
  if (!properties.base_image_ref) properties.base_image_ref = inst.image_ref;
  const shared = ctx.project_id !== inst.project_id;
  Object.assign(properties, { instance_uuid: inst.uuid, user_id: String(ctx.user_id), image_type: imageType, image_location: 'snapshot' }, extra);
  if (shared) properties.instance_owner = inst.project_id;
  return { name, visibility: shared ? 'shared' : 'private', min_ram: top.min_ram ?? 0, min_disk: top.min_disk ?? 0, properties };
}
