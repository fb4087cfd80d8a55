import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { floatingActions } from '../../cli/views/network';
import { findServer } from '../../client/resolve';

export default class FloatingIpAssociate extends ClientCommand {
  static summary = 'Associate a floating IP address to a server.';
  static aliases = ['floating-ip-associate', 'add-floating-ip'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    address: Args.string({ description: 'IP Address.', required: true }),
  };
  static flags = {
    'fixed-address': Flags.string({ helpValue: '<fixed_address>', description: 'Fixed IP Address to associate with.' }),
  };

  async run(): Promise<{ server: string; address: string; fixed_address: string | null }> {
    const { args, flags } = await this.parse(FloatingIpAssociate);
    const nova = floatingActions(await this.connect(flags));
    const server = await findServer(nova, args.server);
    await nova.floatingIps.associate(server.id, args.address, flags['fixed-address']);
    return { server: server.id, address: args.address, fixed_address: flags['fixed-address'] ?? null };
  }
}
