import { RequestContext } from '../context';
import { RpcClient } from '../rpc/client';
import { Transport } from '../rpc/types';

/**
 * How nova-consoleauth tells every console proxy to close the sessions of an instance whose tokens it
 * revoked: a fanout cast on this topic, which each proxy replica listens to.
 */
export const CONSOLE_PROXY_TOPIC = 'console_proxy';
export const CONSOLE_PROXY_RPC_VERSION = '1.0';

export interface ConsoleProxyMethods {
  close_console_sessions(ctx: RequestContext, a: { instance_uuid: string }): Promise<void>;
}

export function consoleProxyFanout(transport: Transport, timeoutMs: number): ConsoleProxyMethods {
  const client = new RpcClient(transport, { topic: CONSOLE_PROXY_TOPIC, fanout: true }, { version: CONSOLE_PROXY_RPC_VERSION, timeoutMs });
  return { close_console_sessions: (ctx, a) => client.cast(ctx, 'close_console_sessions', a) };
}
