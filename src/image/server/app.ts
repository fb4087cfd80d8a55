import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthProvider } from '../../api/auth';
import { makeContext, newRequestId } from '../../context';
import { imageSchema, imagesSchema, memberSchema, membersSchema } from '../schemas';
import { registerDataRoutes } from './data';
import { GlanceError, renderError } from './errors';
import { registerImageRoutes } from './images';
import { registerMemberRoutes } from './members';
import { baseUrl, ImageServerDeps } from './request';
import { registerTagRoutes } from './tags';

export interface ImageAppOptions extends ImageServerDeps {
  auth: AuthProvider;
}

/** Largest JSON body accepted (image records are small; data goes through PUT .../file). */
const JSON_BODY_LIMIT = 1024 * 1024;
/** `/v2.N/...` is the same API as `/v2/...`, as Glance's version negotiation maps it. */
const MINOR_VERSION_IN_PATH = /^\/v2\.\d+(?=\/|$)/;
const UNAUTHENTICATED = new Set(['/', '/versions', '/v2', '/v2/']);
const VERSIONS: Array<[string, string]> = [['2.7', 'CURRENT'], ['2.6', 'SUPPORTED'], ['2.5', 'SUPPORTED'], ['2.4', 'SUPPORTED'],
  ['2.3', 'SUPPORTED'], ['2.2', 'SUPPORTED'], ['2.1', 'SUPPORTED'], ['2.0', 'SUPPORTED']];

function versions(req: FastifyRequest) {
  const href = `${baseUrl(req)}/v2/`;
  return { versions: VERSIONS.map(([id, status]) => ({ id: `v${id}`, status, links: [{ rel: 'self', href }] })) };
}

/** Reads a JSON body as text (handlers parse it, so each can answer Glance's message), up to a limit. */
function collectText(payload: NodeJS.ReadableStream, done: (err: Error | null, body?: unknown) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  payload.on('data', (c: Buffer) => {
    if (failed) return;
    size += c.length;
    if (size > JSON_BODY_LIMIT) { failed = true; done(new GlanceError(413, 'Request body too large.')); return; }
    chunks.push(c);
  });
  payload.on('end', () => { if (!failed) done(null, Buffer.concat(chunks).toString('utf8')); });
  payload.on('error', (e: Error) => { if (!failed) { failed = true; done(e); } });
}

function sendError(req: FastifyRequest, reply: FastifyReply, status: number, explanation: string, headers: Record<string, string> = {}) {
  const { type, body } = renderError(status, explanation, req.headers.accept);
  return reply.code(status).headers(headers).header('content-type', type).send(body);
}

/**
 * The Image API v2 (a Glance subset) on fastify: version documents, schemas, images, data, tags and
 * members. Every other request needs an X-Auth-Token the auth provider accepts.
 */
export function buildImageApp(opts: ImageAppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    rewriteUrl: (req) => (req.url ?? '/').replace(MINOR_VERSION_IN_PATH, '/v2'),
    genReqId: () => newRequestId(),
  });
  app.decorateRequest('caller', null as never);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => {
    // Image data stays unread here: the upload handler streams it from the request into the store.
    if (req.method === 'PUT' && /\/file$/.test(req.url.split('?')[0])) return done(null, undefined);
    collectText(payload, done);
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-openstack-request-id', req.id);
    if (UNAUTHENTICATED.has(req.url.split('?')[0])) return;
    const token = req.headers['x-auth-token'];
    let info;
    try {
      if (typeof token !== 'string' || token === '') throw new Error('no token');
      info = await opts.auth.validateToken(token);
    } catch {
      if (opts.auth.wwwAuthenticateUri) reply.header('www-authenticate', `Keystone uri="${opts.auth.wwwAuthenticateUri}"`);
      // keystonemiddleware's answer, which fronts Glance.
      return reply.code(401).header('content-type', 'application/json')
        .send({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    }
    req.caller = makeContext({
      request_id: req.id, user_id: info.user_id, user_name: info.user_name, project_id: info.project_id,
      project_name: info.project_name, roles: info.roles, is_admin: info.roles.map((r) => r.toLowerCase()).includes('admin'),
      auth_token: token, remote_address: req.ip,
    });
  });

  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof GlanceError) return sendError(req, reply, err.status, err.explanation, err.headers);
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return sendError(req, reply, status, err.message);
    opts.log.error(`${req.method} ${req.url} failed: ${err.stack ?? err.message}`, { request_id: req.id });
    return sendError(req, reply, 500, 'The server has either erred or is incapable of performing the requested operation.');
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404, 'The resource could not be found.'));

  app.get('/', async (req, reply) => reply.code(300).send(versions(req)));
  app.get('/v2', async (req, reply) => reply.code(300).send(versions(req)));
  app.get('/v2/', async (req, reply) => reply.code(300).send(versions(req)));
  app.get('/versions', async (req) => versions(req));

  app.get('/v2/schemas/image', async () => imageSchema());
  app.get('/v2/schemas/images', async () => imagesSchema());
  app.get('/v2/schemas/member', async () => memberSchema());
  app.get('/v2/schemas/members', async () => membersSchema());

  registerImageRoutes(app, opts);
  registerDataRoutes(app, opts);
  registerTagRoutes(app);
  registerMemberRoutes(app);
  return app;
}
