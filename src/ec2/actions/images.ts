import { ec2IdToGlanceId, glanceIdToEc2Id, imagePrefix } from '../../db/api/ec2_ids';
import { ImageNotFound } from '../../exception';
import { Image } from '../../image/api';
import { Ec2Error } from '../errors';
import { filtersParam, listParam, matchesFilter, required } from '../request';
import { XmlValue } from '../xml';
import { Ec2Action } from './env';

const IMAGE_TYPES = { ami: 'machine', aki: 'kernel', ari: 'ramdisk' } as const;

/**
 * EC2's imageState: a registered bundle's image_state property while it is unbundled (pending, then
 * available, or failed), else the Glance status.
 */
function imageState(img: Image): string {
  const bundle = img.properties?.image_state;
  if (bundle && img.status !== 'deleted' && img.status !== 'pending_delete') {
    if (bundle.startsWith('failed')) return 'failed';
    return bundle === 'available' && img.status === 'active' ? 'available' : 'pending';
  }
  const status = img.status;
  if (status === 'active') return 'available';
  if (status === 'killed') return 'failed';
  if (status === 'deleted' || status === 'pending_delete' || status === 'deactivated') return 'deregistered';
  return 'pending';
}

/** ami-, aki- or ari- by the image's formats, as Nova's ec2utils.image_type chose. */
function prefixOf(img: Image) {
  return imagePrefix(img.disk_format === 'aki' || img.disk_format === 'ari' ? img.disk_format : img.container_format);
}

async function imageItem(img: Image, projectId: string | null): Promise<Record<string, XmlValue>> {
  const prefix = prefixOf(img);
  const props = img.properties ?? {};
  return {
    imageId: await glanceIdToEc2Id(img.id, prefix),
    imageLocation: props.image_location ?? `None (${img.name ?? img.id})`,
    imageState: imageState(img),
    imageOwnerId: img.owner ?? projectId ?? '',
    isPublic: img.visibility === 'public',
    architecture: props.architecture ?? null,
    imageType: IMAGE_TYPES[prefix],
    kernelId: props.kernel_id ? await glanceIdToEc2Id(props.kernel_id, 'aki') : null,
    ramdiskId: props.ramdisk_id ? await glanceIdToEc2Id(props.ramdisk_id, 'ari') : null,
    name: img.name ?? null,
    rootDeviceType: 'instance-store',
    creationDate: img.created_at,
  };
}

/** The image behind an EC2 image id, or InvalidAMIID.NotFound (also for images the caller cannot see). */
async function imageByEc2Id(env: Parameters<Ec2Action>[0], ctx: Parameters<Ec2Action>[1], ec2id: string): Promise<Image> {
  if (!/^a[mkr]i-[0-9a-f]{8,16}$/.test(ec2id)) throw new Ec2Error('InvalidAMIID.Malformed', `Invalid id: "${ec2id}" (expected ami-xxxxxxxx)`);
  try {
    return await (await env.images()).get(ctx, await ec2IdToGlanceId(ec2id));
  } catch (e) {
    if (e instanceof ImageNotFound) throw new Ec2Error('InvalidAMIID.NotFound', `The image id '[${ec2id}]' does not exist`);
    throw e;
  }
}

/** DescribeImages: ImageId.N (each must exist), Owner.N (`self` or a project id), filters name, image-type, is-public, state. */
export const describeImages: Ec2Action = async (env, ctx, p) => {
  const ids = listParam(p, 'ImageId');
  const owners = listParam(p, 'Owner').map((o) => (o === 'self' ? ctx.project_id : o));
  const filters = filtersParam(p);
  const images: Image[] = [];
  if (ids.length) {
    for (const id of ids) images.push(await imageByEc2Id(env, ctx, id));
  } else {
    images.push(...(await (await env.images()).list(ctx)));
  }
  const items = [];
  for (const img of images) {
    if (owners.length && !owners.includes(img.owner)) continue;
    const item = await imageItem(img, ctx.project_id);
    if (!matchesFilter(filters, 'name', img.name) || !matchesFilter(filters, 'image-type', String(item.imageType))
      || !matchesFilter(filters, 'is-public', String(item.isPublic)) || !matchesFilter(filters, 'state', String(item.imageState))
      || !matchesFilter(filters, 'image-id', String(item.imageId))) continue;
    items.push(item);
  }
  return { imagesSet: items };
};

/** DeregisterImage: deletes the image from the Image service (its owner or an admin). */
export const deregisterImage: Ec2Action = async (env, ctx, p) => {
  const img = await imageByEc2Id(env, ctx, required(p, 'ImageId'));
  await (await env.images()).delete(ctx, img.id);
  return { return: true };
};
