import { randomUUID } from 'node:crypto';
import Fastify, { FastifyInstance, FastifyRequest } from 'fastify';
import { Logger } from '../lib/log';
import { ACTIONS, Ec2Env } from './actions';
import { Ec2Authenticator } from './credentials';
import { Ec2Error, ec2ErrorOf } from './errors';
import { requestParams, required } from './request';
import { parseSignature } from './signature';
import { errorXml, responseXml } from './xml';

export interface Ec2AppOptions {
  env: Ec2Env;
  auth: Ec2Authenticator;
  log: Logger;
}

/** API versions whose request shapes this service reads (the CLI and boto3 send 2016-11-15). */
const OLDEST_VERSION = '2008-12-01';

/**
 * The EC2 Query API over HTTP: `GET /?Action=..` or `POST /` with a form body; the signature is
 * checked, the access key becomes a context, the action answers XML in EC2's namespace, and every
 * error is EC2's `<Response><Errors>` body with its code.
 */
export function buildEc2App(opts: Ec2AppOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, genReqId: () => randomUUID() });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const handle = async (req: FastifyRequest) => {
    const [path, query = ''] = req.url.split(/\?(.*)/s, 2);
    const body = typeof req.body === 'string' ? req.body : '';
    const params = requestParams(query, req.method === 'POST' ? body : undefined);
    const action = required(params, 'Action');
    const version = params.Version;
    if (version !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(version) && version >= OLDEST_VERSION)) {
      throw new Ec2Error('InvalidParameterValue', `Version ${version} is not supported (send a date such as 2016-11-15).`);
    }
    const signed = { method: req.method, path, query, headers: req.headers, body, params };
    const ctx = await opts.auth.authenticate(parseSignature(signed), signed, req.id, req.ip);
    const run = ACTIONS[action];
    if (!run) throw new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`);
    opts.log.debug(`${action} by ${ctx.user_id} in ${ctx.project_id}`);
    return responseXml(action, req.id, await run(opts.env, ctx, params));
  };

  for (const method of ['GET', 'POST'] as const) {
    app.route({ method, url: '/', handler: async (req, reply) => reply.type('text/xml').send(await handle(req)) });
  }

  app.setErrorHandler((err: Error, req, reply) => {
    const e = ec2ErrorOf(err);
    if (e.status >= 500) opts.log.error(`EC2 request ${req.id} failed: ${err.stack ?? err.message}`);
    else opts.log.info(`EC2 request ${req.id}: ${e.code}: ${e.message}`);
    return reply.code(e.status).type('text/xml').send(errorXml(e.code, e.message, req.id));
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).type('text/xml')
    .send(errorXml('InvalidAction', `Nothing is served at ${req.method} ${req.url.split('?')[0]}: send EC2 Query requests to /.`, req.id)));
  return app;
}
