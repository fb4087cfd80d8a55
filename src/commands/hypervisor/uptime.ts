import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { HypervisorUptime } from '../../client/compute/hypervisors';
import { findHypervisor } from '../../client/resolve';

export default class HypervisorUptimeCommand extends ClientCommand {
  static summary = 'Display the uptime of the specified hypervisor.';
  static aliases = ['hypervisor-uptime'];
  static args = { hypervisor: Args.string({ description: 'Name or ID of the hypervisor. Starting with microversion 2.53 the ID must be a UUID.', required: true }) };

  async run(): Promise<HypervisorUptime> {
    const { args, flags } = await this.parse(HypervisorUptimeCommand);
    const nova = await this.connect(flags);
    const hypervisor = await findHypervisor(nova, args.hypervisor);
    const uptime = await nova.hypervisors.uptime(hypervisor.id);
    this.printDict({ ...uptime });
    return uptime;
  }
}
