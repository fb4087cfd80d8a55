import * as http from 'node:http';
import * as https from 'node:https';

export interface ClosingRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * A fetch over a connection of its own, closed after the answer (`Connection: close`, no pool).
 * For calls to Keystone: uWSGI's --http-socket (how Debian's Keystone init script serves it) answers
 * HTTP/1.1 without `Connection: close` and closes right after; a pooling client (Node's fetch) that
 * sends its next request before it has read that close gets ECONNRESET or "other side closed".
 */
export function fetchClosing(url: string, init: ClosingRequest = {}): Promise<Response> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const headers: Record<string, string | number> = { ...init.headers, connection: 'close' };
  if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { method: init.method ?? 'GET', headers, agent: false, signal: init.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) h.append(k, one);
        const status = res.statusCode ?? 502;
        resolve(new Response([204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers: h }));
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
