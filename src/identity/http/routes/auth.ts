import { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate, AuthRequest } from '../../auth';
import { buildCatalog } from '../../catalog';
import { notFound } from '../../errors';
import { listProjects } from '../../resources';
import { projectIdsForUser } from '../../roles';
import { revokeToken, TokenInvalid, validateToken, ValidatedToken } from '../../tokens';
import { baseUrl, callerOf, PUBLIC, requestUrl } from '../request';
import type { IdentityAppOptions } from '../app';
import { collection, projectView, tokenView } from '../views';

function subjectToken(req: FastifyRequest): string {
  const t = req.headers['x-subject-token'];
  if (typeof t !== 'string' || t === '') throw notFound('token', '');
  return t;
}

/** Keystone answers 404 for a subject token that is unknown, revoked, expired or no longer grants anything. */
async function validSubject(text: string): Promise<ValidatedToken> {
  try {
    return await validateToken(text);
  } catch (e) {
    if (e instanceof TokenInvalid) throw notFound('token', text);
    throw e;
  }
}

const wantsCatalog = (req: FastifyRequest) => (req.query as Record<string, unknown>).nocatalog === undefined;

/** /v3/auth/*: issue, validate, revoke tokens; the caller's catalog and projects. */
export function registerAuthRoutes(app: FastifyInstance, opts: IdentityAppOptions): void {
  app.post('/v3/auth/tokens', PUBLIC, async (req, reply) => {
    const { text, token } = await authenticate(req.body as AuthRequest, { tokenExpiration: opts.tokenExpiration });
    opts.log.info(`issued token for user ${token.user.name} (${token.user.id})${token.project ? ` on project ${token.project.name}` : ' unscoped'}`, { request_id: req.id });
    return reply.code(201).header('x-subject-token', text)
      .send(tokenView(token, wantsCatalog(req) && token.project ? await buildCatalog() : undefined));
  });

  app.get('/v3/auth/tokens', async (req, reply) => {
    const caller = callerOf(req);
    const text = subjectToken(req);
    const subject = await validSubject(text);
    caller.requireTokenAccess('identity:validate_token', subject.user.id);
    return reply.header('x-subject-token', text).send(tokenView(subject, wantsCatalog(req) && subject.project ? await buildCatalog() : undefined));
  });

  app.delete('/v3/auth/tokens', async (req, reply) => {
    const caller = callerOf(req);
    const text = subjectToken(req);
    const subject = await validSubject(text);
    caller.requireTokenAccess('identity:revoke_token', subject.user.id);
    await revokeToken(text);
    return reply.code(204).send();
  });

  app.get('/v3/auth/catalog', async (req) => {
    callerOf(req).requireProjectScope();
    return { catalog: await buildCatalog(), links: { self: `${baseUrl(req)}/auth/catalog`, previous: null, next: null } };
  });

  app.get('/v3/auth/projects', async (req) => {
    const ids = await projectIdsForUser(callerOf(req).userId);
    const projects = ids.length ? await listProjects({ ids, enabled: true }) : [];
    return collection('projects', projects.map((p) => projectView(p, baseUrl(req))), requestUrl(req));
  });

  // Grants here are on projects only, so no domain can be a scope.
  app.get('/v3/auth/domains', async (req) => {
    callerOf(req);
    return collection('domains', [], requestUrl(req));
  });
}
