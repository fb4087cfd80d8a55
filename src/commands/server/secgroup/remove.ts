import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerSecgroupRemove extends ClientCommand {
  static summary = 'Remove a Security Group from a server.';
  static aliases = ['remove-secgroup'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    secgroup: Args.string({ description: 'Name of Security Group.', required: true }),
  };

  async run(): Promise<{ server: string; secgroup: string }> {
    const { args, flags } = await this.parse(ServerSecgroupRemove);
    const nova = await this.connect(flags);
    const server = await findServer(nova, args.server);
    await nova.securityGroups.removeFromServer(server.id, args.secgroup);
    return { server: server.id, secgroup: args.secgroup };
  }
}
