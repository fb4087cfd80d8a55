import { FastifyRequest } from 'fastify';
import { unauthorized } from '../errors';
import { Caller } from './policy';

/** What routes read from a request: its caller, and the URLs for links. */

const callers = new WeakMap<FastifyRequest, Caller>();

export function setCaller(req: FastifyRequest, caller: Caller): void {
  callers.set(req, caller);
}

/** The authenticated caller of a request (every route not marked public has one). */
export function callerOf(req: FastifyRequest): Caller {
  const c = callers.get(req);
  if (!c) throw unauthorized();
  return c;
}

/** This API's URL ending in /v3, as the client reached it (for links). */
export function baseUrl(req: FastifyRequest): string {
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost';
  const proto = (req.headers['x-forwarded-proto'] as string) ?? req.protocol ?? 'http';
  return `${proto}://${host}/v3`;
}

/** The full URL of this request, for `links.self` of collections. */
export function requestUrl(req: FastifyRequest): string {
  return baseUrl(req).replace(/\/v3$/, '') + req.url;
}

/** Route options of the calls that need no token: version discovery, authentication, self-service password change. */
export const PUBLIC = { config: { public: true } };
