import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { findServer } from '../../client/resolve';

export default class ServerConsoleLog extends ClientCommand {
  static summary = 'Get console log output of a server.';
  static aliases = ['console-log'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };
  static flags = { length: Flags.integer({ description: 'Length in lines to tail.' }) };

  async run(): Promise<{ server: string; output: string }> {
    const { args, flags } = await this.parse(ServerConsoleLog);
    const nova = await this.connect(flags);
    const s = await findServer(nova, args.server);
    const output = await nova.serverActions.consoleOutput(s.id, flags.length);
    this.log(output);
    return { server: s.id, output };
  }
}
