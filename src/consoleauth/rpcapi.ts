import { RequestContext } from '../context';
import { RpcClient } from '../rpc/client';
import { Transport } from '../rpc/types';
import '../console/errors'; // registers the console errors so they come back over RPC as themselves

export const CONSOLEAUTH_TOPIC = 'consoleauth';
export const CONSOLEAUTH_RPC_VERSION = '2.1';

/** Where a console leads: what compute answered for the instance, plus the URL users open. */
export interface ConsoleAuthorization {
  console_type: string;
  host: string;
  port: number;
  internal_access_path: string | null;
  instance_uuid: string;
  /** Public URL without the token (novncproxy_base_url, ...). */
  access_url_base: string;
}

export interface AuthorizedConsole {
  token: string;
  /** access_url_base completed with the token (see console/access_url). */
  access_url: string;
  /** Unix time, seconds. */
  expires: number;
}

/** What check_token answers for a valid token (Nova's connect_info dict). */
export interface ConnectInfo {
  instance_uuid: string;
  console_type: string;
  host: string;
  port: number;
  internal_access_path: string | null;
  access_url: string;
  /** Unix time, seconds. */
  expires: number;
}

/** nova-consoleauth's contract (nova/consoleauth/rpcapi.py of 18.0, version 2.1). */
export interface ConsoleAuthMethods {
  /**
   * Stores a console authorization for `[consoleauth] token_ttl` seconds. Nova's callers pass the
   * token; here it is made by consoleauth (32 random bytes, url-safe) unless given, and returned.
   */
  authorize_console(ctx: RequestContext, a: ConsoleAuthorization & { token?: string }): Promise<AuthorizedConsole>;
  /** The connection a token leads to, or null when it is unknown, expired, revoked or its instance is gone. */
  check_token(ctx: RequestContext, a: { token: string }): Promise<ConnectInfo | null>;
  /** Revokes every token of an instance and closes its open console sessions (a cast, as in Nova). */
  delete_tokens_for_instance(ctx: RequestContext, a: { instance_uuid: string }): Promise<void>;
}

export function consoleAuthRpcApi(transport: Transport, timeoutMs: number): ConsoleAuthMethods {
  const client = new RpcClient(transport, { topic: CONSOLEAUTH_TOPIC }, { version: CONSOLEAUTH_RPC_VERSION, timeoutMs });
  return {
    authorize_console: (ctx, a) => client.call(ctx, 'authorize_console', a),
    check_token: (ctx, a) => client.call(ctx, 'check_token', a),
    delete_tokens_for_instance: (ctx, a) => client.cast(ctx, 'delete_tokens_for_instance', a),
  };
}
