import { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { FastifyInstance } from 'fastify';
import { imageUpdate } from '../../db/api/images';
import { ImageTooLarge } from '../store';
import { findVisible, mayModify } from './access';
import { badRequest, conflict, forbidden, GlanceError, tooLarge } from './errors';
import { ImageServerDeps, mediaType, Params } from './request';

/**
 * The request body as a stream the store may destroy without destroying the request: when the size
 * cap stops an upload, Node discards the rest of the body after the 413 answer, so the client reads
 * the answer instead of a reset connection. A client that goes away fails the stream.
 */
function uploadSource(req: IncomingMessage): PassThrough {
  const pass = new PassThrough();
  req.pipe(pass);
  req.on('error', (e) => pass.destroy(e));
  req.on('close', () => { if (!req.complete) pass.destroy(new Error('the client closed the connection during the upload')); });
  return pass;
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` against a size; null when absent, 'bad' when unsatisfiable. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  let start: number;
  let end: number;
  if (m[1] === '') { start = Math.max(0, size - Number(m[2])); end = size - 1; }
  else { start = Number(m[1]); end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1); }
  return start > end || start >= size ? 'bad' : { start, end };
}

/** PUT and GET /v2/images/{id}/file: streaming upload into the store, and download. */
export function registerDataRoutes(app: FastifyInstance, deps: ImageServerDeps): void {
  app.put<{ Params: Params }>('/v2/images/:id/file', async (req, reply) => {
    const image = await findVisible(req.caller, req.params.id);
    if (!mayModify(req.caller, image)) throw forbidden(`Not allowed to upload image data for image ${image.id}`);
    const type = mediaType(req);
    if (type !== 'application/octet-stream') throw new GlanceError(415, `Invalid content type ${type || '(none)'}`);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > deps.sizeCap) {
      // Nothing was read: close rather than let Node drain a body that may be huge.
      throw new GlanceError(413, 'The incoming image is too large: The provided image is too large.', { connection: 'close' });
    }
    if (image.status !== 'queued') throw conflict(`Image status transition from ${image.status} to saving is not allowed`);
    const missing = (['disk_format', 'container_format'] as const).filter((k) => !image[k]);
    if (missing.length) throw badRequest(`${missing.length === 1 ? 'Property' : 'Properties'} ${missing.join(', ')} must be set prior to saving data.`);
    if (!(await imageUpdate(image.id, { values: { status: 'saving' } }, ['queued']))) {
      throw conflict('Image status transition from saving to saving is not allowed');
    }
    let stored;
    try {
      stored = await deps.store.add(image.id, uploadSource(req.raw), deps.sizeCap);
    } catch (e) {
      await imageUpdate(image.id, { values: { status: 'queued', size: null, virtual_size: null } }, ['saving']);
      if (e instanceof ImageTooLarge) throw tooLarge(`The incoming image is too large: ${e.message}`);
      deps.log.warn(`image ${image.id}: upload failed, image back to queued: ${(e as Error).message}`, { request_id: req.id });
      throw e;
    }
    const done = await imageUpdate(image.id, {
      values: { status: 'active', size: stored.size, checksum: stored.md5, os_hash_algo: 'sha512', os_hash_value: stored.sha512, location: stored.location },
    }, ['saving']);
    if (!done) {
      await deps.store.delete(stored.location);
      throw new GlanceError(410, `Image ${image.id} could not be found after upload. The image may have been deleted during the upload.`);
    }
    deps.log.info(`image ${image.id} active: ${stored.size} bytes`, { request_id: req.id });
    return reply.code(204).send();
  });

  app.get<{ Params: Params }>('/v2/images/:id/file', async (req, reply) => {
    const image = await findVisible(req.caller, req.params.id);
    if (image.status === 'deactivated' && !req.caller.is_admin) {
      throw forbidden('The requested image has been deactivated. Image data download is forbidden.');
    }
    const size = image.location && image.status === 'active' ? await deps.store.size(image.location) : null;
    if (size === null) return reply.code(204).send();
    const range = parseRange(req.headers.range, size);
    if (range === 'bad') throw new GlanceError(416, 'Requested range not satisfiable', { 'content-range': `bytes */${size}` });
    reply.header('content-type', 'application/octet-stream');
    if (image.checksum) reply.header('content-md5', image.checksum);
    if (!range) return reply.header('content-length', String(size)).send(deps.store.read(image.location!));
    return reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', String(range.end - range.start + 1)).send(deps.store.read(image.location!, range));
  });
}
