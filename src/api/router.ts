import { IncomingHttpHeaders } from 'node:http';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RequestContext } from '../context';
import { VersionNotFoundForAPIMethod } from '../exception';
import { HttpError } from './faults';
import { APIVersion } from './microversion';
import { PolicyEnforcer } from './policy';
import { validate, validateQuery } from './validation';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** What a controller handler sees of a request. */
export interface ApiRequest<B = any> {
  ctx: RequestContext;
  version: APIVersion;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: B;
  headers: IncomingHttpHeaders;
  /** Base URL of this API for links, e.g. http://host:8774/v2.1 */
  baseUrl: string;
  /** Raises Nova's 403 unless the policy allows `action` on `target`. */
  authorize(action: string, target?: Record<string, unknown>): void;
  /** True when the policy allows it (for optional fields such as admin attributes). */
  can(action: string, target?: Record<string, unknown>): boolean;
}

/** A handler may return a body (status from the route), or an ApiResponse for full control. */
export class ApiResponse {
  constructor(readonly status: number, readonly body?: unknown, readonly headers: Record<string, string> = {}) {}
}

export interface VersionedSchema { min?: string; max?: string; schema: object }

export interface RouteSpec<B = any> {
  /** Lowest and highest microversion this handler serves (inclusive). */
  min?: string;
  max?: string;
  /** Status on success (default 200). */
  status?: number;
  /** JSON schema of the body, one or per version range. */
  body?: object | VersionedSchema[];
  /** JSON schema of the query string (values are strings or arrays of strings). */
  query?: object | VersionedSchema[];
  /** Nova-style query schema: every parameter is a list of its values (see `multi()` in validation). */
  queryParams?: object | VersionedSchema[];
  handler(req: ApiRequest<B>): Promise<unknown> | unknown;
}

function pickSchema(s: object | VersionedSchema[] | undefined, v: APIVersion): object | undefined {
  if (!s) return undefined;
  if (!Array.isArray(s)) return s;
  return s.find((x) => v.within(x.min, x.max))?.schema;
}

export interface RouterDeps {
  policy: PolicyEnforcer;
}

/**
 * Routes of the Compute API with microversion ranges. Several handlers may share a method and path
 * with different ranges; `/action` bodies are dispatched by their single key, as Nova does.
 */
export class ApiRouter {
  private routes = new Map<string, RouteSpec[]>();
  private actions = new Map<string, Map<string, RouteSpec[]>>();

  route<B = any>(method: Method, path: string, spec: RouteSpec<B>): this {
    const key = `${method} ${path}`;
    const list = this.routes.get(key) ?? [];
    list.push(spec as RouteSpec);
    this.routes.set(key, list);
    return this;
  }

  get<B = any>(path: string, spec: RouteSpec<B>): this { return this.route('GET', path, spec); }
  post<B = any>(path: string, spec: RouteSpec<B>): this { return this.route('POST', path, spec); }
  put<B = any>(path: string, spec: RouteSpec<B>): this { return this.route('PUT', path, spec); }
  delete<B = any>(path: string, spec: RouteSpec<B>): this { return this.route('DELETE', path, spec); }

  /** An action of `POST {resource}/action`, e.g. action('/servers/:server_id', 'os-stop', ...). */
  action<B = any>(resource: string, name: string, spec: RouteSpec<B>): this {
    const map = this.actions.get(resource) ?? new Map<string, RouteSpec[]>();
    this.actions.set(resource, map);
    const list = map.get(name) ?? [];
    list.push(spec as RouteSpec);
    map.set(name, list);
    return this;
  }

  /** Installs every route under `prefix` on the fastify app. */
  mount(app: FastifyInstance, prefix: string, deps: RouterDeps): void {
    for (const [key, specs] of this.routes) {
      const [method, path] = key.split(' ') as [Method, string];
      app.route({ method, url: prefix + path, handler: (req, reply) => this.run(req, reply, prefix, deps, specs) });
    }
    for (const [resource, map] of this.actions) {
      app.route({
        method: 'POST',
        url: `${prefix}${resource}/action`,
        handler: (req, reply) => {
          const body = req.body as Record<string, unknown> | undefined;
          if (!body || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length === 0) {
            throw new HttpError(400, 'Malformed request body');
          }
          const name = Object.keys(body)[0];
          const specs = map.get(name);
          if (!specs) throw new HttpError(400, `There is no such action: ${name}`);
          return this.run(req, reply, prefix, deps, specs);
        },
      });
    }
  }

  private async run(req: FastifyRequest, reply: FastifyReply, prefix: string, deps: RouterDeps, specs: RouteSpec[]): Promise<unknown> {
    const version = req.apiVersion;
    const spec = specs.find((s) => version.within(s.min, s.max));
    if (!spec) throw new VersionNotFoundForAPIMethod({ version: version.toString() });
    const ctx = req.ctx;
    const bodySchema = pickSchema(spec.body, version);
    if (bodySchema) validate(bodySchema, req.body ?? null);
    const query = (req.query ?? {}) as Record<string, string | string[]>;
    const querySchema = pickSchema(spec.query, version);
    if (querySchema) validate(querySchema, query, 'query');
    const paramsSchema = pickSchema(spec.queryParams, version);
    if (paramsSchema) validateQuery(paramsSchema, query);
    const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost';
    const proto = (req.headers['x-forwarded-proto'] as string) ?? req.protocol ?? 'http';
    const apiReq: ApiRequest = {
      ctx,
      version,
      params: req.params as Record<string, string>,
      query,
      body: req.body,
      headers: req.headers,
      baseUrl: `${proto}://${host}${prefix}`,
      authorize: (action, target) => deps.policy.authorize(ctx, action, target),
      can: (action, target) => deps.policy.check(ctx, action, target),
    };
    const result = await spec.handler(apiReq);
    if (result instanceof ApiResponse) {
      reply.headers(result.headers).code(result.status);
      return result.body === undefined ? reply.send() : result.body;
    }
    reply.code(spec.status ?? 200);
    return result === undefined || result === null ? reply.send() : result;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
    apiVersion: APIVersion;
  }
}
