import type { ComputeClient } from './compute/client';
import { ApiError, CommandError } from './errors';
import { isUuidLike } from './find';

/** What the commands need of an image, whichever service answered. */
export interface ImageInfo {
  id: string;
  name: string | null;
  status: string;
  /** The full record as the answering service gave it. */
  raw: Record<string, unknown>;
}

/** The last microversion that serves the compute `/images` proxy. */
export const IMAGE_PROXY_MAX_VERSION = '2.35';

/**
 * Finds images by name or id as novaclient does: through the Image service (Glance v2) when the
 * catalog has one; with a bare compute endpoint (--os-token + --os-endpoint-override), through the
 * Compute API's image proxy at 2.35.
 */
export class ImageFinder {
  constructor(private readonly nova: ComputeClient) {}

  async find(nameOrId: string): Promise<ImageInfo> {
    const glance = await this.glanceUrl();
    if (glance) return this.findInGlance(glance, nameOrId);
    const proxy = this.proxy();
    if (isUuidLike(nameOrId)) {
      try {
        return fromProxy(await proxy.images.get(nameOrId));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    }
    const matches = (await proxy.images.list({ name: nameOrId })).filter((i) => i.name === nameOrId);
    return pickOne(matches.map(fromProxy), nameOrId);
  }

  async get(id: string): Promise<ImageInfo> {
    const glance = await this.glanceUrl();
    if (glance) {
      const res = await this.nova.session.request<GlanceImage>('image', { method: 'GET', path: `${glance}/images/${encodeURIComponent(id)}` });
      return fromGlance(res.body);
    }
    return fromProxy(await this.proxy().images.get(id));
  }

  private async findInGlance(base: string, nameOrId: string): Promise<ImageInfo> {
    if (isUuidLike(nameOrId)) {
      try {
        return await this.get(nameOrId);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    }
    const res = await this.nova.session.request<{ images: GlanceImage[] }>('image', { method: 'GET', path: `${base}/images`, query: { name: nameOrId } });
    return pickOne(res.body.images.map(fromGlance), nameOrId);
  }

  private proxy(): ComputeClient {
    return this.nova.atMost(IMAGE_PROXY_MAX_VERSION,
      `The Compute API serves images only up to microversion ${IMAGE_PROXY_MAX_VERSION} and no image service is in the catalog: ` +
      `authenticate with --os-auth-url, or use --os-compute-api-version ${IMAGE_PROXY_MAX_VERSION}.`);
  }

  /** `{image endpoint}/v2`, or undefined without a catalog entry. */
  private async glanceUrl(): Promise<string | undefined> {
    const url = await this.nova.session.optionalEndpoint('image');
    if (!url) return undefined;
    return /\/v2(\.\d+)?$/.test(url) ? url : `${url}/v2`;
  }
}

function pickOne(matches: ImageInfo[], nameOrId: string): ImageInfo {
  if (matches.length > 1) throw new CommandError(`Multiple image matches found for '${nameOrId}', use an ID to be more specific.`);
  if (matches.length === 0) throw new CommandError(`No image with a name or ID of '${nameOrId}' exists.`);
  return matches[0];
}

interface GlanceImage { id: string; name: string | null; status: string; [k: string]: unknown }

function fromGlance(i: GlanceImage): ImageInfo {
  return { id: i.id, name: i.name, status: i.status, raw: i };
}

function fromProxy(i: { id: string; name: string; status: string }): ImageInfo {
  return { id: i.id, name: i.name, status: i.status, raw: i as unknown as Record<string, unknown> };
}
