import { Args } from '@oclif/core';
import { ConsoleCommand } from '../../../cli/console_command';
import { RemoteConsole } from '../../../client/compute/consoles';

export default class ServerConsoleSpice extends ConsoleCommand {
  static summary = 'Get a spice console to a server.';
  static aliases = ['get-spice-console'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    console_type: Args.string({ description: 'Type of spice console ("spice-html5").', required: true, options: ['spice-html5'] }),
  };

  async run(): Promise<RemoteConsole> {
    const { args, flags } = await this.parse(ServerConsoleSpice);
    return this.showConsole(flags, args.server, 'spice', args.console_type);
  }
}
