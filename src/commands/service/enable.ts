import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { ServiceUpdate } from '../../client/compute/services';
import { serviceTarget } from '../../client/resolve';

export default class ServiceEnable extends ClientCommand {
  static summary = 'Enable the service.';
  static description = 'Since API 2.53 the service is named by its UUID (or the host of its nova-compute); before, by the host of its nova-compute.';
  static aliases = ['service-enable'];
  static args = { id: Args.string({ description: 'ID of the service as a UUID (hostname before 2.53).', required: true }) };

  async run(): Promise<ServiceUpdate> {
    const { args, flags } = await this.parse(ServiceEnable);
    const nova = await this.connect(flags);
    const result = await nova.services.enable(await serviceTarget(nova, args.id));
    this.printList([result], nova.supports('2.53') ? ['ID', 'Host', 'Binary', 'Status'] : ['Host', 'Binary', 'Status']);
    return result;
  }
}
