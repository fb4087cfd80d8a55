import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { ServerActionResult } from '../../cli/server_action_command';
import { findServer } from '../../client/resolve';

export default class ServerUnshelve extends ClientCommand {
  static summary = 'Unshelve a server.';
  static aliases = ['unshelve'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };
  static flags = {
    'availability-zone': Flags.string({ description: 'Name of the availability zone in which to unshelve a SHELVED_OFFLOADED server (API 2.77 or later).' }),
  };

  async run(): Promise<ServerActionResult> {
    const { args, flags } = await this.parse(ServerUnshelve);
    const nova = await this.connect(flags);
    if (flags['availability-zone'] !== undefined) nova.requireAtLeast('2.77', 'Unshelving into --availability-zone');
    const s = await findServer(nova, args.server);
    await nova.serverActions.unshelve(s.id, flags['availability-zone']);
    return { server: s.id, name: s.name, action: 'unshelve' };
  }
}
