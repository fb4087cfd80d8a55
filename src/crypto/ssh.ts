import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { InvalidInput } from '../exception';

const SSH_TYPES = /^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)$/;

function sshString(buf: Buffer, at: number): { value: Buffer; next: number } {
  if (at + 4 > buf.length) throw new Error('truncated');
  const len = buf.readUInt32BE(at);
  if (at + 4 + len > buf.length) throw new Error('truncated');
  return { value: buf.subarray(at + 4, at + 4 + len), next: at + 4 + len };
}

/** Decodes an OpenSSH public key line and checks the key type inside the blob matches its name. */
export function parseSshPublicKey(line: string): { type: string; blob: Buffer; comment: string } {
  const parts = line.trim().split(/\s+/);
  const bad = () => new InvalidInput({ reason: 'Keypair data is invalid: failed to generate fingerprint' });
  if (parts.length < 2 || !SSH_TYPES.test(parts[0])) throw bad();
  const blob = Buffer.from(parts[1], 'base64');
  try {
    if (sshString(blob, 0).value.toString() !== parts[0]) throw bad();
  } catch { throw bad(); }
  return { type: parts[0], blob, comment: parts.slice(2).join(' ') };
}

/** Nova's ssh fingerprint: MD5 of the key blob as colon-separated hex. */
export function sshFingerprint(publicKey: string): string {
  const { blob } = parseSshPublicKey(publicKey);
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

/** Nova's x509 fingerprint: SHA1 of the DER certificate as colon-separated hex. */
export function x509Fingerprint(pem: string): string {
  let cert: X509Certificate;
  try { cert = new X509Certificate(pem); } catch { throw new InvalidInput({ reason: 'Keypair data is invalid: failed to generate fingerprint' }); }
  return createHash('sha1').update(cert.raw).digest('hex').match(/../g)!.join(':');
}

function mpint(n: Buffer): Buffer {
  const body = n[0] & 0x80 ? Buffer.concat([Buffer.from([0]), n]) : n;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

function str(s: string): Buffer {
  const b = Buffer.from(s);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** A new RSA 2048 key pair as Nova makes them: PKCS#1 PEM private key, OpenSSH public key. */
export function generateSshKeyPair(comment = 'Generated-by-Nova'): { privateKey: string; publicKey: string; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const blob = Buffer.concat([str('ssh-rsa'), mpint(Buffer.from(jwk.e, 'base64url')), mpint(Buffer.from(jwk.n, 'base64url'))]);
  const pub = `ssh-rsa ${blob.toString('base64')} ${comment}`;
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: pub,
    fingerprint: createHash('md5').update(blob).digest('hex').match(/../g)!.join(':'),
  };
}
