import { asList, parseXml, ParsedXml, textOf } from '../../lib/xml';

/** One part file of a bundle, in order. */
export interface BundlePart { index: number; filename: string; sha1: string | null }

/** What RegisterImage needs from a euca-bundle-image (ec2-bundle-image) manifest. */
export interface BundleManifest {
  /** ami, aki or ari: a kernel or ramdisk bundle says so in image/type (or kernel_id/ramdisk_id `true`, as ec2-ami-tools wrote). */
  format: 'ami' | 'aki' | 'ari';
  name: string | null;
  architecture: string | null;
  /** EC2 ids of the kernel and ramdisk the machine image boots with. */
  kernelId: string | null;
  ramdiskId: string | null;
  /** The AES key and IV (as hex text), each RSA-encrypted for the cloud's certificate. */
  ec2EncryptedKey: Buffer;
  ec2EncryptedIv: Buffer;
  /** SHA-1 of the tar archive (before gzip and encryption), when given. */
  tarSha1: string | null;
  parts: BundlePart[];
}

export class BadManifest extends Error {}

function child(node: unknown, name: string): ParsedXml | string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as ParsedXml)[name];
  return Array.isArray(v) ? v[0] : v;
}

const text = (node: unknown, ...names: string[]): string | null => {
  let cur: unknown = node;
  for (const n of names) cur = child(cur, n);
  const t = textOf(cur).trim();
  return t || null;
};

function hexField(image: unknown, name: string): Buffer {
  const hex = text(image, name);
  if (!hex || !/^([0-9a-fA-F]{2})+$/.test(hex)) throw new BadManifest(`image/${name} is missing or not hex`);
  return Buffer.from(hex, 'hex');
}

/** Reads a bundle manifest; BadManifest names what is missing or wrong. */
export function parseManifest(xml: string): BundleManifest {
  let doc: ParsedXml;
  try {
    doc = parseXml(xml);
  } catch (e) {
    throw new BadManifest(`not XML: ${(e as Error).message}`);
  }
  const root = child(doc, 'manifest');
  if (!root || typeof root !== 'object') throw new BadManifest('no <manifest> element');
  const machine = child(root, 'machine_configuration');
  const image = child(root, 'image');
  if (!image || typeof image !== 'object') throw new BadManifest('no <image> element');
  const type = text(image, 'type');
  let kernelId = text(machine, 'kernel_id');
  let ramdiskId = text(machine, 'ramdisk_id');
  let format: BundleManifest['format'] = type === 'kernel' ? 'aki' : type === 'ramdisk' ? 'ari' : 'ami';
  if (kernelId === 'true') { format = 'aki'; kernelId = null; }
  if (ramdiskId === 'true') { format = 'ari'; ramdiskId = null; }
  const parts = asList(child(image, 'parts') && (child(image, 'parts') as ParsedXml).part).map((p, i) => {
    const node = p as ParsedXml;
    const filename = text(node, 'filename');
    if (!filename || filename.includes('..') || filename.startsWith('/')) throw new BadManifest(`part ${i} has no usable filename`);
    const index = Number(textOf(node['@_index']) || i);
    return { index: Number.isInteger(index) ? index : i, filename, sha1: text(node, 'digest')?.toLowerCase() ?? null };
  }).sort((a, b) => a.index - b.index);
  if (parts.length === 0) throw new BadManifest('image/parts lists no part');
  return {
    format, name: text(image, 'name'), architecture: text(machine, 'architecture'), kernelId, ramdiskId,
    ec2EncryptedKey: hexField(image, 'ec2_encrypted_key'), ec2EncryptedIv: hexField(image, 'ec2_encrypted_iv'),
    tarSha1: text(image, 'digest')?.toLowerCase() ?? null, parts,
  };
}
