import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerPasswordClear extends ClientCommand {
  static summary = 'Clear the admin password for a server from the metadata server.';
  static description = 'This action does not actually change the instance server password.';
  static aliases = ['clear-password'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };

  async run(): Promise<{ server: string }> {
    const { args, flags } = await this.parse(ServerPasswordClear);
    const nova = await this.connect(flags);
    const server = await findServer(nova, args.server);
    await nova.serverPassword.clear(server.id);
    return { server: server.id };
  }
}
