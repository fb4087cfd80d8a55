import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { ServiceUpdate } from '../../client/compute/services';
import { serviceTarget } from '../../client/resolve';

export default class ServiceForceDown extends ClientCommand {
  static summary = 'Force service to down.';
  static description = 'Marks a compute service down at once (for evacuation), without waiting for its heartbeat to age; --unset clears it. API 2.11 or later.';
  static aliases = ['service-force-down'];
  static args = { id: Args.string({ description: 'ID of the service as a UUID (hostname before 2.53).', required: true }) };
  static flags = { unset: Flags.boolean({ description: 'Unset the forced_down state of the service.' }) };

  async run(): Promise<ServiceUpdate> {
    const { args, flags } = await this.parse(ServiceForceDown);
    const nova = await this.connect(flags);
    const result = await nova.services.forceDown(await serviceTarget(nova, args.id), !flags.unset);
    this.printList([result], [...(nova.supports('2.53') ? ['ID'] : []), 'Host', 'Binary', 'Forced down']);
    return result;
  }
}
