import Fastify, { FastifyInstance } from 'fastify';
import { makeContext, newRequestId } from '../context';
import { NotAuthenticated } from '../exception';
import { Logger } from '../lib/log';
import { AuthProvider } from './auth';
import { errorToHttp, faultBody } from './faults';
import { APIVersion, MAX_VERSION, MIN_VERSION, negotiate } from './microversion';
import { PolicyEnforcer } from './policy';
import { ApiRouter } from './router';

export interface ApiAppOptions {
  log: Logger;
  policy: PolicyEnforcer;
  auth: AuthProvider;
  router: ApiRouter;
  /** Largest body accepted, bytes. */
  bodyLimit?: number;
}

const PROJECT_IN_PATH = /^\/v2(\.1)?\/([0-9a-f]{32}|[0-9a-f-]{36})(\/|$)/i;
const UPDATED = '2013-07-23T11:33:21Z';

function versionDoc(base: string) {
  return {
    id: 'v2.1', status: 'CURRENT', version: MAX_VERSION.toString(), min_version: MIN_VERSION.toString(), updated: UPDATED,
    links: [{ rel: 'self', href: `${base}/v2.1/` }, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
  };
}

/**
 * The Compute API's HTTP server: request ids, authentication, microversion negotiation, Nova's
 * fault bodies, then the routes. `/v2.1/{project_id}/...` URLs are served as `/v2.1/...`.
 */
export function buildComputeApp(opts: ApiAppOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024 * 2,
    rewriteUrl: (req) => (req.url ?? '/').replace(PROJECT_IN_PATH, (_m, _v, _p, slash) => `/v2.1${slash}`),
    genReqId: (req) => {
      const given = req.headers['x-openstack-request-id'];
      return typeof given === 'string' && /^req-[0-9a-f-]{36}$/.test(given) ? given : newRequestId();
    },
  });
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('apiVersion', null as never);

  // JSON bodies only; an empty body is allowed (DELETE, some actions).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try { done(null, JSON.parse(text)); } catch { done(Object.assign(new Error('Malformed request body'), { statusCode: 400 }), undefined); }
  });

  const base = (req: { headers: Record<string, unknown>; protocol: string }) =>
    `${(req.headers['x-forwarded-proto'] as string) ?? req.protocol}://${req.headers['x-forwarded-host'] ?? req.headers.host}`;

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-compute-request-id', req.id).header('x-openstack-request-id', req.id);
    const path = req.url.split('?')[0];
    if (path === '/' || path === '/v2.1' || path === '/v2.1/') return;
    req.apiVersion = MIN_VERSION;
    req.apiVersion = negotiate(req.headers);
    const v = req.apiVersion.toString();
    reply.header('openstack-api-version', `compute ${v}`).header('x-openstack-nova-api-version', v)
      .header('vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') throw new NotAuthenticated();
    const info = await opts.auth.validateToken(token);
    req.ctx = makeContext({
      request_id: req.id, user_id: info.user_id, user_name: info.user_name, project_id: info.project_id,
      project_name: info.project_name, roles: info.roles, is_admin: info.roles.map((r) => r.toLowerCase()).includes('admin'),
      auth_token: token, remote_address: req.ip,
    });
  });

  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof NotAuthenticated || (err as { code?: number }).code === 401) {
      if (opts.auth.wwwAuthenticateUri) reply.header('www-authenticate', `Keystone uri="${opts.auth.wwwAuthenticateUri}"`);
      return reply.code(401).send({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    }
    const { status, message, headers } = errorToHttp(err);
    if (status >= 500) opts.log.error(`${req.method} ${req.url} failed: ${err.stack ?? err.message}`, { request_id: req.id });
    if (headers) reply.headers(headers);
    return reply.code(status).send(faultBody(status, message));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send(faultBody(404, 'The resource could not be found.')));

  app.get('/', async (req) => ({ versions: [versionDoc(base(req))] }));
  app.get('/v2.1', async (req) => ({ version: versionDoc(base(req)) }));
  app.get('/v2.1/', async (req) => ({ version: versionDoc(base(req)) }));

  opts.router.mount(app, '/v2.1', { policy: opts.policy });
  return app;
}

export { APIVersion };
