import * as forge from 'node-forge';
import { keyIdentifier, Signer } from './x509';

const { asn1 } = forge;
const DAY_MS = 24 * 3600 * 1000;
/** How long a CRL stays current (Nova's openssl.cnf default_crl_days). */
export const CRL_DAYS = 365;

export interface RevokedEntry {
  /** Serial number in hex, as recorded when the certificate was issued. */
  serial: string;
  revoked_at: Date;
}

const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const oid = (dotted: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);

/** A DER INTEGER from hex, with the leading zero byte a positive number needs when its top bit is set. */
function integerFromHex(hex: string): forge.asn1.Asn1 {
  let h = hex.replace(/^0+(?=..)/, '');
  if (h.length % 2) h = '0' + h;
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = '00' + h;
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, forge.util.hexToBytes(h));
}

/** RFC 5280 Time: UTCTime through 2049, GeneralizedTime from 2050. */
function time(d: Date): forge.asn1.Asn1 {
  return d.getUTCFullYear() < 2050
    ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d))
    : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
}

function extension(id: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid(id), octets(asn1.toDer(value).getBytes())]);
}

/** The CA's subject exactly as encoded in its certificate, so the CRL issuer matches byte for byte. */
function subjectName(caCertPem: string): forge.asn1.Asn1 {
  const certAsn1 = asn1.fromDer(forge.pem.decode(caCertPem)[0].body);
  const tbs = (certAsn1.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  const hasVersion = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC;
  return tbs[hasVersion ? 5 : 4];
}

/**
 * Builds and signs a v2 CRL (RFC 5280 section 5.1 CertificateList) with SHA-256 and RSA:
 * node-forge has no CRL builder, so the ASN.1 is assembled here. It carries the two extensions a
 * conforming CA must include: the authority key identifier and a CRL number that only grows.
 */
export function buildCrl(ca: Signer & { certPem: string }, revoked: RevokedEntry[], crlNumber: number, now = new Date()): string {
  const sigAlg = seq([oid(forge.pki.oids.sha256WithRSAEncryption), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
  const tbsItems: forge.asn1.Asn1[] = [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(1).getBytes()), // v2
    sigAlg,
    subjectName(ca.certPem),
    time(now),
    time(new Date(now.getTime() + CRL_DAYS * DAY_MS)),
  ];
  if (revoked.length) {
    const ordered = [...revoked].sort((a, b) => a.revoked_at.getTime() - b.revoked_at.getTime());
    tbsItems.push(seq(ordered.map((r) => seq([integerFromHex(r.serial), time(r.revoked_at)]))));
  }
  const authorityKeyId = seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyIdentifier(ca.cert))]);
  const number = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(crlNumber).getBytes());
  tbsItems.push(asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [seq([
    extension('2.5.29.35', authorityKeyId), // authorityKeyIdentifier
    extension('2.5.29.20', number), // cRLNumber
  ])]));
  const tbs = seq(tbsItems);
  const md = forge.md.sha256.create();
  md.update(asn1.toDer(tbs).getBytes());
  const signature = ca.key.sign(md);
  const crl = seq([tbs, sigAlg, asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + signature)]);
  return forge.pem.encode({ type: 'X509 CRL', body: asn1.toDer(crl).getBytes() }, { maxline: 64 });
}
