import { ClientCommand } from '../../cli/client_command';
import { HypervisorStatistics } from '../../client/compute/hypervisors';

export default class HypervisorStats extends ClientCommand {
  static summary = 'Get hypervisor statistics over all compute nodes.';
  static description = 'The API dropped these totals in 2.88: unless --os-compute-api-version asks for a later one, this asks at 2.87.';
  static aliases = ['hypervisor-stats'];

  async run(): Promise<HypervisorStatistics> {
    const { flags } = await this.parse(HypervisorStats);
    const nova = (await this.connect(flags)).atMost('2.87', 'The hypervisor-stats command is not supported in API version 2.88 or later.');
    const stats = await nova.hypervisors.statistics();
    this.printDict({ ...stats });
    return stats;
  }
}
