import { RequestContext } from '../../context';
import { ImageNotAuthorized, ImageNotFound } from '../../exception';
import { Image, ImageService } from '../../image/api';
import { QuotaAPI } from '../../compute/quota_api';
import { badRequest, forbidden, notFound } from '../faults';
import { ApiRouter } from '../router';
import { types } from '../validation';
import { ControllerDeps } from './deps';

/** Image metadata stayed in the API until 2.39 deprecated it (one step after the image proxy). */
export const MAX_IMAGE_METADATA_VERSION = '2.38';

const metadataBody = { type: 'object', properties: { metadata: types.metadata }, required: ['metadata'], additionalProperties: false };
const metaBody = {
  type: 'object', properties: { meta: { ...types.metadata, minProperties: 1, maxProperties: 1 } }, required: ['meta'], additionalProperties: false,
};

/** Nova's answers to the image service's refusals. */
function translate(e: unknown, imageId: string): never {
  if (e instanceof ImageNotFound) throw notFound('Image not found.');
  if (e instanceof ImageNotAuthorized) throw forbidden(`Not authorized for image ${imageId}.`);
  throw e;
}

/**
 * /images/{id}/metadata[/{key}]: Glance's custom properties through the Compute API. Writes count
 * against the project's metadata_items quota, as Nova checked it before 2.39.
 */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const quotas = new QuotaAPI(d.conf);
  const load = async (ctx: RequestContext, id: string): Promise<{ svc: ImageService; image: Image }> => {
    const svc = await d.images();
    try {
      return { svc, image: await svc.get(ctx, id) };
    } catch (e) {
      return translate(e, id);
    }
  };
  const checkQuota = async (ctx: RequestContext, props: Record<string, string>) => {
    const allowed = (await quotas.limits(ctx.project_id ?? ''))['metadata_items'] ?? d.conf.quota.metadata_items;
    if (allowed >= 0 && Object.keys(props).length > allowed) throw forbidden('Image metadata limit exceeded');
  };
  /** Makes the image's properties exactly `props` (Nova's update with purge_props). */
  const save = async (ctx: RequestContext, svc: ImageService, image: Image, props: Record<string, string>): Promise<Image> => {
    const changed = Object.fromEntries(Object.entries(props).filter(([k, v]) => image.properties[k] !== v));
    const removed = Object.keys(image.properties).filter((k) => !(k in props));
    try {
      return await svc.update(ctx, image.id, { properties: changed }, removed);
    } catch (e) {
      return translate(e, image.id);
    }
  };
  const range = { max: MAX_IMAGE_METADATA_VERSION };

  r.get('/images/:image_id/metadata', {
    ...range,
    handler: async (req) => ({ metadata: (await load(req.ctx, req.params.image_id)).image.properties }),
  });

  r.get('/images/:image_id/metadata/:key', {
    ...range,
    handler: async (req) => {
      const props = (await load(req.ctx, req.params.image_id)).image.properties;
      if (!(req.params.key in props)) throw notFound('The resource could not be found.');
      return { meta: { [req.params.key]: props[req.params.key] } };
    },
  });

  r.post('/images/:image_id/metadata', {
    ...range,
    body: metadataBody,
    handler: async (req) => {
      const { svc, image } = await load(req.ctx, req.params.image_id);
      const props = { ...image.properties, ...req.body.metadata };
      await checkQuota(req.ctx, props);
      return { metadata: (await save(req.ctx, svc, image, props)).properties };
    },
  });

  r.put('/images/:image_id/metadata', {
    ...range,
    body: metadataBody,
    handler: async (req) => {
      const { svc, image } = await load(req.ctx, req.params.image_id);
      await checkQuota(req.ctx, req.body.metadata);
      await save(req.ctx, svc, image, req.body.metadata);
      return { metadata: req.body.metadata };
    },
  });

  r.put('/images/:image_id/metadata/:key', {
    ...range,
    body: metaBody,
    handler: async (req) => {
      const { key } = req.params;
      if (!(key in req.body.meta)) throw badRequest('Request body and URI mismatch');
      const { svc, image } = await load(req.ctx, req.params.image_id);
      const props = { ...image.properties, [key]: req.body.meta[key] };
      await checkQuota(req.ctx, props);
      await save(req.ctx, svc, image, props);
      return { meta: req.body.meta };
    },
  });

  r.delete('/images/:image_id/metadata/:key', {
    ...range,
    status: 204,
    handler: async (req) => {
      const { svc, image } = await load(req.ctx, req.params.image_id);
      if (!(req.params.key in image.properties)) throw notFound('Invalid metadata key');
      const props = { ...image.properties };
      delete props[req.params.key];
      await save(req.ctx, svc, image, props);
    },
  });
}
