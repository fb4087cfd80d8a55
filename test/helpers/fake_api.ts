import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path under the API root, without the query: `/servers/detail`. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export interface FakeAnswer { status?: number; body?: unknown; headers?: Record<string, string> }
type Handler = (req: RecordedRequest, params: string[]) => FakeAnswer | Promise<FakeAnswer>;

/**
 * A small Compute API stand-in (node:http on port 0) for client tests: records every request and
 * answers from the routes a test registers, with Nova's 404 body for anything else. `GET /v2.1`
 * answers the version document (max `maxVersion`).
 */
export class FakeComputeApi {
  readonly requests: RecordedRequest[] = [];
  private routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [];
  private server?: http.Server;
  url = '';
  maxVersion = '2.96';

  on(method: string, path: string | RegExp, handler: Handler | FakeAnswer): this {
    const pattern = typeof path === 'string' ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : path;
    this.routes.unshift({ method, pattern, handler: typeof handler === 'function' ? handler : () => handler });
    return this;
  }

  /** Requests other than the version document. */
  get calls(): RecordedRequest[] {
    return this.requests.filter((r) => r.path !== '' && r.path !== '/');
  }

  last(): RecordedRequest {
    return this.calls[this.calls.length - 1];
  }

  clear(): void { this.requests.length = 0; }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const u = new URL(req.url ?? '/', 'http://x');
        const text = Buffer.concat(chunks).toString('utf8');
        const rec: RecordedRequest = {
          method: req.method ?? 'GET', path: u.pathname.replace(/^\/v2\.1/, ''), query: u.searchParams, headers: req.headers,
          body: text ? JSON.parse(text) : undefined,
        };
        this.requests.push(rec);
        let answer: FakeAnswer = { status: 404, body: { itemNotFound: { code: 404, message: 'The resource could not be found.' } } };
        if (rec.method === 'GET' && (rec.path === '' || rec.path === '/')) {
          answer = { body: { version: { id: 'v2.1', status: 'CURRENT', version: this.maxVersion, min_version: '2.1', updated: '2013-07-23T11:33:21Z' } } };
        } else {
          for (const r of this.routes) {
            const m = r.method === rec.method ? r.pattern.exec(rec.path) : null;
            if (m) { answer = await r.handler(rec, m.slice(1).map(decodeURIComponent)); break; }
          }
        }
        const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          'content-type': 'application/json', 'x-compute-request-id': 'req-00000000-0000-4000-8000-000000000001', ...answer.headers,
        });
        res.end(body);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2.1`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()));
  }

  /** The flags that point the CLI at this server with a bare token. */
  auth(token = 'admin:admin'): string[] {
    return ['--os-token', token, '--os-endpoint-override', this.url];
  }
}
