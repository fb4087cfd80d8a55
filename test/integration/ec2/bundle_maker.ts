import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openssl } from '../../helpers/openssl';

export interface Bundle { dir: string; manifest: string; parts: string[] }

function ok(args: string[], cwd?: string): string {
  const r = openssl(args, { cwd });
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

const sha1 = (file: string) => /([0-9a-f]{40})\s*$/.exec(ok(['dgst', '-sha1', file]))![1];

/** RSA PKCS#1 v1.5 encryption of `text` for the certificate in `certFile`, as hex (openssl pkeyutl). */
function encryptFor(certFile: string, text: string, work: string): string {
  const plain = path.join(work, 'secret.txt');
  const out = path.join(work, 'secret.enc');
  fs.writeFileSync(plain, text);
  ok(['pkeyutl', '-encrypt', '-certin', '-inkey', certFile, '-in', plain, '-out', out]);
  const hex = fs.readFileSync(out).toString('hex');
  fs.rmSync(plain);
  fs.rmSync(out);
  return hex;
}

/**
 * Bundles `imageFile` into `outDir` as euca-bundle-image (and ec2-bundle-image) do, with the openssl
 * command line: tar, SHA-1 of the tar, gzip, AES-128-CBC with a random key and IV given as hex, split
 * into parts of `partBytes`, each part's SHA-1; the key and IV (their hex text) RSA-encrypted for the
 * cloud's certificate (ec2_*) and the user's (user_*); the manifest names it all.
 */
export function bundleImage(imageFile: string, outDir: string, o: {
  cloudCert: string; userCert: string; userKey: string; partBytes: number; type?: 'machine' | 'kernel' | 'ramdisk'; kernelId?: string; ramdiskId?: string; keyOverride?: string;
}): Bundle {
  const name = path.basename(imageFile);
  fs.mkdirSync(outDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(outDir, '.work-'));
  const key = ok(['rand', '-hex', '16']).trim();
  const iv = ok(['rand', '-hex', '16']).trim();
  const tar = path.join(work, `${name}.tar`);
  execFileSync('tar', ['-c', '-f', tar, '--owner', '0', '--group', '0', '-C', path.dirname(imageFile), name]);
  const tarDigest = sha1(tar);
  execFileSync('gzip', ['-9', tar]);
  const encrypted = path.join(work, `${name}.tar.gz.enc`);
  ok(['enc', '-e', '-aes-128-cbc', '-K', key, '-iv', iv, '-in', `${tar}.gz`, '-out', encrypted]);
  execFileSync('split', ['-b', String(o.partBytes), '-d', '-a', '2', encrypted, path.join(outDir, `${name}.part.`)]);
  const parts = fs.readdirSync(outDir).filter((f) => f.startsWith(`${name}.part.`)).sort();
  const ec2Key = encryptFor(o.cloudCert, o.keyOverride ?? key, work);
  const ec2Iv = encryptFor(o.cloudCert, iv, work);
  const userKey = encryptFor(o.userCert, key, work);
  const userIv = encryptFor(o.userCert, iv, work);
  const size = fs.statSync(imageFile).size;
  const bundled = fs.statSync(encrypted).size;
  const machine = [
    '<architecture>x86_64</architecture>',
    o.kernelId ? `<kernel_id>${o.kernelId}</kernel_id>` : '',
    o.ramdiskId ? `<ramdisk_id>${o.ramdiskId}</ramdisk_id>` : '',
    '<block_device_mapping><mapping><virtual>ami</virtual><device>sda1</device></mapping><mapping><virtual>root</virtual><device>/dev/sda1</device></mapping></block_device_mapping>',
  ].join('');
  const partsXml = parts.map((p, i) => `<part index="${i}"><filename>${p}</filename><digest algorithm="SHA1">${sha1(path.join(outDir, p))}</digest></part>`).join('');
  const machineXml = `<machine_configuration>${machine}</machine_configuration>`;
  const imageXml = `<image><name>${name}</name><user>000000000000</user><type>${o.type ?? 'machine'}</type><digest algorithm="SHA1">${tarDigest}</digest>`
    + `<size>${size}</size><bundled_size>${bundled}</bundled_size>`
    + `<ec2_encrypted_key algorithm="AES-128-CBC">${ec2Key}</ec2_encrypted_key><user_encrypted_key algorithm="AES-128-CBC">${userKey}</user_encrypted_key>`
    + `<ec2_encrypted_iv>${ec2Iv}</ec2_encrypted_iv><user_encrypted_iv>${userIv}</user_encrypted_iv>`
    + `<parts count="${parts.length}">${partsXml}</parts></image>`;
  // The user's RSA-SHA1 signature of machine_configuration and image, as the bundle tools sign.
  const signed = path.join(work, 'signed.txt');
  fs.writeFileSync(signed, machineXml + imageXml);
  const signature = Buffer.from(ok(['dgst', '-sha1', '-sign', o.userKey, signed]), 'latin1').toString('hex');
  const manifest = `<?xml version="1.0" ?><manifest><version>2007-10-10</version><bundler><name>euca-tools</name><version>3.4.1</version><release>3.4.1</release></bundler>`
    + `${machineXml}${imageXml}<signature>${signature}</signature></manifest>`;
  const manifestFile = path.join(outDir, `${name}.manifest.xml`);
  fs.writeFileSync(manifestFile, manifest);
  fs.rmSync(work, { recursive: true, force: true });
  return { dir: outDir, manifest: `${name}.manifest.xml`, parts };
}
