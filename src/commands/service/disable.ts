import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { ServiceUpdate } from '../../client/compute/services';
import { serviceTarget } from '../../client/resolve';

export default class ServiceDisable extends ClientCommand {
  static summary = 'Disable the service.';
  static description = 'The scheduler stops choosing a disabled compute service; --reason is recorded and shown by service-list.';
  static aliases = ['service-disable'];
  static args = { id: Args.string({ description: 'ID of the service as a UUID (hostname before 2.53).', required: true }) };
  static flags = { reason: Flags.string({ description: 'Reason for disabling the service.' }) };

  async run(): Promise<ServiceUpdate> {
    const { args, flags } = await this.parse(ServiceDisable);
    const nova = await this.connect(flags);
    const result = await nova.services.disable(await serviceTarget(nova, args.id), flags.reason);
    const columns = [...(nova.supports('2.53') ? ['ID'] : []), 'Host', 'Binary', 'Status', ...(flags.reason === undefined ? [] : ['Disabled Reason'])];
    this.printList([result], columns);
    return result;
  }
}
