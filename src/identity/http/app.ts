import Fastify, { FastifyInstance } from 'fastify';
import { newRequestId } from '../../context';
import { Logger } from '../../lib/log';
import { IdentityError, unauthorized } from '../errors';
import { TokenInvalid, validateToken } from '../tokens';
import { Caller } from './policy';
import { baseUrl, setCaller } from './request';
import { registerAssignmentRoutes } from './routes/assignments';
import { registerAuthRoutes } from './routes/auth';
import { registerCatalogRoutes } from './routes/catalog';
import { registerDomainRoutes } from './routes/domains';
import { registerEc2Routes } from './routes/ec2';
import { registerProjectRoutes } from './routes/projects';
import { registerRoleRoutes } from './routes/roles';
import { registerUserRoutes } from './routes/users';
import { registerVersionRoutes } from './routes/versions';

export interface IdentityAppOptions {
  log: Logger;
  /** Seconds a new token lives ([identity] token_expiration). */
  tokenExpiration: number;
}

/**
 * The Keystone v3 subset on fastify: request ids, X-Auth-Token validation for every non-public route,
 * and Keystone's error bodies.
 */
export function buildIdentityApp(opts: IdentityAppOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, genReqId: () => newRequestId() });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try { done(null, JSON.parse(text)); } catch { done(new IdentityError(400, 'Bad Request', 'Malformed request body: it is not valid JSON.'), undefined); }
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-openstack-request-id', req.id).header('vary', 'X-Auth-Token');
    const config = req.routeOptions.config as { public?: boolean } | undefined;
    if (!req.routeOptions.url || config?.public) return;
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token === '') throw unauthorized();
    try {
      setCaller(req, new Caller(await validateToken(token), token));
    } catch (e) {
      if (e instanceof TokenInvalid) {
        opts.log.debug(`rejected X-Auth-Token on ${req.method} ${req.url}: ${e.message}`, { request_id: req.id });
        throw unauthorized();
      }
      throw e;
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    opts.log.debug(`${req.method} ${req.url.split('?')[0]} ${reply.statusCode}`, { request_id: req.id });
  });

  app.setErrorHandler((err: Error, req, reply) => {
    let e: IdentityError;
    if (err instanceof IdentityError) e = err;
    else {
      const status = (err as { statusCode?: number }).statusCode;
      if (status && status >= 400 && status < 500) e = new IdentityError(status, status === 415 ? 'Unsupported Media Type' : 'Bad Request', err.message);
      else {
        opts.log.error(`${req.method} ${req.url} failed: ${err.stack ?? err.message}`, { request_id: req.id });
        e = new IdentityError(500, 'Internal Server Error', 'An unexpected error prevented the server from fulfilling your request.');
      }
    }
    if (e.code === 401) reply.header('www-authenticate', `Keystone uri="${baseUrl(req).replace(/\/v3$/, '')}"`);
    return reply.code(e.code).send(e.body());
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(new IdentityError(404, 'Not Found', 'The resource could not be found.').body()));

  registerVersionRoutes(app);
  registerAuthRoutes(app, opts);
  registerProjectRoutes(app);
  registerDomainRoutes(app);
  registerUserRoutes(app);
  registerRoleRoutes(app);
  registerAssignmentRoutes(app);
  registerCatalogRoutes(app);
  registerEc2Routes(app);
  return app;
}
