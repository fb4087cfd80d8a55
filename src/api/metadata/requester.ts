import { createHmac, timingSafeEqual } from 'node:crypto';
import { normalizeAddress } from '../../db/api/instance_network';
import { Logger } from '../../lib/log';

/**
 * Who is asking (Nova's MetadataRequestHandler): behind a metadata proxy, the instance the proxy
 * names and signs; otherwise the instance whose fixed IP is the request's source address. Nothing a
 * guest can put in a header picks another instance: proxy headers count only when signed with the
 * shared secret, and X-Forwarded-For only when `[api] use_forwarded_for` trusts the hop before us.
 */

export interface RequesterSettings {
  /** `[neutron] service_metadata_proxy`. */
  proxy: boolean;
  /** `[neutron] metadata_proxy_shared_secret`. */
  sharedSecret: string;
  /** `[api] use_forwarded_for`. */
  useForwardedFor: boolean;
}

export interface Requester {
  instanceUuid: string;
  /** The project the proxy says the instance belongs to (checked against the instance), else null. */
  tenantId: string | null;
  /** The guest's address, when known (EC2 local-ipv4 falls back to it). */
  address: string | null;
}

/** An answer with a status other than 200 and a webob-style text body. */
export class MetadataHttpError extends Error {
  constructor(readonly status: number, readonly explanation: string) {
    super(explanation);
    this.name = 'MetadataHttpError';
  }
}

/** HMAC-SHA256 of the instance id with the shared secret, hex: what the proxy sends as the signature. */
export function signInstanceId(secret: string, instanceId: string): string {
  return createHmac('sha256', secret).update(instanceId, 'utf8').digest('hex');
}

/** Constant-time comparison of `signature` with the expected one. */
export function signatureMatches(secret: string, instanceId: string, signature: string | undefined): boolean {
  const expected = Buffer.from(signInstanceId(secret, instanceId), 'utf8');
  const given = Buffer.from(signature ?? '', 'utf8');
  const sameLength = given.length === expected.length;
  // timingSafeEqual needs equal lengths: a wrong length still costs one comparison.
  const equal = timingSafeEqual(sameLength ? given : expected, expected);
  return sameLength && equal;
}

export type HeaderLists = Record<string, string[] | undefined>;

function one(headers: HeaderLists, name: string): string | undefined {
  return headers[name.toLowerCase()]?.[0];
}

function firstForwarded(headers: HeaderLists): string | undefined {
  const v = headers['x-forwarded-for']?.[0];
  return v?.split(',')[0]?.trim() || undefined;
}

function fromProxy(headers: HeaderLists, s: RequesterSettings, log: Logger): Requester {
  if (one(headers, 'x-metadata-provider')) {
    throw new MetadataHttpError(400, 'X-Metadata-Provider requests are not supported: they need Neutron ports and subnets. Have the proxy send X-Instance-ID, X-Tenant-ID and X-Instance-ID-Signature.');
  }
  const ids = headers['x-instance-id'];
  const tenants = headers['x-tenant-id'];
  const signature = one(headers, 'x-instance-id-signature');
  let problem: string | undefined;
  if (!ids?.length) problem = 'X-Instance-ID header is missing from request.';
  else if (signature === undefined) problem = 'X-Instance-ID-Signature header is missing from request.';
  else if (!tenants?.length) problem = 'X-Tenant-ID header is missing from request.';
  else if (ids.length > 1) problem = 'Multiple X-Instance-ID headers found within request.';
  else if (tenants.length > 1) problem = 'Multiple X-Tenant-ID headers found within request.';
  if (problem) throw new MetadataHttpError(400, problem);
  const address = firstForwarded(headers) ?? null;
  if (!signatureMatches(s.sharedSecret, ids![0], signature)) {
    log.warn(`X-Instance-ID-Signature does not match the expected signature for id ${ids![0]}`, { from: address });
    throw new MetadataHttpError(403, 'Invalid proxy request signature.');
  }
  return { instanceUuid: ids![0], tenantId: tenants![0], address: address && normalizeAddress(address) };
}

/**
 * The requester of a request with these headers from `socketAddress`. `byAddress` finds the instance
 * that owns a fixed IP (null when none: 404).
 */
export async function identifyRequester(headers: HeaderLists, socketAddress: string, s: RequesterSettings, byAddress: (address: string) => Promise<string | null>, log: Logger): Promise<Requester> {
  if (s.proxy) return fromProxy(headers, s, log);
  if (one(headers, 'x-instance-id')) {
    log.warn("X-Instance-ID present in request headers. The '[neutron] service_metadata_proxy' option must be enabled to process this header.");
  }
  const address = normalizeAddress((s.useForwardedFor ? firstForwarded(headers) : undefined) ?? socketAddress);
  const uuid = await byAddress(address);
  if (!uuid) {
    log.error(`Failed to get metadata for IP ${address}: no instance has it as a fixed IP`);
    throw new MetadataHttpError(404, 'The resource could not be found.');
  }
  return { instanceUuid: uuid, tenantId: null, address };
}
