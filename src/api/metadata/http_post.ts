import * as http from 'node:http';
import * as https from 'node:https';

export interface PostOptions {
  /** Milliseconds to wait for the TCP (and TLS) connection. */
  connectMs: number;
  /** Milliseconds the answer may then take, in total. */
  readMs: number;
  /** PEM CA bundle for https:// targets (else the system CAs). */
  ca?: string | Buffer;
  headers?: Record<string, string>;
}

/** An HTTP POST that failed: the reason names the URL and what went wrong. */
export class PostError extends Error {
  constructor(readonly url: string, reason: string) {
    super(`POST ${url}: ${reason}`);
    this.name = 'PostError';
  }
}

/**
 * POSTs `body` and returns the answer text for a 2xx status; PostError otherwise, including when the
 * connection or the answer takes longer than allowed (the socket is destroyed, nothing lingers).
 */
export function postText(url: string, body: string, opts: PostOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try { target = new URL(url); } catch { reject(new PostError(url, 'not a valid URL')); return; }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') { reject(new PostError(url, `unsupported scheme ${target.protocol}`)); return; }
    const lib = target.protocol === 'https:' ? https : http;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: Error | null, text?: string) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      if (err) { req.destroy(); reject(err); } else resolve(text ?? '');
    };
    const req = lib.request(target, {
      method: 'POST',
      // A connection per request: these calls are rare, and nothing lingers in a pool afterwards.
      agent: false,
      headers: { 'content-length': String(Buffer.byteLength(body)), ...opts.headers },
      ...(target.protocol === 'https:' && opts.ca ? { ca: opts.ca } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => finish(new PostError(url, e.message)));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) finish(new PostError(url, `HTTP ${status}`));
        else finish(null, Buffer.concat(chunks).toString('utf8'));
      });
    });
    timers.push(setTimeout(() => finish(new PostError(url, `no connection within ${opts.connectMs} ms`)), opts.connectMs));
    req.on('socket', (socket) => {
      const connected = () => {
        clearTimeout(timers[0]);
        timers.push(setTimeout(() => finish(new PostError(url, `no complete answer within ${opts.readMs} ms`)), opts.readMs));
      };
      const event = target.protocol === 'https:' ? 'secureConnect' : 'connect';
      if ((socket as { connecting?: boolean }).connecting) socket.once(event, connected);
      else connected();
    });
    req.on('error', (e) => finish(new PostError(url, e.message)));
    req.end(body);
  });
}
