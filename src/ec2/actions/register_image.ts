import * as fs from 'node:fs';
import * as path from 'node:path';
import { RequestContext } from '../../context';
import { ec2IdToGlanceId, glanceIdToEc2Id } from '../../db/api/ec2_ids';
import { Image } from '../../image/api';
import { S3Error } from '../../objectstore/errors';
import { BadManifest, BundleManifest, parseManifest } from '../bundle/manifest';
import { checkParts, decryptSecret, UnbundleFailed, unpackImage } from '../bundle/unbundle';
import { Ec2Error } from '../errors';
import { required } from '../request';
import { Ec2Action, Ec2Env } from './env';

/** `bucket/dir/name.manifest.xml` as bucket and key (a leading slash is allowed). */
function splitLocation(location: string): { bucket: string; key: string } {
  const m = /^\/?([^/]+)\/(.+)$/.exec(location);
  if (!m) throw new Ec2Error('InvalidManifest', `ImageLocation '${location}' is not bucket/name.manifest.xml.`);
  return { bucket: m[1], key: m[2] };
}

async function readManifest(env: Ec2Env, ctx: RequestContext, location: string): Promise<BundleManifest> {
  const { bucket, key } = splitLocation(location);
  try {
    const b = await env.buckets.requireBucket(bucket);
    if (b.owner !== ctx.project_id) throw new Ec2Error('InvalidManifest', `Bucket ${bucket} belongs to another project.`);
    return parseManifest((await env.buckets.readObject(bucket, key)).toString('utf8'));
  } catch (e) {
    if (e instanceof S3Error) throw new Ec2Error('InvalidManifest', `The manifest ${location} cannot be read: ${e.message}`);
    if (e instanceof BadManifest) throw new Ec2Error('InvalidManifest', `The manifest ${location} is not valid: ${e.message}`);
    throw e;
  }
}

/** The kernel or ramdisk a machine bundle names, as an image uuid (it must exist). */
async function dependentImage(env: Ec2Env, ctx: RequestContext, ec2id: string | null): Promise<string | null> {
  if (!ec2id) return null;
  if (!/^a[rk]i-[0-9a-f]{8,16}$/.test(ec2id)) throw new Ec2Error('InvalidManifest', `The manifest names '${ec2id}' as kernel or ramdisk: expected aki-... or ari-...`);
  try {
    const uuid = await ec2IdToGlanceId(ec2id);
    await (await env.images()).get(ctx, uuid);
    return uuid;
  } catch {
    throw new Ec2Error('InvalidAMIID.NotFound', `The image id '[${ec2id}]' named by the manifest does not exist`);
  }
}

/**
 * The work behind a registered bundle, after RegisterImage has answered (as Nova's S3 image service
 * did): parts checked, key and IV decrypted by nova-cert, parts decrypted, gunzipped and untarred,
 * the file uploaded; image_state goes downloading, decrypting, untarring, uploading, available, or a
 * failed_* state naming the step, in the image's properties.
 */
async function unbundle(env: Ec2Env, ctx: RequestContext, img: Image, manifest: BundleManifest, location: string): Promise<void> {
  const images = await env.images();
  const state = (s: string) => images.update(ctx, img.id, { properties: { image_state: s } });
  const { bucket, key } = splitLocation(location);
  const dir = path.posix.dirname(key);
  const workDir = await fs.promises.mkdtemp(path.join(env.conf.DEFAULT.image_decryption_dir, 'nova-bundle-'));
  try {
    await state('downloading');
    const files = await checkParts(manifest, (f) => env.buckets.objectPath(bucket, dir === '.' ? f : `${dir}/${f}`));
    await state('decrypting');
    const cert = await env.cert();
    const aesKey = await decryptSecret(cert, ctx, manifest.ec2EncryptedKey, 'key');
    const iv = await decryptSecret(cert, ctx, manifest.ec2EncryptedIv, 'IV');
    await state('untarring');
    const file = await unpackImage(files, aesKey, iv, manifest, workDir);
    await state('uploading');
    try {
      await images.upload(ctx, img.id, fs.createReadStream(file));
    } catch (e) {
      throw new UnbundleFailed('failed_upload', `the Image service refused the image: ${(e as Error).message}`);
    }
    await state('available');
    env.log.info(`bundle ${location} registered as image ${img.id}`);
  } catch (e) {
    const failed = e instanceof UnbundleFailed ? e.state : 'failed_download';
    env.log.warn(`bundle ${location} (image ${img.id}): ${failed}: ${(e as Error).message}`);
    await state(failed).catch((err) => env.log.error(`image ${img.id}: cannot record ${failed}: ${(err as Error).message}`));
  } finally {
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }
}

/**
 * RegisterImage: ImageLocation `bucket/name.manifest.xml` of a bundle in nova-objectstore's buckets
 * (Name optional). The image exists at once, `pending`, in the caller's project; it becomes
 * `available` once unbundled (DescribeImages shows the state; `failed` with the reason logged).
 */
export const registerImage: Ec2Action = async (env, ctx, p) => {
  if (!p.ImageLocation && (p['BlockDeviceMapping.1.DeviceName'] || p.RootDeviceName)) {
    throw new Ec2Error('InvalidParameterCombination', 'Only bundles (ImageLocation) can be registered here: volume-backed images need Cinder.');
  }
  const location = required(p, 'ImageLocation');
  const manifest = await readManifest(env, ctx, location);
  const kernelId = await dependentImage(env, ctx, manifest.kernelId);
  const ramdiskId = await dependentImage(env, ctx, manifest.ramdiskId);
  const properties: Record<string, string> = { image_location: location, image_state: 'pending' };
  if (manifest.architecture) properties.architecture = manifest.architecture;
  if (kernelId) properties.kernel_id = kernelId;
  if (ramdiskId) properties.ramdisk_id = ramdiskId;
  const img = await (await env.images()).create(ctx, {
    name: p.Name || location, disk_format: manifest.format, container_format: manifest.format, visibility: 'private', properties,
  });
  env.background(unbundle(env, ctx, img, manifest, location));
  return { imageId: await glanceIdToEc2Id(img.id, manifest.format) };
};
