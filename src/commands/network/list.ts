import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { Network } from '../../client/compute/networks';

export default class NetworkList extends ClientCommand {
  static summary = 'Print a list of available networks.';
  static aliases = ['network-list'];
  static flags = {
    fields: Flags.string({ description: 'Comma-separated list of fields to display. Use the show command to see which fields are available.' }),
  };

  async run(): Promise<Network[]> {
    const { flags } = await this.parse(NetworkList);
    const nova = networkProxy(await this.connect(flags), 'os-networks');
    const list = await nova.networks.list();
    const extra = (flags.fields ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    // novaclient titles a field by capitalizing its words: `bridge_interface` -> `Bridge Interface`.
    const title = (f: string) => f.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
    const formatters = Object.fromEntries(extra.map((f) => [title(f), (n: Network) => n[f]]));
    this.printList(list, ['ID', 'Label', 'Cidr', ...extra.map(title)], { formatters });
    return list;
  }
}
