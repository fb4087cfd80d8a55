import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Ec2Error } from './errors';
import { Ec2Params, parseQueryString } from './request';

/** What a request carries to be checked against a secret key. */
export interface SignedRequest {
  method: string;
  /** The path as sent (no query). */
  path: string;
  /** The raw query string (no `?`). */
  query: string;
  /** Header names lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as received (bytes for S3 objects). */
  body: string | Buffer;
  params: Ec2Params;
}

/** A request's claimed signer and how to check it once the secret is known. */
export interface ParsedSignature {
  version: 2 | 4;
  accessKey: string;
  /** SigV4: the region of the credential scope. */
  region?: string;
  /** The signature as sent (hex for v4, base64 for v2): what a Keystone checks in /v3/ec2tokens. */
  signature: string;
  verify(secret: string): boolean;
}

/** RFC 3986 encoding, as both signature versions canonicalise (only A-Z a-z 0-9 - _ . ~ stay). */
export function uriEncode(s: string, keepSlash = false): string {
  const encoded = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

const sha256hex = (s: string | Buffer) => (typeof s === 'string' ? createHash('sha256').update(s, 'utf8') : createHash('sha256').update(s)).digest('hex');
const hmac = (key: Buffer | string, s: string, alg = 'sha256') => createHmac(alg, key).update(s, 'utf8').digest();

function header(h: SignedRequest['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The query string in canonical order: encoded names and values, sorted by name then value. */
export function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => [uriEncode(k), uriEncode(v)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

/** The SigV4 signing key: date, region, service, "aws4_request", each an HMAC of the last. */
export function sigV4Key(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The path as SigV4 encodes it (each segment RFC 3986 encoded once; a malformed escape is kept as sent). */
function canonicalPath(p: string): string {
  try { return uriEncode(decodeURIComponent(p || '/'), true); } catch { return p || '/'; }
}

/** SigV4's canonical request, from the headers the client said it signed. */
export function sigV4CanonicalRequest(req: SignedRequest, signedHeaders: string[]): string {
  const pairs = [...new URLSearchParams(req.query)].filter(([k]) => k !== 'X-Amz-Signature');
  const headers = signedHeaders.map((n) => `${n}:${(header(req.headers, n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  // The body as received is what is hashed; a client's own x-amz-content-sha256 claim is not trusted.
  const payloadHash = sha256hex(req.body);
  return [req.method.toUpperCase(), canonicalPath(req.path), canonicalQuery(pairs), headers, signedHeaders.join(';'), payloadHash].join('\n');
}

const V4_AUTH = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/;

/** How far a request's time may be from ours (AWS allows 15 minutes). */
const MAX_SKEW_MS = 15 * 60_000;

function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

function parseV4(req: SignedRequest, now: number): ParsedSignature {
  const auth = header(req.headers, 'authorization') ?? '';
  const m = V4_AUTH.exec(auth);
  if (!m) throw new Ec2Error('IncompleteSignature', 'The Authorization header is not a valid AWS4-HMAC-SHA256 signature (Credential, SignedHeaders, Signature).');
  const scope = m[1].split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') throw new Ec2Error('IncompleteSignature', `Credential should be scoped to a valid region: ${m[1]}`);
  const [accessKey, date, region, service] = scope;
  const signedHeaders = m[2].split(';');
  if (!signedHeaders.includes('host')) throw new Ec2Error('IncompleteSignature', 'The host header must be signed (SignedHeaders).');
  const amzDate = header(req.headers, 'x-amz-date') ?? '';
  const when = parseAmzDate(amzDate || '');
  if (Number.isNaN(when) || !amzDate.startsWith(date)) throw new Ec2Error('IncompleteSignature', 'The X-Amz-Date header is missing or does not match the credential scope date.');
  if (Math.abs(now - when) > MAX_SKEW_MS) throw new Ec2Error('RequestExpired', `Request has expired: X-Amz-Date ${amzDate} is more than 15 minutes from the server's time ${new Date(now).toISOString()}.`);
  const given = m[3];
  return {
    version: 4, accessKey, region, signature: given,
    verify(secret) {
      const stringToSign = ['AWS4-HMAC-SHA256', amzDate, m[1].slice(accessKey.length + 1), sha256hex(sigV4CanonicalRequest(req, signedHeaders))].join('\n');
      return sameText(hmac(sigV4Key(secret, date, region, service), stringToSign).toString('hex'), given);
    },
  };
}

/** SigV2's string to sign: method, host, path, and every parameter but Signature in byte order. */
export function sigV2StringToSign(req: SignedRequest): string {
  const pairs = Object.entries(req.params).filter(([k]) => k !== 'Signature');
  const sorted = pairs.map(([k, v]) => [uriEncode(k), uriEncode(v)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  return [req.method.toUpperCase(), (header(req.headers, 'host') ?? '').toLowerCase(), req.path || '/', sorted].join('\n');
}

function parseV2(req: SignedRequest, now: number): ParsedSignature {
  const p = req.params;
  const method = p.SignatureMethod ?? 'HmacSHA256';
  const alg = method === 'HmacSHA256' ? 'sha256' : method === 'HmacSHA1' ? 'sha1' : null;
  if (!alg) throw new Ec2Error('InvalidParameterValue', `SignatureMethod ${method} is not supported: use HmacSHA256 or HmacSHA1.`);
  if (!p.AWSAccessKeyId || !p.Signature) throw new Ec2Error('MissingParameter', 'A version 2 signature needs AWSAccessKeyId and Signature.');
  const when = Date.parse(p.Timestamp ?? p.Expires ?? '');
  if (Number.isNaN(when)) throw new Ec2Error('MissingParameter', 'A version 2 signature needs Timestamp or Expires.');
  if (p.Expires ? when < now : Math.abs(now - when) > MAX_SKEW_MS) throw new Ec2Error('RequestExpired', `Request has expired: ${p.Expires ? 'Expires' : 'Timestamp'} ${p.Expires ?? p.Timestamp}.`);
  return {
    version: 2, accessKey: p.AWSAccessKeyId, signature: p.Signature,
    verify: (secret) => sameText(hmac(secret, sigV2StringToSign(req), alg).toString('base64'), p.Signature),
  };
}

/**
 * Reads the signature of a request: SigV4 in the Authorization header (what aws-cli, boto3 and the
 * SDKs send), or SigV2 in the parameters (`SignatureVersion=2`). Anything else is refused.
 */
export function parseSignature(req: SignedRequest, now = Date.now()): ParsedSignature {
  const auth = header(req.headers, 'authorization');
  if (auth?.startsWith('AWS4-HMAC-SHA256')) return parseV4(req, now);
  if (req.params.SignatureVersion === '2') return parseV2(req, now);
  if (req.params.SignatureVersion !== undefined) {
    throw new Ec2Error('InvalidParameterValue', `SignatureVersion ${req.params.SignatureVersion} is not supported: sign with version 4 (or 2).`);
  }
  if (parseQueryString(req.query)['X-Amz-Signature']) throw new Ec2Error('AuthFailure', 'Presigned (query string) version 4 signatures are not supported: sign with the Authorization header.', 401);
  throw new Ec2Error('AuthFailure', 'The request is not signed: send an AWS4-HMAC-SHA256 Authorization header (or a version 2 signature).', 401);
}
