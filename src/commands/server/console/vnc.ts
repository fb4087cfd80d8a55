import { Args } from '@oclif/core';
import { ConsoleCommand } from '../../../cli/console_command';
import { RemoteConsole } from '../../../client/compute/consoles';

export default class ServerConsoleVnc extends ConsoleCommand {
  static summary = 'Get a vnc console to a server.';
  static aliases = ['get-vnc-console'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    console_type: Args.string({ description: 'Type of vnc console ("novnc" or "xvpvnc").', required: true, options: ['novnc', 'xvpvnc'] }),
  };

  async run(): Promise<RemoteConsole> {
    const { args, flags } = await this.parse(ServerConsoleVnc);
    return this.showConsole(flags, args.server, 'vnc', args.console_type);
  }
}
