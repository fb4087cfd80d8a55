import { AuthState, Authenticator } from './auth';
import { ApiError, CommandError } from './errors';
import { HttpMethod, HttpResponse, HttpTransport } from './http';

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;
export type Query = Record<string, QueryValue> | Array<[string, string | number]>;

export interface SessionRequest {
  method: HttpMethod;
  /** Path under the service endpoint, e.g. `/servers/detail`; or an absolute URL. */
  path: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * An authenticated connection to the services of one cloud: resolves a service type to its
 * endpoint, adds the token, and retries once with a fresh token when the cached one was refused.
 */
export class ApiSession {
  constructor(readonly auth: Authenticator, readonly http: HttpTransport) {}

  async authState(): Promise<AuthState> {
    return this.auth.authenticate();
  }

  /** The endpoint of a service type; an error naming the type when the catalog has none. */
  async endpoint(serviceType: string): Promise<string> {
    const url = await this.auth.endpointFor(serviceType);
    if (!url) {
      throw new CommandError(`No ${serviceType} endpoint is known: authenticate with --os-auth-url to read the service catalog` +
        (serviceType === 'compute' ? ', or give --os-endpoint-override.' : '.'));
    }
    return url;
  }

  async optionalEndpoint(serviceType: string): Promise<string | undefined> {
    return this.auth.endpointFor(serviceType);
  }

  async request<T = unknown>(serviceType: string, req: SessionRequest): Promise<HttpResponse<T>> {
    const url = /^https?:\/\//.test(req.path) ? req.path : (await this.endpoint(serviceType)) + req.path;
    const full = url + queryString(req.query);
    const send = async () => {
      const { token } = await this.auth.authenticate();
      return this.http.request<T>({ method: req.method, url: full, body: req.body, headers: { 'x-auth-token': token, ...req.headers } });
    };
    try {
      return await send();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401 && this.auth.invalidate()) return send();
      throw e;
    }
  }

  /** A request that needs no token (version documents). */
  async anonymous<T = unknown>(url: string): Promise<HttpResponse<T>> {
    return this.http.request<T>({ method: 'GET', url });
  }
}

/** `?a=1&b=x` from a record (undefined, null and false dropped, arrays repeated) or ordered pairs. */
export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const pairs: Array<[string, string]> = [];
  if (Array.isArray(q)) {
    for (const [k, v] of q) pairs.push([k, String(v)]);
  } else {
    for (const [k, v] of Object.entries(q)) {
      if (v === undefined || v === null || v === false || v === '') continue;
      if (Array.isArray(v)) for (const x of v) pairs.push([k, String(x)]);
      else pairs.push([k, String(v)]);
    }
  }
  if (pairs.length === 0) return '';
  return `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}
