import { ImageNotAuthorized, ImageNotFound } from '../../exception';
import { Image } from '../../image/api';
import { imageEndpoint } from '../../image/client';
import { badRequest, forbidden, notFound } from '../faults';
import { q1 } from '../format';
import { ApiRequest, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { imageBasic, imageDetail, ImageLinkContext } from './views/images';

/** The image proxy was deprecated by 2.36 (MAX_PROXY_API_SUPPORT_VERSION); later versions answer 404. */
export const MAX_PROXY_VERSION = '2.35';

/**
 * Query filters of GET /images and their Image API v2 names. minRam and minDisk are minimums, as the
 * Compute API reference documents them: Glance's generic `<column>_min` range filter.
 */
const FILTERS: Record<string, string> = {
  name: 'name', status: 'status', 'changes-since': 'updated_at', server: 'instance_uuid', type: 'image_type',
  minRam: 'min_ram_min', minDisk: 'min_disk_min',
};

function glanceFilters(req: ApiRequest, maxLimit: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [param, raw] of Object.entries(req.query)) {
    const value = q1(raw);
    if (value === undefined) continue;
    if (param.startsWith('property-')) out[param.slice('property-'.length)] = value;
    else if (FILTERS[param]) out[FILTERS[param]] = value;
  }
  if (out.status) out.status = out.status.toLowerCase();
  if (out.updated_at) out.updated_at = `gte:${out.updated_at}`;
  if (out.instance_uuid) out.instance_uuid = out.instance_uuid.split('/').pop()!;
  for (const p of ['limit', 'page_size']) {
    const v = q1(req.query[p]);
    if (v !== undefined && !/^[0-9]+$/.test(v)) throw badRequest(`Invalid input for query parameters ${p}. Value: ${v}. '${v}' does not match '^[0-9]*$'`);
  }
  const limit = q1(req.query.limit);
  out.limit = String(limit && Number(limit) > 0 ? Math.min(Number(limit), maxLimit) : maxLimit);
  const marker = q1(req.query.marker);
  if (marker) out.marker = marker;
  return out;
}

/** Nova's `next` link when a page came back full. */
function collectionLinks(req: ApiRequest, images: Image[], collection: string, limit: number) {
  if (images.length === 0 || images.length !== limit) return undefined;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query)) if (k !== 'marker') for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  params.append('marker', images[images.length - 1].id);
  return [{ rel: 'next', href: `${req.baseUrl}/${collection}?${params}` }];
}

/** GET /images, /images/detail, /images/{id} and DELETE /images/{id}: Nova's proxy of the Image service. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const links = async (req: ApiRequest): Promise<ImageLinkContext> => ({ baseUrl: req.baseUrl, glanceUrl: await imageEndpoint(d.rt) });
  const list = async (req: ApiRequest, collection: string, view: (i: Image, c: ImageLinkContext) => unknown) => {
    const filters = glanceFilters(req, d.conf.api.max_limit);
    // Glance refuses a bad filter or an unknown marker with 400, which arrives as an Invalid (400).
    const images = await (await d.images()).list(req.ctx, filters);
    const c = await links(req);
    const out: Record<string, unknown> = { images: images.map((i) => view(i, c)) };
    const next = collectionLinks(req, images, collection, Number(filters.limit));
    if (next) out.images_links = next;
    return out;
  };

  r.get('/images', { max: MAX_PROXY_VERSION, handler: (req) => list(req, 'images', imageBasic) });
  r.get('/images/detail', { max: MAX_PROXY_VERSION, handler: (req) => list(req, 'images/detail', imageDetail) });

  r.get('/images/:id', {
    max: MAX_PROXY_VERSION,
    handler: async (req) => {
      try {
        return { image: imageDetail(await (await d.images()).get(req.ctx, req.params.id), await links(req)) };
      } catch (e) {
        if (e instanceof ImageNotFound) throw notFound('Image not found.');
        throw e;
      }
    },
  });

  r.delete('/images/:id', {
    max: MAX_PROXY_VERSION,
    status: 204,
    handler: async (req) => {
      try {
        await (await d.images()).delete(req.ctx, req.params.id);
      } catch (e) {
        if (e instanceof ImageNotFound) throw notFound('Image not found.');
        if (e instanceof ImageNotAuthorized) throw forbidden('You are not allowed to delete the image.');
        throw e;
      }
    },
  });
}
