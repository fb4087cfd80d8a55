import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import Fastify, { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RequestContext } from '../context';
import { Ec2Authenticator } from '../ec2/credentials';
import { Ec2Error } from '../ec2/errors';
import { parseQueryString } from '../ec2/request';
import { parseSignature } from '../ec2/signature';
import { escapeXml } from '../ec2/xml';
import { Logger } from '../lib/log';
import { asList, parseXml, ParsedXml, textOf } from '../lib/xml';
import { S3Error } from './errors';
import { BucketInfo, BucketStore, ObjectInfo } from './store';

export interface ObjectStoreAppOptions { store: BucketStore; auth: Ec2Authenticator; log: Logger }

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** Largest object accepted in one PUT (bundle parts are 10 MiB). */
const MAX_OBJECT_BYTES = 256 * 1024 * 1024;

/** EC2's authentication errors as S3 names them. */
const AUTH_CODES: Record<string, [string, number]> = {
  AuthFailure: ['InvalidAccessKeyId', 403],
  SignatureDoesNotMatch: ['SignatureDoesNotMatch', 403],
  RequestExpired: ['RequestTimeTooSkewed', 403],
  IncompleteSignature: ['AuthorizationHeaderMalformed', 400],
};

function xml(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${inner}</${root}>`;
}
const tag = (name: string, value: string | number | boolean) => `<${name}>${escapeXml(String(value))}</${name}>`;

/** Bucket and key of a path-style URL (`/bucket/key/with/slashes`). */
function target(url: string): { path: string; query: string; bucket: string | null; key: string | null } {
  const [path, query = ''] = url.split(/\?(.*)/s, 2);
  const m = /^\/([^/]+)(?:\/(.*))?$/.exec(path);
  const decode = (s: string) => { try { return decodeURIComponent(s); } catch { throw new S3Error('InvalidURI', 400, `Couldn't parse the specified URI: ${path}`); } };
  return { path, query, bucket: m ? decode(m[1]) : null, key: m && m[2] ? decode(m[2]) : null };
}

function listObjectsXml(bucket: string, q: Record<string, string>, objects: ObjectInfo[]): string {
  const prefix = q.prefix ?? '';
  const delimiter = q.delimiter ?? '';
  const maxKeys = Math.max(0, Math.min(1000, Number(q['max-keys'] ?? 1000) || 0));
  const after = q['start-after'] ?? q.marker ?? q['continuation-token'] ?? '';
  const contents: ObjectInfo[] = [];
  const prefixes = new Set<string>();
  let truncated = false;
  for (const o of objects) {
    if (after && o.key <= after) continue;
    const rest = o.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (contents.length + prefixes.size >= maxKeys) { truncated = true; break; }
    if (cut >= 0) prefixes.add(prefix + rest.slice(0, cut + delimiter.length));
    else contents.push(o);
  }
  const items = contents.map((o) => `<Contents>${tag('Key', o.key)}${tag('LastModified', o.modified.toISOString())}${tag('ETag', `"${o.etag}"`)}${tag('Size', o.size)}${tag('StorageClass', 'STANDARD')}</Contents>`).join('');
  const common = [...prefixes].map((p) => `<CommonPrefixes>${tag('Prefix', p)}</CommonPrefixes>`).join('');
  const v2 = q['list-type'] === '2';
  const last = contents[contents.length - 1]?.key ?? '';
  const paging = v2 ? `${tag('KeyCount', contents.length + prefixes.size)}${truncated ? tag('NextContinuationToken', last) : ''}` : `${tag('Marker', q.marker ?? '')}${truncated ? tag('NextMarker', last) : ''}`;
  return xml('ListBucketResult', `${tag('Name', bucket)}${tag('Prefix', prefix)}${delimiter ? tag('Delimiter', delimiter) : ''}${paging}${tag('MaxKeys', maxKeys)}${tag('IsTruncated', truncated)}${items}${common}`);
}

/**
 * nova-objectstore: enough of S3 (path-style) for `aws s3 mb/cp/ls/rm` and `aws s3api` to keep
 * bundles: list, create, delete buckets; put, get, head, list, delete objects; multipart uploads
 * (`aws s3 cp` of files past 8 MiB, such as euca-bundle-image's 10 MiB parts). Requests are signed
 * with SigV4 by the same EC2 credentials as the EC2 API; a bucket belongs to the project that made it.
 */
export function buildObjectStoreApp(opts: ObjectStoreAppOptions): FastifyInstance {
  const { store } = opts;
  const app = Fastify({ logger: false, bodyLimit: MAX_OBJECT_BYTES, exposeHeadRoutes: false, genReqId: () => randomUUID() });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  async function authenticate(req: FastifyRequest, path: string, query: string): Promise<RequestContext> {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signed = { method: req.method, path, query, headers: req.headers, body, params: {} };
    try {
      const sig = parseSignature(signed);
      if (sig.version !== 4) throw new S3Error('InvalidRequest', 400, 'Sign S3 requests with AWS4-HMAC-SHA256 (Signature Version 4).');
      return await opts.auth.authenticate(sig, signed, req.id, req.ip);
    } catch (e) {
      if (e instanceof Ec2Error) {
        const [code, status] = AUTH_CODES[e.code] ?? ['AccessDenied', 403];
        throw new S3Error(code, status, e.message);
      }
      throw e;
    }
  }

  function owned(ctx: RequestContext, b: BucketInfo): BucketInfo {
    if (b.owner !== ctx.project_id && !ctx.is_admin) throw new S3Error('AccessDenied', 403, `Bucket ${b.name} belongs to another project.`, `/${b.name}`);
    return b;
  }

  async function objectHeaders(reply: FastifyReply, o: ObjectInfo): Promise<void> {
    reply.header('content-length', o.size).header('etag', `"${o.etag}"`).header('last-modified', o.modified.toUTCString())
      .header('content-type', 'application/octet-stream').header('accept-ranges', 'none');
  }

  /** UploadPart (PUT), CompleteMultipartUpload (POST) and AbortMultipartUpload (DELETE) of one upload. */
  async function multipart(req: FastifyRequest, reply: FastifyReply, bucket: string, key: string, q: Record<string, string>) {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (req.method === 'PUT') {
      const etag = await store.putPart(bucket, key, q.uploadId, Number(q.partNumber), body);
      return reply.header('etag', `"${etag}"`).send('');
    }
    if (req.method === 'DELETE') { await store.abortUpload(bucket, key, q.uploadId); return reply.code(204).send(); }
    if (req.method === 'POST') {
      let parts: Array<{ partNumber: number; etag: string }>;
      try {
        const doc = parseXml(body.toString('utf8')).CompleteMultipartUpload as ParsedXml;
        parts = asList(doc.Part as ParsedXml | ParsedXml[]).map((p) => ({ partNumber: Number(textOf(p.PartNumber)), etag: textOf(p.ETag) }));
      } catch {
        throw new S3Error('MalformedXML', 400, 'The CompleteMultipartUpload body is not the XML S3 expects.');
      }
      const etag = await store.completeUpload(bucket, key, q.uploadId, parts);
      return reply.type('application/xml').send(xml('CompleteMultipartUploadResult', `${tag('Location', `/${bucket}/${key}`)}${tag('Bucket', bucket)}${tag('Key', key)}${tag('ETag', `"${etag}"`)}`));
    }
    throw new S3Error('MethodNotAllowed', 405, `${req.method} is not allowed on a multipart upload.`);
  }

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const t = target(req.url);
    const ctx = await authenticate(req, t.path, t.query);
    const q = parseQueryString(t.query);
    const method = req.method;
    reply.header('x-amz-request-id', req.id);
    if (!t.bucket) {
      if (method !== 'GET') throw new S3Error('MethodNotAllowed', 405, `${method} / is not allowed: list buckets with GET /.`);
      const mine = (await store.listBuckets()).filter((b) => b.owner === ctx.project_id);
      const owner = `<Owner>${tag('ID', ctx.project_id ?? '')}${tag('DisplayName', ctx.project_name ?? ctx.project_id ?? '')}</Owner>`;
      return reply.type('application/xml').send(xml('ListAllMyBucketsResult', `${owner}<Buckets>${mine.map((b) => `<Bucket>${tag('Name', b.name)}${tag('CreationDate', b.created)}</Bucket>`).join('')}</Buckets>`));
    }
    const bucket = t.bucket;
    if (t.key === null) {
      if (method === 'PUT') {
        await store.createBucket(bucket, ctx.project_id ?? '');
        opts.log.info(`bucket ${bucket} created for project ${ctx.project_id}`);
        return reply.header('location', `/${bucket}`).send('');
      }
      owned(ctx, await store.requireBucket(bucket));
      if (method === 'HEAD') return reply.send();
      if (method === 'DELETE') { await store.deleteBucket(bucket); return reply.code(204).send(); }
      if (method === 'GET') {
        if (q.location !== undefined) return reply.type('application/xml').send(xml('LocationConstraint', ''));
        return reply.type('application/xml').send(listObjectsXml(bucket, q, await store.listObjects(bucket, q.prefix ?? '')));
      }
      throw new S3Error('MethodNotAllowed', 405, `${method} is not allowed on a bucket.`);
    }
    const key = t.key;
    owned(ctx, await store.requireBucket(bucket));
    if (method === 'POST' && q.uploads !== undefined) {
      const uploadId = await store.createUpload(bucket, key);
      return reply.type('application/xml').send(xml('InitiateMultipartUploadResult', `${tag('Bucket', bucket)}${tag('Key', key)}${tag('UploadId', uploadId)}`));
    }
    if (q.uploadId !== undefined) return multipart(req, reply, bucket, key, q);
    if (method === 'PUT') {
      if (req.headers['x-amz-copy-source']) throw new S3Error('NotImplemented', 501, 'Copying objects is not offered: upload the object again.');
      const etag = await store.putObject(bucket, key, Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      return reply.header('etag', `"${etag}"`).send('');
    }
    if (method === 'DELETE') { await store.deleteObject(bucket, key); return reply.code(204).send(); }
    if (method === 'GET' || method === 'HEAD') {
      const info = await store.objectInfo(bucket, key);
      await objectHeaders(reply, info);
      if (method === 'HEAD') return reply.send();
      return reply.send(fs.createReadStream(await store.objectPath(bucket, key)));
    }
    throw new S3Error('MethodNotAllowed', 405, `${method} is not allowed on an object.`);
  };

  app.route({ method: ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'], url: '/', handler: handle });
  app.route({ method: ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'], url: '/*', handler: handle });

  app.setErrorHandler((err: Error, req, reply) => {
    const e = err instanceof S3Error ? err : (err as { statusCode?: number }).statusCode === 413
      ? new S3Error('EntityTooLarge', 400, `Objects are at most ${MAX_OBJECT_BYTES} bytes here.`)
      : new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
    if (e.status >= 500) opts.log.error(`S3 request ${req.id} failed: ${err.stack ?? err.message}`);
    else opts.log.info(`S3 request ${req.id}: ${e.code}: ${e.message}`);
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${tag('Code', e.code)}${tag('Message', e.message)}${tag('Resource', e.resource)}${tag('RequestId', req.id)}</Error>`;
    return reply.code(e.status).type('application/xml').send(req.method === 'HEAD' ? undefined : body);
  });
  return app;
}
