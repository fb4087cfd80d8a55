import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { floatingActions } from '../../cli/views/network';
import { findServer } from '../../client/resolve';

export default class FloatingIpDisassociate extends ClientCommand {
  static summary = 'Disassociate a floating IP address from a server.';
  static aliases = ['floating-ip-disassociate', 'remove-floating-ip'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    address: Args.string({ description: 'IP Address.', required: true }),
  };

  async run(): Promise<{ server: string; address: string }> {
    const { args, flags } = await this.parse(FloatingIpDisassociate);
    const nova = floatingActions(await this.connect(flags));
    const server = await findServer(nova, args.server);
    await nova.floatingIps.disassociate(server.id, args.address);
    return { server: server.id, address: args.address };
  }
}
