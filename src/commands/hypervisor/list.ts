import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { HypervisorSummary } from '../../client/compute/hypervisors';

export default class HypervisorList extends ClientCommand {
  static summary = 'List hypervisors.';
  static aliases = ['hypervisor-list'];
  static flags = {
    matching: Flags.string({ description: 'List hypervisors matching the given <hostname> (or pattern). If matching is used limit and marker options will be ignored.' }),
    marker: Flags.string({ description: 'The last hypervisor of the previous page; displays list of hypervisors after "marker".' }),
    limit: Flags.integer({ description: 'Maximum number of hypervisors to display.' }),
  };

  async run(): Promise<HypervisorSummary[]> {
    const { flags } = await this.parse(HypervisorList);
    const nova = await this.connect(flags);
    const list = flags.matching
      ? await nova.hypervisors.search(flags.matching)
      : await nova.hypervisors.list({ detailed: false, limit: flags.limit, marker: flags.marker });
    this.printList(list, ['ID', 'Hypervisor hostname', 'State', 'Status']);
    return list;
  }
}
