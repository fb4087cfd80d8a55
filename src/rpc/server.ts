import { RequestContext } from '../context';
import { NovaError } from '../exception';
import { Logger } from '../lib/log';
import { UnsupportedVersion } from './errors';
import { Envelope, Reply, Subscription, Target, Transport } from './types';

/** An object whose methods `(ctx, args)` are callable over RPC. */
export interface Endpoint {
  /** Namespace (e.g. 'compute_task') and the version this endpoint implements ('6.0'). */
  readonly rpcTarget: { namespace?: string; version: string };
}

type Method = (ctx: RequestContext, args: Record<string, unknown>) => unknown;

function versionOk(requested: string, offered: string): boolean {
  const [rMaj, rMin = 0] = requested.split('.').map(Number);
  const [oMaj, oMin = 0] = offered.split('.').map(Number);
  return rMaj === oMaj && rMin <= oMin;
}

export function errorToFailure(e: unknown): Reply['failure'] {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    class: err instanceof NovaError ? err.name : err.constructor?.name ?? 'Error',
    message: err.message,
    code: err instanceof NovaError ? err.code : undefined,
    kwargs: err instanceof NovaError ? JSON.parse(JSON.stringify(err.kwargs ?? {})) : undefined,
    tb: err.stack,
  };
}

/**
 * The receiving side of one service: listens on the topic's work queue, on this server's own queue and
 * on the topic's fanout, and dispatches each message to the endpoint method of the same name.
 */
export class RpcServer {
  private subs: Subscription[] = [];
  private accepting = false;

  constructor(
    private transport: Transport,
    readonly target: Required<Pick<Target, 'topic' | 'server'>>,
    private endpoints: Endpoint[],
    private log: Logger,
    private opts: { prefetch?: number; listenOnTopic?: boolean } = {},
  ) {}

  async start(): Promise<void> {
    this.accepting = true;
    const handler = (env: Envelope) => this.dispatch(env);
    const prefetch = this.opts.prefetch;
    if (this.opts.listenOnTopic !== false) this.subs.push(await this.transport.listen({ topic: this.target.topic }, handler, { prefetch }));
    this.subs.push(await this.transport.listen({ topic: this.target.topic, server: this.target.server }, handler, { prefetch }));
    this.subs.push(await this.transport.listen({ topic: this.target.topic, fanout: true }, handler, { prefetch }));
  }

  /** Stop taking messages; resolves when the ones in hand are handled. */
  async stop(): Promise<void> {
    this.accepting = false;
    const subs = this.subs.splice(0);
    await Promise.all(subs.map((s) => s.close()));
  }

  private find(env: Envelope): Method {
    for (const ep of this.endpoints) {
      if ((ep.rpcTarget.namespace ?? undefined) !== (env.namespace ?? undefined)) continue;
      const fn = (ep as unknown as Record<string, unknown>)[env.method];
      if (typeof fn !== 'function' || env.method.startsWith('_') || env.method === 'constructor') continue;
      if (!versionOk(env.version, ep.rpcTarget.version)) throw new UnsupportedVersion(env.method, env.version);
      return (fn as Method).bind(ep);
    }
    throw new UnsupportedVersion(`${env.namespace ? env.namespace + '.' : ''}${env.method}`, env.version);
  }

  async dispatch(env: Envelope): Promise<Reply> {
    try {
      if (!this.accepting) throw new Error(`${this.target.topic} on ${this.target.server} is stopping`);
      const result = await this.find(env)(env.context, env.args ?? {});
      return { result: result === undefined ? null : result };
    } catch (e) {
      const expected = e instanceof NovaError && e.code < 500;
      this.log[expected ? 'debug' : 'error'](`${env.method} failed: ${(e as Error).message}`, { request_id: env.context?.request_id });
      return { failure: errorToFailure(e) };
    }
  }
}
