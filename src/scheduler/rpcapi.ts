import { BuildRequest } from '../compute/build';
import { RequestContext } from '../context';
import { RpcClient } from '../rpc/client';
import { Transport } from '../rpc/types';
import { Decision } from './filter_scheduler';

export const SCHEDULER_TOPIC = 'scheduler';

export interface SchedulerMethods {
  /** Picks and claims a host for each instance of the request; NoValidHost when it cannot. */
  select_destinations(ctx: RequestContext, a: { request: BuildRequest }): Promise<Decision>;
}

export function schedulerRpcApi(transport: Transport, timeoutMs: number): SchedulerMethods {
  const client = new RpcClient(transport, { topic: SCHEDULER_TOPIC }, { version: '4.0', timeoutMs });
  return {
    select_destinations: (ctx, a) => client.call(ctx, 'select_destinations', a),
  };
}
