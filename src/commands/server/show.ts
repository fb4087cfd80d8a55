import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { serverDetails } from '../../cli/views/server';
import { Server } from '../../client/compute/servers';
import { getServer } from '../../client/resolve';

export default class ServerShow extends ClientCommand {
  static summary = 'Show details about the given server.';
  static aliases = ['show'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };
  static flags = {
    minimal: Flags.boolean({ description: 'Skips flavor/image lookups when showing servers.' }),
    wrap: Flags.integer({ description: 'Wrap the output to a specified length, or 0 to disable.', default: 0 }),
  };

  async run(): Promise<Server> {
    const { args, flags } = await this.parse(ServerShow);
    const nova = await this.connect(flags);
    const server = await getServer(nova, args.server);
    if (!this.jsonEnabled()) this.printDict(await serverDetails(nova, this.images(nova), server, flags.minimal), { wrap: flags.wrap });
    return server;
  }
}
