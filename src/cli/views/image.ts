import { ComputeClient } from '../../client/compute/client';
import { IMAGE_PROXY_MAX_VERSION } from '../../client/images';

/** The compute client at the last version that serves the image proxy (refused when a later one was asked for). */
export function imageProxy(nova: ComputeClient): ComputeClient {
  return nova.atMost(IMAGE_PROXY_MAX_VERSION, `The Compute API's image proxy (/images) answers only up to microversion ${IMAGE_PROXY_MAX_VERSION}: ` +
    `drop --os-compute-api-version or give ${IMAGE_PROXY_MAX_VERSION}, or use the Image service's own client.`);
}

/** novaclient's _print_image record: no links, the server as its id, one `metadata <key>` row per item. */
export function imageDetails(image: Record<string, unknown>): Record<string, unknown> {
  const info: Record<string, unknown> = { ...image };
  delete info.links;
  const server = info.server as { id?: string } | undefined;
  delete info.server;
  if (server && typeof server === 'object' && server.id) info.server = server.id;
  const metadata = info.metadata;
  delete info.metadata;
  if (metadata && typeof metadata === 'object') for (const [k, v] of Object.entries(metadata)) info[`metadata ${k}`] = v;
  return info;
}
