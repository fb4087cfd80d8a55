import { randomBytes } from 'node:crypto';
import * as forge from 'node-forge';
import { InvalidInput } from '../exception';
import { SubjectAttribute } from './subject';

const DAY_MS = 24 * 3600 * 1000;
/** Validity of user certificates (Nova's openssl.cnf default_days). */
export const USER_CERT_DAYS = 365;
/**
 * Validity of CA certificates. Nova's scripts gave CAs 365 days, after which every certificate they
 * signed stopped verifying; ten years keeps the CA longer-lived than what it signs.
 */
export const CA_CERT_DAYS = 3650;

/** A CA's certificate and key, as the issuing code needs them. */
export interface Signer {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

/**
 * A positive 128-bit serial in hex, DER-minimal (first byte 0x01..0x7f): random serials stay unique
 * without a shared counter, and the database's unique index on (CA, serial) catches the impossible.
 */
export function randomSerialHex(): string {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) || 0x01;
  return b.toString('hex').toUpperCase();
}

/** A PKCS#10 request for `subject`, signed with the requester's own key (as `openssl req -new`). */
export function makeCsr(keys: forge.pki.rsa.KeyPair, subject: SubjectAttribute[]): forge.pki.CertificateSigningRequest {
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  csr.setSubject(subject);
  csr.sign(keys.privateKey, forge.md.sha256.create());
  return csr;
}

/** The key identifier of a certificate's public key (RFC 5280 4.2.1.2 method 1), as bytes. */
export function keyIdentifier(cert: forge.pki.Certificate): string {
  const ext = cert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  return ext?.subjectKeyIdentifier ? forge.util.hexToBytes(ext.subjectKeyIdentifier) : cert.generateSubjectKeyIdentifier().getBytes();
}

interface CertSpec {
  serial: string;
  subject: forge.pki.CertificateField[];
  publicKey: forge.pki.rsa.PublicKey;
  days: number;
  isCA: boolean;
  /** Who signs: another CA, or nobody for a self-signed root (then `selfKey` signs). */
  issuer: Signer | null;
  selfKey?: forge.pki.rsa.PrivateKey;
  now?: Date;
  /** A TLS server certificate: these names go in subjectAltName, and the key is usable for serverAuth only. */
  server?: ServerNames;
}

/** The names a TLS server certificate is valid for, split as subjectAltName types them. */
export interface ServerNames {
  dns: string[];
  ips: string[];
}

// subjectAltName GeneralName tags (RFC 5280 4.2.1.6).
const SAN_DNS = 2;
const SAN_IP = 7;

/** Builds and signs an X.509 v3 certificate with SHA-256. */
export function buildCertificate(spec: CertSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  const now = spec.now ?? new Date();
  cert.serialNumber = spec.serial;
  cert.publicKey = spec.publicKey;
  // A minute of slack so a verifier whose clock is a little behind still accepts a fresh certificate.
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + spec.days * DAY_MS);
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : spec.subject);
  const ski = cert.generateSubjectKeyIdentifier().getBytes();
  const aki = spec.issuer ? keyIdentifier(spec.issuer.cert) : ski;
  cert.setExtensions([
    { name: 'basicConstraints', cA: spec.isCA, critical: true },
    spec.isCA
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier', subjectKeyIdentifier: forge.util.bytesToHex(ski) },
    { name: 'authorityKeyIdentifier', keyIdentifier: aki },
    ...(spec.server ? [
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...spec.server.dns.map((value) => ({ type: SAN_DNS, value })), ...spec.server.ips.map((ip) => ({ type: SAN_IP, ip }))] },
    ] : []),
  ]);
  const signingKey = spec.issuer?.key ?? spec.selfKey;
  if (!signingKey) throw new Error('a self-signed certificate needs its own private key to sign it');
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
}

/** node-forge throws, rather than answers false, for some signatures that do not match the key. */
function requireCsrSignature(csr: forge.pki.CertificateSigningRequest): void {
  let ok = false;
  try { ok = !!csr.publicKey && csr.verify(); } catch { ok = false; }
  if (!ok) throw new InvalidInput({ reason: 'the certificate request signature does not verify' });
}

/**
 * Signs a certificate request with a CA, as `openssl ca` did for Nova: the request's own signature
 * must hold, and the certificate gets the request's subject and key.
 */
export function signCsr(csr: forge.pki.CertificateSigningRequest, ca: Signer, serial: string, days = USER_CERT_DAYS): forge.pki.Certificate {
  requireCsrSignature(csr);
  return buildCertificate({
    serial, subject: csr.subject.attributes, publicKey: csr.publicKey as forge.pki.rsa.PublicKey, days, isCA: false, issuer: ca,
  });
}

/**
 * Signs a TLS server certificate for the key of `csr`: only the request's key and signature are used,
 * the subject and names are the issuer's choice, so a request cannot ask for names it was not given.
 */
export function signServerCsr(csr: forge.pki.CertificateSigningRequest, ca: Signer, serial: string, subject: SubjectAttribute[], names: ServerNames,
  days = USER_CERT_DAYS): forge.pki.Certificate {
  requireCsrSignature(csr);
  return buildCertificate({ serial, subject, publicKey: csr.publicKey as forge.pki.rsa.PublicKey, days, isCA: false, issuer: ca, server: names });
}
