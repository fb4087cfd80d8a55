import { FastifyInstance } from 'fastify';
import { baseUrl, PUBLIC } from '../request';

// The newest Keystone v3 minor version whose calls this subset answers the same way.
const VERSION = { id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z' };

function versionDoc(base: string) {
  return {
    ...VERSION, links: [{ rel: 'self', href: `${base}/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

/** Version discovery: `GET /` answers 300 Multiple Choices as Keystone does; `GET /v3` the v3 document. */
export function registerVersionRoutes(app: FastifyInstance): void {
  app.get('/', PUBLIC, async (req, reply) => reply.code(300).send({ versions: { values: [versionDoc(baseUrl(req))] } }));
  app.get('/v3', PUBLIC, async (req) => ({ version: versionDoc(baseUrl(req)) }));
  app.get('/v3/', PUBLIC, async (req) => ({ version: versionDoc(baseUrl(req)) }));
}
