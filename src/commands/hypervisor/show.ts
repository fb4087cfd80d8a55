import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { flattenDict } from '../../cli/views/flatten';
import { Hypervisor } from '../../client/compute/hypervisors';
import { findHypervisor } from '../../client/resolve';

export default class HypervisorShow extends ClientCommand {
  static summary = 'Display the details of the specified hypervisor.';
  static aliases = ['hypervisor-show'];
  static args = { hypervisor: Args.string({ description: 'Name or ID of the hypervisor. Starting with microversion 2.53 the ID must be a UUID.', required: true }) };
  static flags = { wrap: Flags.integer({ description: 'Wrap the output to a specified length. Default is 40 or 0 to disable', default: 40 }) };

  async run(): Promise<Hypervisor> {
    const { args, flags } = await this.parse(HypervisorShow);
    const nova = await this.connect(flags);
    const found = await findHypervisor(nova, args.hypervisor);
    // Found by hostname, it comes from the detailed list, which lacks what only show has (uptime since 2.88).
    const hypervisor = String(found.id) === args.hypervisor ? found : await nova.hypervisors.get(found.id);
    this.printDict(flattenDict(hypervisor as unknown as Record<string, unknown>), { wrap: flags.wrap });
    return hypervisor;
  }
}
