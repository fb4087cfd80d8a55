import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { findNetwork, networkProxy } from '../../cli/views/network';
import { Network } from '../../client/compute/networks';

export default class NetworkShow extends ClientCommand {
  static summary = 'Show details about the given network.';
  static aliases = ['network-show'];
  static args = { network: Args.string({ description: 'UUID or label of network.', required: true }) };

  async run(): Promise<Network> {
    const { args, flags } = await this.parse(NetworkShow);
    const nova = networkProxy(await this.connect(flags), 'os-networks');
    const network = await findNetwork(nova, args.network);
    this.printDict(network);
    return network;
  }
}
