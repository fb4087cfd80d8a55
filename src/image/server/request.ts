import { FastifyRequest } from 'fastify';
import { RequestContext } from '../../context';
import { Logger } from '../../lib/log';
import { FilesystemStore } from '../store';
import { badRequest } from './errors';

/** What the Image API routes share. */
export interface ImageServerDeps {
  store: FilesystemStore;
  /** Largest image accepted, bytes ([image_service] image_size_cap). */
  sizeCap: number;
  log: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The validated caller (absent only on the unauthenticated version documents). */
    caller: RequestContext;
  }
}

/** The JSON body of a request, with Glance's messages for a missing or malformed one. */
export function jsonBody(req: FastifyRequest): unknown {
  const text = typeof req.body === 'string' ? req.body.trim() : '';
  if (text === '') throw badRequest('Body expected in request.');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Malformed JSON in request body.');
  }
}

/** The media type of the request without parameters, lower case. */
export function mediaType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

export function baseUrl(req: FastifyRequest): string {
  const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? req.protocol ?? 'http';
  return `${proto}://${req.headers['x-forwarded-host'] ?? req.headers.host ?? 'localhost'}`;
}

export type Params = Record<string, string>;
