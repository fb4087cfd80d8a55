import { randomUUID } from 'node:crypto';
import { FastifyInstance } from 'fastify';
import { RequestContext } from '../../context';
import { imageCreate, imageList, imageSoftDelete, imageUpdate, ImageValues } from '../../db/api/images';
import { DISALLOWED_ON_CREATE, imageSchemaError, RESERVED_ATTRIBUTES, RESERVED_NAMESPACE } from '../schemas';
import { findVisible, mayModify, notAuthorized } from './access';
import { badRequest, conflict, forbidden, notFound } from './errors';
import { parseListQuery } from './list_query';
import { applyPatch, parsePatch, PATCH_TYPES, unsupportedPatchType } from './patch';
import { baseUrl, ImageServerDeps, jsonBody, mediaType, Params } from './request';
import { imageView } from './view';

/** Base attributes of a create body; every other key is a custom property. */
const CREATE_BASE = ['container_format', 'disk_format', 'id', 'min_disk', 'min_ram', 'name', 'tags', 'owner', 'visibility', 'protected', 'os_hidden'];
/** Refused in a create body even though they are attributes (Glance's ImageFactory). */
const CREATE_READ_ONLY = ['checksum', 'created_at', 'size', 'virtual_size', 'status', 'updated_at', 'os_hash_algo', 'os_hash_value'];

interface CreateRequest { id: string; values: ImageValues; props: Record<string, string>; tags: string[] }

/** Checks a POST /v2/images body and splits it into attributes, custom properties and tags. */
function readCreateBody(ctx: RequestContext, body: unknown): CreateRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest("Provided object does not match schema 'image': body is not of type 'object'");
  const b = body as Record<string, unknown>;
  for (const key of DISALLOWED_ON_CREATE) if (key in b) throw forbidden(`Attribute '${key}' is read-only.`);
  const err = imageSchemaError(b);
  if (err) throw badRequest(err);
  for (const key of CREATE_READ_ONLY) if (key in b) throw forbidden(`Attribute '${key}' is read-only.`);
  const values: ImageValues = {};
  const props: Record<string, string> = {};
  for (const [key, value] of Object.entries(b)) {
    if (CREATE_BASE.includes(key)) continue;
    if (key.length > 255) throw badRequest('Custom property should not be greater than 255 characters.');
    if (RESERVED_ATTRIBUTES.includes(key) || key.startsWith(RESERVED_NAMESPACE)) throw forbidden(`Attribute '${key}' is reserved.`);
    props[key] = value === null ? '' : String(value);
  }
  for (const key of ['name', 'disk_format', 'container_format', 'visibility', 'protected', 'os_hidden', 'min_ram', 'min_disk'] as const) {
    if (b[key] !== undefined) (values as Record<string, unknown>)[key] = b[key];
  }
  for (const key of ['min_ram', 'min_disk'] as const) {
    const v = values[key];
    if (typeof v === 'number' && v < 0) throw badRequest(`Invalid value '${v}' for parameter '${key}': Cannot be a negative value`);
  }
  const owner = b.owner === undefined ? ctx.project_id : (b.owner as string | null);
  if (!ctx.is_admin && owner !== ctx.project_id) throw notAuthorized('add_image');
  values.owner = owner;
  if (values.visibility === 'public' && !ctx.is_admin) throw notAuthorized('publicize_image');
  return { id: (b.id as string | undefined) ?? randomUUID(), values, props, tags: (b.tags as string[] | undefined) ?? [] };
}

/** The image collection and items: list, create, show, PATCH, delete. */
export function registerImageRoutes(app: FastifyInstance, deps: ImageServerDeps): void {
  app.get('/v2/images', async (req) => {
    const params = req.query as Record<string, string | string[]>;
    const { query } = await parseListQuery(req.caller, params);
    const images = await imageList(query);
    const rest = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (k !== 'marker') for (const x of Array.isArray(v) ? v : [v]) rest.append(k, x);
    const body: Record<string, unknown> = {
      images: images.map(imageView), first: rest.size ? `/v2/images?${rest}` : '/v2/images', schema: '/v2/schemas/images',
    };
    // A full page may have a successor; Glance gives the link and lets the next page be empty.
    if (images.length > 0 && images.length === query.limit) {
      rest.append('marker', images[images.length - 1].id);
      body.next = `/v2/images?${rest}`;
    }
    return body;
  });

  app.post('/v2/images', async (req, reply) => {
    const c = readCreateBody(req.caller, jsonBody(req));
    let image;
    try {
      image = await imageCreate(c.id, c.values, c.props, c.tags);
    } catch (e) {
      if ((e as Error).name === 'SequelizeUniqueConstraintError') throw conflict(`Image ID ${c.id} already exists!`);
      throw e;
    }
    deps.log.info(`image ${image.id} created`, { owner: image.owner, request_id: req.id });
    return reply.code(201).header('location', `${baseUrl(req)}/v2/images/${image.id}`).send(imageView(image));
  });

  app.get<{ Params: Params }>('/v2/images/:id', async (req) => imageView(await findVisible(req.caller, req.params.id)));

  app.patch<{ Params: Params }>('/v2/images/:id', async (req) => {
    const draft = PATCH_TYPES[mediaType(req)];
    if (!draft) throw unsupportedPatchType();
    const ops = parsePatch(jsonBody(req), draft);
    const image = await findVisible(req.caller, req.params.id);
    if (!mayModify(req.caller, image)) throw notAuthorized('modify_image');
    const changes = applyPatch(req.caller, image, ops);
    const updated = await imageUpdate(image.id, changes);
    if (!updated) throw notFound(`No image found with ID ${image.id}`);
    return imageView(updated);
  });

  app.delete<{ Params: Params }>('/v2/images/:id', async (req, reply) => {
    const notFoundText = `Failed to find image ${req.params.id} to delete`;
    const image = await findVisible(req.caller, req.params.id, notFoundText);
    if (!mayModify(req.caller, image)) throw notAuthorized('delete_image');
    if (image.protected) throw forbidden(`Image ${image.id} is protected and cannot be deleted.`);
    if (!(await imageSoftDelete(image.id))) throw notFound(notFoundText);
    if (image.location) await deps.store.delete(image.location).catch((e) => deps.log.warn(`image ${image.id}: data not removed: ${e.message}`));
    deps.log.info(`image ${image.id} deleted`, { request_id: req.id });
    return reply.code(204).send();
  });
}
