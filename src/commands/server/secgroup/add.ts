import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerSecgroupAdd extends ClientCommand {
  static summary = 'Add a Security Group to a server.';
  static aliases = ['add-secgroup'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    secgroup: Args.string({ description: 'Name or ID of Security Group.', required: true }),
  };

  async run(): Promise<{ server: string; secgroup: string }> {
    const { args, flags } = await this.parse(ServerSecgroupAdd);
    const nova = await this.connect(flags);
    const server = await findServer(nova, args.server);
    await nova.securityGroups.addToServer(server.id, args.secgroup);
    return { server: server.id, secgroup: args.secgroup };
  }
}
