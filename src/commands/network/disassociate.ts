import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';

export default class NetworkDisassociate extends ClientCommand {
  static summary = 'Disassociate host and/or project from the given network.';
  static aliases = ['network-disassociate'];
  static args = { network: Args.string({ description: 'UUID of network.', required: true }) };
  static flags = {
    'host-only': Flags.boolean({ description: 'Disassociate the host only.' }),
    'project-only': Flags.boolean({ description: 'Disassociate the project only.' }),
  };

  async run(): Promise<{ network: string; host: boolean; project: boolean }> {
    const { args, flags } = await this.parse(NetworkDisassociate);
    const nova = networkProxy(await this.connect(flags), 'os-networks');
    const what = flags['host-only'] ? { host: true, project: false } : flags['project-only'] ? { host: false, project: true } : { host: true, project: true };
    await nova.networks.disassociate(args.network, what);
    return { network: args.network, ...what };
  }
}
