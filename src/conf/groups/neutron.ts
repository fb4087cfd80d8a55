import { opt } from '../opt';

/**
 * Nova's `[neutron]` options that the metadata service reads: whether requests come through a
 * metadata proxy (Neutron's metadata agent, or anything signing the same way), and the secret that
 * proxy signs instance ids with.
 */
export const neutron = {
  service_metadata_proxy: opt.bool(false, 'Requests reach the metadata service through a proxy that names the instance in X-Instance-ID, X-Tenant-ID and X-Instance-ID-Signature (HMAC-SHA256 of the instance id with metadata_proxy_shared_secret) instead of being matched by source address.'),
  metadata_proxy_shared_secret: opt.str('', 'Secret shared with the metadata proxy. Required when service_metadata_proxy is true: with an empty secret anyone could forge the signature, so nova-api-metadata refuses to start.', { secret: true }),
};
