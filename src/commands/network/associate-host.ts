import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';

export default class NetworkAssociateHost extends ClientCommand {
  static summary = 'Associate host with network.';
  static aliases = ['network-associate-host'];
  static args = {
    network: Args.string({ description: 'UUID of network.', required: true }),
    host: Args.string({ description: 'Name of host.', required: true }),
  };

  async run(): Promise<{ network: string; host: string }> {
    const { args, flags } = await this.parse(NetworkAssociateHost);
    const nova = networkProxy(await this.connect(flags), 'os-networks');
    await nova.networks.associateHost(args.network, args.host);
    return { network: args.network, host: args.host };
  }
}
