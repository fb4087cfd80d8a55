import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';

export default class NetworkAssociateProject extends ClientCommand {
  static summary = 'Associate project with network.';
  static description = 'The project is the one the session is scoped to.';
  static aliases = ['network-associate-project'];
  static args = { network: Args.string({ description: 'UUID of network.', required: true }) };

  async run(): Promise<{ network: string }> {
    const { args, flags } = await this.parse(NetworkAssociateProject);
    const nova = networkProxy(await this.connect(flags), 'os-networks');
    await nova.networks.associateProject(args.network);
    return { network: args.network };
  }
}
