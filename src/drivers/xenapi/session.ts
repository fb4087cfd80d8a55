import * as http from 'node:http';
import { NovaConf } from '../../conf/schema';
import { agentFor, describeNetworkError, EndpointError, request } from '../../lib/https_client';
import { Logger } from '../../lib/log';
import { Semaphore } from '../../lib/semaphore';
import { decodeResponse, encodeCall, RpcValue } from './xmlrpc';

/** An error XAPI answered with: its code (SESSION_INVALID, VM_BAD_POWER_STATE, ...) and parameters. */
export class XenAPIError extends Error {
  constructor(readonly code: string, readonly params: string[], readonly method: string, readonly endpoint: string) {
    super(`XAPI ${endpoint}: ${method} failed: ${[code, ...params].join(' ')}`);
    this.name = 'XenAPIError';
  }
}

export type XenRecord = Record<string, RpcValue>;
export type Ref = string;

/**
 * A XAPI session over XML-RPC ([xenserver] connection_url): login_with_password, one fresh login
 * when XAPI says SESSION_INVALID, at most connection_concurrent calls in flight, and the session's
 * HTTP handlers (/import_raw_vdi, /export_raw_vdi).
 */
export class XenAPISession {
  readonly url: URL;
  readonly endpoint: string;
  private agent: http.Agent;
  private session?: Ref;
  private loggingIn?: Promise<void>;
  private slots: Semaphore;

  constructor(private conf: NovaConf['xenserver'], private log: Logger) {
    if (!conf.connection_url) throw new Error('[xenserver] connection_url is not set: the XenAPI driver needs the XAPI host address (http://host or https://host)');
    try {
      this.url = new URL(conf.connection_url);
    } catch {
      throw new Error(`[xenserver] connection_url '${conf.connection_url}' is not a URL (expected http://host or https://host)`);
    }
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new Error(`[xenserver] connection_url '${conf.connection_url}' must be http:// or https://`);
    this.endpoint = this.url.toString();
    this.agent = agentFor(this.url, { insecure: false });
    this.slots = new Semaphore(conf.connection_concurrent);
  }

  get sessionRef(): Ref | undefined { return this.session; }

  private describe = (e: NodeJS.ErrnoException): EndpointError => {
    const err = describeNetworkError(`XAPI ${this.endpoint}`, e, 'a certificate the system CAs trust on the XAPI host (or an http:// connection_url)');
    if (err.kind === 'unreachable') err.message += '; check [xenserver] connection_url';
    return err;
  };

  /** One XML-RPC call without a session argument. Unwraps XAPI's {Status, Value|ErrorDescription}. */
  private async raw(method: string, params: RpcValue[], timeoutMs = 300_000): Promise<RpcValue> {
    const body = encodeCall(method, params);
    const res = await this.slots.run(() => request(this.url, this.agent, {
      method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) }, body, timeoutMs,
    }, this.describe));
    let value: RpcValue;
    try {
      value = decodeResponse(res.body.toString('utf8'));
    } catch (e) {
      throw new EndpointError(`XAPI ${this.endpoint}`, 'protocol', `XAPI ${this.endpoint} answered ${method} with HTTP ${res.status} and no XML-RPC response (${(e as Error).message}); is this a XAPI host?`);
    }
    const r = value as Record<string, RpcValue>;
    if (r && typeof r === 'object' && r.Status === 'Success') return r.Value;
    if (r && typeof r === 'object' && r.Status === 'Failure') {
      const [code = 'UNKNOWN', ...rest] = (r.ErrorDescription as RpcValue[] | undefined ?? []).map(String);
      throw new XenAPIError(code, rest, method, this.endpoint);
    }
    throw new EndpointError(`XAPI ${this.endpoint}`, 'protocol', `XAPI ${this.endpoint} answered ${method} without Status`);
  }

  async login(): Promise<void> {
    const c = this.conf;
    try {
      this.session = String(await this.raw('session.login_with_password', [c.connection_username, c.connection_password, '1.0', 'nova'], c.login_timeout * 1000));
    } catch (e) {
      if (e instanceof XenAPIError && e.code === 'SESSION_AUTHENTICATION_FAILED') {
        throw new XenAPIError(e.code, [`login of user '${c.connection_username}' refused; check [xenserver] connection_username and connection_password`], 'session.login_with_password', this.endpoint);
      }
      if (e instanceof XenAPIError && e.code === 'HOST_IS_SLAVE') {
        throw new XenAPIError(e.code, [`${e.params[0] ?? '?'} is the pool master: set [xenserver] connection_url to it`], 'session.login_with_password', this.endpoint);
      }
      throw e;
    }
    this.log.info(`logged in to XAPI ${this.endpoint} as ${c.connection_username}`);
  }

  /** Calls `method(session, ...params)`; logs in again once on SESSION_INVALID. */
  async call<T = RpcValue>(method: string, ...params: RpcValue[]): Promise<T> {
    if (!this.session) await this.relogin();
    try {
      return await this.raw(method, [this.session!, ...params]) as T;
    } catch (e) {
      if (!(e instanceof XenAPIError && e.code === 'SESSION_INVALID')) throw e;
      this.log.info(`XAPI session invalid (${method}): logging in again`);
      await this.relogin();
      return await this.raw(method, [this.session!, ...params]) as T;
    }
  }

  private relogin(): Promise<void> {
    this.loggingIn ??= this.login().finally(() => { this.loggingIn = undefined; });
    return this.loggingIn;
  }

  /** A URL of one of XAPI's HTTP handlers for this session. */
  handlerUrl(path: string, query: Record<string, string>): URL {
    const u = new URL(path, this.url);
    u.search = new URLSearchParams({ session_id: this.session ?? '', ...query }).toString();
    return u;
  }

  async put(path: string, query: Record<string, string>, body: NodeJS.ReadableStream | Buffer, size: number, timeoutMs: number): Promise<void> {
    const res = await request(this.handlerUrl(path, query), this.agent, {
      method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': size }, body, timeoutMs,
    }, this.describe);
    if (res.status < 200 || res.status >= 300) throw new Error(`XAPI ${this.endpoint}: PUT ${path} failed: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
  }

  async get(path: string, query: Record<string, string>, timeoutMs: number): Promise<{ stream: NodeJS.ReadableStream; size?: number }> {
    const res = await request(this.handlerUrl(path, query), this.agent, { method: 'GET', timeoutMs, stream: true }, this.describe);
    if (res.status < 200 || res.status >= 300 || !res.stream) {
      res.stream?.resume();
      throw new Error(`XAPI ${this.endpoint}: GET ${path} failed: HTTP ${res.status}`);
    }
    const len = Number(res.headers['content-length']);
    return { stream: res.stream, size: Number.isFinite(len) ? len : undefined };
  }

  async close(): Promise<void> {
    if (this.session) await this.raw('session.logout', [this.session]).catch(() => undefined);
    this.session = undefined;
    this.agent.destroy();
  }
}
