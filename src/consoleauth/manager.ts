import { createHash, randomBytes } from 'node:crypto';
import { buildAccessUrl, CONSOLE_TYPES } from '../console/access_url';
import { ConsoleProxyMethods } from '../console/proxy_rpc';
import { RequestContext } from '../context';
import * as tokens from '../db/api/console_auth_tokens';
import { InvalidInput } from '../exception';
import { Logger } from '../lib/log';
import { PeriodicTask } from '../service/periodic';
import { Manager } from '../service/service';
import { AuthorizedConsole, CONSOLEAUTH_RPC_VERSION, ConnectInfo, ConsoleAuthMethods, ConsoleAuthorization } from './rpcapi';

const KNOWN_TYPES = new Set(Object.values(CONSOLE_TYPES).flat());
const TOKEN = /^[A-Za-z0-9_-]{32,255}$/;

/** A new console token: 32 random bytes, base64url (43 characters). */
export function newConsoleToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface ConsoleAuthManagerOptions {
  /** [consoleauth] token_ttl, seconds. */
  tokenTtl: number;
  /** Seconds between removals of expired tokens. */
  cleanupInterval: number;
  log: Logger;
  /** Tells the proxies to close the sessions of an instance (fanout). */
  proxies?: ConsoleProxyMethods;
  /** Milliseconds since the epoch (tests inject their own clock). */
  now?: () => number;
}

function str(v: unknown, name: string, max: number, nullable = false): string | null {
  if (nullable && (v === null || v === undefined || v === '')) return null;
  if (typeof v !== 'string' || v === '' || v.length > max) throw new InvalidInput({ reason: `${name} must be a non-empty string of at most ${max} characters` });
  return v;
}

/**
 * nova-consoleauth: console authorizations kept hashed in the database, so every proxy replica checks
 * the same tokens. A token is valid until `token_ttl` passes, its instance's tokens are revoked, or
 * the instance is deleted.
 */
export class ConsoleAuthManager implements Manager, ConsoleAuthMethods {
  readonly rpcTarget = { version: CONSOLEAUTH_RPC_VERSION };
  private now: () => number;

  constructor(private opts: ConsoleAuthManagerOptions) {
    this.now = opts.now ?? Date.now;
  }

  private nowSec(): number { return Math.floor(this.now() / 1000); }

  async authorize_console(_ctx: RequestContext, a: ConsoleAuthorization & { token?: string }): Promise<AuthorizedConsole> {
    const consoleType = str(a.console_type, 'console_type', 255)!;
    if (!KNOWN_TYPES.has(consoleType)) throw new InvalidInput({ reason: `console_type '${consoleType}' is not one of ${[...KNOWN_TYPES].join(', ')}` });
    if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) throw new InvalidInput({ reason: `port ${a.port} is not a TCP port (1-65535)` });
    const token = a.token === undefined ? newConsoleToken() : a.token;
    if (typeof token !== 'string' || !TOKEN.test(token)) throw new InvalidInput({ reason: 'token must be 32 to 255 url-safe characters' });
    const base = str(a.access_url_base, 'access_url_base', 255)!;
    const expires = this.nowSec() + this.opts.tokenTtl;
    await tokens.consoleAuthTokenCreate({
      token_hash: hashToken(token), console_type: consoleType, host: str(a.host, 'host', 255)!, port: a.port,
      internal_access_path: str(a.internal_access_path, 'internal_access_path', 255, true), instance_uuid: str(a.instance_uuid, 'instance_uuid', 36)!,
      expires, access_url_base: base,
    });
    this.opts.log.info(`authorized a ${consoleType} console of instance ${a.instance_uuid} until ${new Date(expires * 1000).toISOString()}`);
    return { token, access_url: buildAccessUrl(base, consoleType, token), expires };
  }

  async check_token(_ctx: RequestContext, a: { token: string }): Promise<ConnectInfo | null> {
    if (typeof a.token !== 'string' || !TOKEN.test(a.token)) return null;
    const row = await tokens.consoleAuthTokenGetValid(hashToken(a.token), this.nowSec());
    if (!row) {
      this.opts.log.debug('console token refused: unknown, expired, revoked, or its instance is gone');
      return null;
    }
    return {
      instance_uuid: row.instance_uuid, console_type: row.console_type, host: row.host, port: row.port,
      internal_access_path: row.internal_access_path, access_url: buildAccessUrl(row.access_url_base ?? '', row.console_type, a.token),
      expires: row.expires,
    };
  }

  async delete_tokens_for_instance(ctx: RequestContext, a: { instance_uuid: string }): Promise<void> {
    const uuid = str(a.instance_uuid, 'instance_uuid', 36)!;
    const n = await tokens.consoleAuthTokenDestroyAllByInstance(uuid);
    if (n) this.opts.log.info(`revoked ${n} console token(s) of instance ${uuid}`);
    // Sessions opened with a token now revoked must end too, even if the token was still young.
    await this.opts.proxies?.close_console_sessions(ctx, { instance_uuid: uuid })
      .catch((e) => this.opts.log.warn(`could not tell the console proxies to close the sessions of ${uuid}: ${(e as Error).message}`));
  }

  /** Removes expired tokens (Nova's _cleanup_expired_console_auth_tokens). */
  async cleanupExpired(): Promise<number> {
    const n = await tokens.consoleAuthTokenDestroyExpired(this.nowSec());
    if (n) this.opts.log.debug(`removed ${n} expired console token(s)`);
    return n;
  }

  periodicTasks(): PeriodicTask[] {
    return [{ name: 'cleanup_expired_console_auth_tokens', spacing: this.opts.cleanupInterval, run: async () => { await this.cleanupExpired(); } }];
  }
}
