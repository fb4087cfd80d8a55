import { createDecipheriv, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CertMethods } from '../../cert/rpcapi';
import { RequestContext } from '../../context';
import { BundleManifest } from './manifest';
import { FirstTarFile } from './untar';

/** Which step of unbundling failed: its image_state, as Nova's S3 image service named them. */
export class UnbundleFailed extends Error {
  constructor(readonly state: 'failed_download' | 'failed_decrypt' | 'failed_untar' | 'failed_upload', message: string) {
    super(message);
  }
}

async function sha1OfFile(file: string): Promise<string> {
  const h = createHash('sha1');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

/** Checks every part is there with the digest the manifest gives; their files in order. */
export async function checkParts(manifest: BundleManifest, partPath: (filename: string) => Promise<string>): Promise<string[]> {
  const files: string[] = [];
  for (const part of manifest.parts) {
    let file: string;
    try {
      file = await partPath(part.filename);
    } catch (e) {
      throw new UnbundleFailed('failed_download', `part ${part.filename}: ${(e as Error).message}`);
    }
    if (part.sha1) {
      const got = await sha1OfFile(file);
      if (got !== part.sha1) throw new UnbundleFailed('failed_download', `part ${part.filename} has SHA-1 ${got}, the manifest says ${part.sha1}`);
    }
    files.push(file);
  }
  return files;
}

/**
 * The AES key or IV from its RSA-encrypted form, decrypted by nova-cert with the project's CA key.
 * euca-bundle-image encrypts the hex text given to `openssl enc -K/-iv`; 16 raw bytes are taken too.
 */
export async function decryptSecret(cert: CertMethods, ctx: RequestContext, encrypted: Buffer, what: string): Promise<Buffer> {
  let plain: Buffer;
  try {
    plain = Buffer.from(await cert.decrypt_text(ctx, { project_id: ctx.project_id!, text: encrypted.toString('base64') }), 'base64');
  } catch (e) {
    throw new UnbundleFailed('failed_decrypt', `nova-cert cannot decrypt the bundle's ${what}: ${(e as Error).message} (was it encrypted for this cloud's certificate, from os-certificates root?)`);
  }
  const asText = plain.toString('latin1').trim();
  if (/^[0-9a-fA-F]{32}$/.test(asText)) return Buffer.from(asText, 'hex');
  if (plain.length === 16) return plain;
  throw new UnbundleFailed('failed_decrypt', `the bundle's ${what} is not 16 bytes (or 32 hex digits) once decrypted`);
}

/** The parts one after the other, as one stream. */
function concatenated(files: string[]): Readable {
  return Readable.from((async function* () {
    for (const f of files) yield* fs.createReadStream(f);
  })());
}

/**
 * Concatenated parts -> AES-128-CBC decrypted -> gunzipped -> the tar's one file, written to
 * `workDir`. The archive's SHA-1 is checked when the manifest gives it. Returns the image file.
 */
export async function unpackImage(files: string[], key: Buffer, iv: Buffer, manifest: BundleManifest, workDir: string): Promise<string> {
  const tarGz = path.join(workDir, 'image.tar.gz');
  try {
    await pipeline(concatenated(files), createDecipheriv('aes-128-cbc', key, iv), fs.createWriteStream(tarGz));
  } catch (e) {
    throw new UnbundleFailed('failed_decrypt', `AES-128-CBC decryption of the parts failed: ${(e as Error).message}`);
  }
  const image = path.join(workDir, 'image');
  const tarSha1 = createHash('sha1');
  const untar = new FirstTarFile();
  const tap = new PassThrough();
  tap.on('data', (c: Buffer) => tarSha1.update(c));
  try {
    await pipeline(fs.createReadStream(tarGz), createGunzip(), tap, untar, fs.createWriteStream(image));
  } catch (e) {
    throw new UnbundleFailed('failed_untar', `the decrypted bundle is not a gzipped tar archive: ${(e as Error).message}`);
  }
  const digest = tarSha1.digest('hex');
  if (manifest.tarSha1 && digest !== manifest.tarSha1) {
    throw new UnbundleFailed('failed_untar', `the bundle's archive has SHA-1 ${digest}, the manifest says ${manifest.tarSha1}`);
  }
  return image;
}
