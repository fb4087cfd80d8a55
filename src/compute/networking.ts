import { ConductorAPI } from '../conductor/rpcapi';
import { RequestContext } from '../context';
import { BuildAbortException } from '../exception';
import { Logger } from '../lib/log';
import { ComputeNetworkAPI } from '../network/api';
import { Instance } from '../objects/instance';
import { BuildRequest } from './build';
import { TaskState } from './vm_states';

/**
 * The network steps of a build and a delete on a compute host (Nova's _build_networks_for_instance and
 * _deallocate_network): task_state `networking`, addresses from nova-network, network_info saved on
 * the instance, then `spawning`; given back when the guest goes away or the build fails.
 */
export class InstanceNetworking {
  constructor(private network: ComputeNetworkAPI | undefined, private conductor: ConductorAPI, private log: Logger) {}

  /**
   * From `networking` to `spawning` with the instance's network_info saved. A failure aborts the build
   * (Nova does not reschedule it), with what nova-network said as the reason.
   */
  async allocate(ctx: RequestContext, inst: Instance, request: BuildRequest): Promise<Instance> {
    let info;
    try {
      info = this.network ? await this.network.allocateForInstance(ctx, inst, request.requested_networks, request.security_groups) : [];
    } catch (e) {
      await this.deallocate(ctx, inst);
      throw new BuildAbortException({ instance_uuid: inst.uuid, reason: `Failed to allocate the network(s), not rescheduling: ${(e as Error).message}` });
    }
    try {
      return await this.conductor.instance_update(ctx, {
        uuid: inst.uuid, updates: { network_info: info, task_state: TaskState.SPAWNING }, expected_task_state: [TaskState.NETWORKING],
      });
    } catch (e) {
      // Deleted (or taken over) meanwhile: its addresses must not stay taken.
      await this.deallocate(ctx, inst);
      throw e;
    }
  }

  /** Gives the addresses back; a failure is logged (nova-network also releases those of deleted instances). */
  async deallocate(ctx: RequestContext, inst: Instance): Promise<void> {
    if (!this.network) return;
    try {
      await this.network.deallocateForInstance(ctx, inst);
    } catch (e) {
      this.log.warn(`deallocating the network of ${inst.uuid}: ${(e as Error).message}`, { request_id: ctx.request_id });
    }
  }
}
