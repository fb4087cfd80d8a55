import { RequestContext } from '../context';
import { errorFromRemote } from '../exception';
import { RemoteError } from './errors';
import { Envelope, RemoteFailure, Target, Transport } from './types';

export interface ClientOptions {
  version: string;
  namespace?: string;
  timeoutMs: number;
}

/** Rebuilds a remote failure as the same error class when it is one of ours, else a RemoteError. */
export function failureToError(f: RemoteFailure): Error {
  return errorFromRemote(f.class, f.message, f.kwargs) ?? new RemoteError(f);
}

/**
 * The caller's side of one topic's contract, as oslo.messaging's RPCClient: `prepare` picks the
 * server, fanout, version or timeout of one message; `call` waits for the answer, `cast` does not.
 */
export class RpcClient {
  constructor(readonly transport: Transport, readonly target: Target, readonly options: ClientOptions) {}

  prepare(p: { server?: string; fanout?: boolean; version?: string; timeoutMs?: number }): RpcClient {
    return new RpcClient(
      this.transport,
      { topic: this.target.topic, server: p.server ?? this.target.server, fanout: p.fanout ?? this.target.fanout },
      { ...this.options, version: p.version ?? this.options.version, timeoutMs: p.timeoutMs ?? this.options.timeoutMs },
    );
  }

  private envelope(ctx: RequestContext, method: string, args: object): Envelope {
    return { method, version: this.options.version, namespace: this.options.namespace, context: ctx, args: args as Record<string, unknown> };
  }

  async cast(ctx: RequestContext, method: string, args: object = {}): Promise<void> {
    await this.transport.cast(this.target, this.envelope(ctx, method, args));
  }

  async call<T = unknown>(ctx: RequestContext, method: string, args: object = {}): Promise<T> {
    const reply = await this.transport.call(this.target, this.envelope(ctx, method, args), this.options.timeoutMs);
    if (reply.failure) throw failureToError(reply.failure);
    return reply.result as T;
  }
}
