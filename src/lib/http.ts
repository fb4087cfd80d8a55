import { FastifyInstance } from 'fastify';

/** Listens and returns the URL actually served (port 0 picks a free port); `advertise` replaces 0.0.0.0. */
export async function listen(app: FastifyInstance, host: string, port: number, advertise: string): Promise<{ url: string; port: number }> {
  await app.listen({ host, port });
  const addr = app.server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const shown = host === '0.0.0.0' || host === '::' ? advertise : host;
  return { url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${bound}`, port: bound };
}
