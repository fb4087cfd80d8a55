import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { findNetwork, networkProxy } from '../../cli/views/network';

export default class NetworkDelete extends ClientCommand {
  static summary = 'Delete network by label or id.';
  static aliases = ['network-delete'];
  static args = { network: Args.string({ description: 'UUID or label of network.', required: true }) };

  async run(): Promise<{ deleted: string }> {
    const { args, flags } = await this.parse(NetworkDelete);
    const nova = networkProxy(await this.connect(flags), 'os-networks');
    const network = await findNetwork(nova, args.network);
    await nova.networks.delete(network.id);
    return { deleted: network.id };
  }
}
