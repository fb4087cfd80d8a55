import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { utils as sshUtils } from 'ssh2';
import { InvalidKeypair } from '../exception';

/**
 * Key pair material as Nova makes and reads it (nova/crypto.py): OpenSSH public keys parsed by ssh2,
 * MD5 fingerprints of the key blob, SHA1 fingerprints of x509 certificates.
 */

/** Colon-separated lower-case hex, Nova's fingerprint format. */
function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)!.join(':');
}

/** An OpenSSH public key line ("type base64 [comment]"), checked by ssh2; InvalidKeypair otherwise. */
export function parseSshPublicKey(line: string): { type: string; blob: Buffer; comment: string } {
  const bad = () => new InvalidKeypair({ reason: 'failed to generate fingerprint' });
  // Only the one-line OpenSSH form is a public key to Nova (not RFC4716 or PPK files).
  if (!/^\S+ [A-Za-z0-9+/]+={0,3}( .*)?\s*$/s.test(line.trim())) throw bad();
  const parsed = sshUtils.parseKey(line);
  if (parsed instanceof Error || Array.isArray(parsed) || parsed.isPrivateKey()) throw bad();
  return { type: parsed.type, blob: parsed.getPublicSSH(), comment: parsed.comment };
}

/** Nova's ssh fingerprint: MD5 of the key blob as colon-separated hex. */
export function sshFingerprint(publicKey: string): string {
  return colonHex(createHash('md5').update(parseSshPublicKey(publicKey).blob).digest());
}

/** Nova's x509 fingerprint: SHA1 of the DER certificate as colon-separated hex. */
export function x509Fingerprint(pem: string): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new InvalidKeypair({ reason: `failed to generate X509 fingerprint. Error message: ${(e as Error).message}` });
  }
  return colonHex(createHash('sha1').update(cert.raw).digest());
}

export interface GeneratedKeyPair { privateKey: string; publicKey: string; fingerprint: string }

/** A new RSA 2048 key pair as Nova makes them: PKCS#1 PEM private key, "ssh-rsa ... Generated-by-Nova". */
export function generateSshKeyPair(comment = 'Generated-by-Nova'): GeneratedKeyPair {
  const keys = sshUtils.generateKeyPairSync('rsa', { bits: 2048, comment });
  const priv = sshUtils.parseKey(keys.private);
  if (priv instanceof Error) throw priv;
  const privateKey = (Array.isArray(priv) ? priv[0] : priv).getPrivatePEM();
  return { privateKey, publicKey: keys.public, fingerprint: sshFingerprint(keys.public) };
}

/** OID of the Microsoft User Principal Name, the otherName WinRM maps a certificate to a user by. */
const UPN_OID = '1.3.6.1.4.1.311.20.2.3';

/**
 * A certificate for passwordless WinRM login, as Nova's generate_winrm_x509_cert: self-signed,
 * CN=user_id, client-auth usage, UPN user_id@localhost, ten years. The private key comes back as a
 * base64 PKCS#12 bundle with an empty password; the public key is the certificate's PEM.
 */
export function generateX509KeyPair(userId: string): GeneratedKeyPair {
  const { privateKey: pem } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `00${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + 3650 * 86400_000);
  const subject = [{ name: 'commonName', value: userId }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const asn1 = forge.asn1;
  const upn = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(UPN_OID).getBytes()),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(`${userId}@localhost`)),
      ]),
    ]),
  ]);
  cert.setExtensions([{ name: 'extKeyUsage', clientAuth: true }, { id: '2.5.29.17', value: upn }]);
  cert.sign(key, forge.md.sha256.create());
  const certificate = forge.pki.certificateToPem(cert);
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], '', { algorithm: '3des' });
  const privateKey = Buffer.from(asn1.toDer(p12).getBytes(), 'binary').toString('base64');
  return { privateKey, publicKey: certificate, fingerprint: x509Fingerprint(certificate) };
}
