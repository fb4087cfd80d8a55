import { Args, Flags } from '@oclif/core';
import { ConsoleCommand } from '../../../cli/console_command';
import { RemoteConsole } from '../../../client/compute/consoles';

export default class ServerConsoleSerial extends ConsoleCommand {
  static summary = 'Get a serial console to a server.';
  static description = 'The compute host must have [serial_console] enabled.';
  static aliases = ['get-serial-console'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };
  static flags = {
    'console-type': Flags.string({ default: 'serial', options: ['serial'], description: 'Type of serial console, default="serial".' }),
  };

  async run(): Promise<RemoteConsole> {
    const { args, flags } = await this.parse(ServerConsoleSerial);
    return this.showConsole(flags, args.server, 'serial', flags['console-type']);
  }
}
