import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';

interface ServerOnHypervisor { id: string; name: string; hypervisor_id: string | number; hypervisor_hostname: string }

export default class HypervisorServers extends ClientCommand {
  static summary = 'List servers belonging to specific hypervisors.';
  static aliases = ['hypervisor-servers'];
  static args = { hostname: Args.string({ description: 'The hypervisor hostname (or pattern) to search for.', required: true }) };

  async run(): Promise<ServerOnHypervisor[]> {
    const { args, flags } = await this.parse(HypervisorServers);
    const nova = await this.connect(flags);
    const rows = (await nova.hypervisors.search(args.hostname, true)).flatMap((h) => (h.servers ?? []).map((s) => ({
      id: s.uuid, name: s.name, hypervisor_id: h.id, hypervisor_hostname: h.hypervisor_hostname,
    })));
    this.printList(rows, ['ID', 'Name', 'Hypervisor ID', 'Hypervisor Hostname']);
    return rows;
  }
}
