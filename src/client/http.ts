import * as http from 'node:http';
import * as https from 'node:https';
import { ApiError, ConnectFailure, defaultMessage, faultMessage } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON when defined (`null` sends the JSON `null`). */
  body?: unknown;
}

export interface HttpResponse<T = unknown> {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: T;
  requestId?: string;
}

export interface TransportOptions {
  /** Accept any TLS certificate (--insecure). */
  insecure?: boolean;
  /** Milliseconds before a request is abandoned. */
  timeoutMs?: number;
  /** Called with each exchange, for --debug. */
  debug?: (line: string) => void;
}

const USER_AGENT = 'nova-ts-client';

/**
 * JSON over HTTP(S) with node's own modules (so --insecure can be honoured per request). Errors
 * answers become ApiError with the fault message and request id; nothing listening becomes
 * ConnectFailure naming the URL.
 */
export class HttpTransport {
  constructor(private readonly opts: TransportOptions = {}) {}

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const res = await this.send(req);
    if (res.status >= 400) {
      const { message, details } = faultMessage(res.body, defaultMessage(res.status));
      throw new ApiError(res.status, message, res.requestId, req.method, req.url, details);
    }
    return res as HttpResponse<T>;
  }

  /** Sends and parses, without turning error statuses into exceptions. */
  send(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const payload = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT, ...lower(req.headers ?? {}) };
    if (payload) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const lib = url.protocol === 'https:' ? https : http;
    this.opts.debug?.(`REQ: ${req.method} ${req.url} ${JSON.stringify(redact(headers))}${payload ? ` ${redactBody(payload.toString())}` : ''}`);
    return new Promise((resolve, reject) => {
      const r = lib.request(url, {
        // No keep-alive: an idle pooled socket would hold a finished command open.
        method: req.method, headers, timeout: this.opts.timeoutMs ?? 120_000, agent: false,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !this.opts.insecure } : {}),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new ConnectFailure(req.url, e.message)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          this.opts.debug?.(`RESP: [${res.statusCode}] ${text.length > 2000 ? `${text.slice(0, 2000)}...` : text}`);
          resolve({ status: res.statusCode ?? 0, headers: h, body: parseBody(text, h['content-type']), requestId: h['x-compute-request-id'] ?? h['x-openstack-request-id'] });
        });
      });
      r.on('timeout', () => r.destroy(new Error(`no answer within ${(this.opts.timeoutMs ?? 120_000) / 1000}s`)));
      r.on('error', (e: NodeJS.ErrnoException) => reject(new ConnectFailure(req.url, e.message || e.code || String(e))));
      if (payload) r.write(payload);
      r.end();
    });
  }
}

function lower(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return null;
  if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
    try { return JSON.parse(text); } catch { return text; }
  }
  return text;
}

function redact(h: Record<string, string>): Record<string, string> {
  const out = { ...h };
  for (const k of ['x-auth-token', 'x-subject-token']) if (out[k]) out[k] = '***';
  return out;
}

function redactBody(text: string): string {
  return text.replace(/"password"\s*:\s*"[^"]*"/g, '"password": "***"');
}
