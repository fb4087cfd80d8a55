import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';

/** How a client checks the server's certificate: the system CAs, a CA file, or not at all. */
export interface TlsSettings {
  insecure: boolean;
  caFile?: string;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A failure to reach an endpoint, worded for an operator: what, where, and what to check. */
export class EndpointError extends Error {
  constructor(readonly endpoint: string, readonly kind: 'tls' | 'unreachable' | 'timeout' | 'protocol', message: string, readonly code?: string) {
    super(message);
    this.name = 'EndpointError';
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE', 'CERT_REJECTED',
]);

/**
 * Turns a socket or TLS error into an EndpointError naming the endpoint and the setting to check.
 * `tlsHint` names the options that fix an untrusted certificate (e.g. "[vmware] ca_file or insecure").
 */
export function describeNetworkError(endpoint: string, e: NodeJS.ErrnoException, tlsHint: string): EndpointError {
  const code = e.code ?? '';
  if (TLS_CODES.has(code)) {
    return new EndpointError(endpoint, 'tls', `TLS certificate of ${endpoint} does not verify (${code}: ${e.message}); set ${tlsHint}`, code);
  }
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
    return new EndpointError(endpoint, 'timeout', `${endpoint} did not answer in time (${code})`, code);
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'].includes(code)) {
    return new EndpointError(endpoint, 'unreachable', `${endpoint} is unreachable (${code}: ${e.message})`, code);
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('EPROTO')) {
    return new EndpointError(endpoint, 'protocol', `TLS handshake with ${endpoint} failed (${code}: ${e.message})`, code);
  }
  return new EndpointError(endpoint, 'unreachable', `${endpoint} failed: ${e.message}${code ? ` (${code})` : ''}`, code || undefined);
}

/** Agent options for a URL under these TLS settings (CA file read once per call site). */
export function agentFor(url: URL, tls: TlsSettings): http.Agent {
  if (url.protocol === 'http:') return new http.Agent({ keepAlive: true });
  let ca: Buffer | undefined;
  if (tls.caFile) {
    try {
      ca = fs.readFileSync(tls.caFile);
    } catch (e) {
      throw new Error(`CA file ${tls.caFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return new https.Agent({ keepAlive: true, ca, rejectUnauthorized: tls.caFile ? true : !tls.insecure });
}

export interface RequestOptions {
  method: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string | NodeJS.ReadableStream;
  timeoutMs: number;
  /** Hand back the response body as a stream instead of reading it. */
  stream?: boolean;
}

/** One HTTP(S) request with a keep-alive agent; socket and TLS errors come back as EndpointError. */
export function request(url: URL, agent: http.Agent, opts: RequestOptions, describe: (e: NodeJS.ErrnoException) => Error): Promise<HttpResponse & { stream?: http.IncomingMessage }> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method: opts.method, headers: opts.headers, agent, timeout: opts.timeoutMs }, (res) => {
      if (opts.stream) {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0), stream: res });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', (e) => reject(describe(e)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(describe(e)));
    const body = opts.body;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else {
      (body as Readable).on('error', (e) => req.destroy(e));
      (body as Readable).pipe(req);
    }
  });
}
