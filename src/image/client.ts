import { GlanceConnectionFailed } from '../exception';
import { Runtime } from '../service/runtime';
import { ImageService } from './api';
import { GlanceImageService } from './glance_client';

/** `host:port`, `http://host:port/` or `http://host:port/v2` -> `http://host:port` (the root Glance serves). */
export function normalizeEndpoint(server: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `http://${server}`;
  return withScheme.replace(/\/+$/, '').replace(/\/v2(\.\d+)?$/, '');
}

/**
 * The Image service endpoints this process uses: [glance] api_servers, else the built-in image
 * daemon's endpoint published in this process (waited for up to the RPC timeout, since daemons start
 * in order).
 */
export function imageEndpoints(rt: Runtime): () => Promise<string[]> {
  const configured = rt.conf.glance.api_servers.map(normalizeEndpoint);
  if (configured.length) return async () => configured;
  let published: Promise<string> | undefined;
  return async () => {
    if (rt.endpoints.image) return [rt.endpoints.image];
    published ??= new Promise<string>((resolve) => {
      void rt.onEndpoint(async (type, url) => { if (type === 'image') resolve(url); });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GlanceConnectionFailed({
        server: '(none)', reason: 'no Image service endpoint: set [glance] api_servers, or run the image daemon in this process ([image_service] enabled)',
      })), rt.rpcTimeoutMs);
      timer.unref();
    });
    try {
      return [await Promise.race([published, timeout])];
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The first Image service endpoint, for links such as the Compute API's `alternate` image link. */
export async function imageEndpoint(rt: Runtime): Promise<string> {
  return (await imageEndpoints(rt)())[0];
}

/** Runtime.imageService(): the HTTP client for the built-in Image service or a real Glance. */
export async function createImageService(rt: Runtime): Promise<ImageService> {
  return new GlanceImageService({
    endpoints: imageEndpoints(rt),
    token: async (ctx) => ctx.auth_token ?? (await rt.serviceToken()),
    retries: rt.conf.glance.num_retries,
    log: rt.log.child('image-client'),
  });
}
