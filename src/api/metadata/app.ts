import Fastify, { FastifyInstance } from 'fastify';
import { PASSWORD_MAX_SIZE } from '../../db/api/instance_password';
import { Logger } from '../../lib/log';
import { TEXT } from './openstack_tree';
import { MetadataHttpError } from './requester';
import { MetadataService } from './service';

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error' };

/** webob's plain-text error page, which metadata clients have always been given. */
function errorText(status: number, explanation: string): string {
  return `${status} ${TITLES[status] ?? 'Error'}\n\n${explanation}\n\n`;
}

/** Reads a body, keeping at most the password limit: a longer one parses as null (answered 400). */
function collectCapped(payload: NodeJS.ReadableStream, done: (err: Error | null, body?: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  payload.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= PASSWORD_MAX_SIZE) chunks.push(c);
  });
  payload.on('end', () => done(null, size > PASSWORD_MAX_SIZE ? null : Buffer.concat(chunks)));
  payload.on('error', (e: Error) => done(e));
}

/**
 * The HTTP side of nova-api-metadata: every method and path goes to the MetadataService; bodies
 * are read raw (guests post their password with any content type, or none).
 */
export function buildMetadataApp(service: MetadataService, log: Logger): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => collectCapped(payload, done));

  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '*',
    handler: async (req, reply) => {
      let path: string;
      try { path = decodeURIComponent(req.url.split('?')[0]); } catch { path = '/\0invalid'; }
      try {
        const res = await service.handle({
          method: req.method, path, headers: req.raw.headersDistinct as Record<string, string[]>,
          socketAddress: req.socket.remoteAddress ?? '', body: req.body === undefined ? Buffer.alloc(0) : (req.body as Buffer | null),
        });
        return reply.code(res.status).headers(res.headers ?? {}).header('content-type', res.contentType).send(res.body);
      } catch (e) {
        if (e instanceof MetadataHttpError) return reply.code(e.status).header('content-type', TEXT).send(errorText(e.status, e.explanation));
        log.error(`metadata request ${req.method} ${path} failed: ${e.stack ?? e.message}`);
        return reply.code(500).header('content-type', TEXT).send(errorText(500, 'An unknown error has occurred. Please try your request again.'));
      }
    },
  });
  return app;
}
