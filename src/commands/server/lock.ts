import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { ServerActionResult } from '../../cli/server_action_command';
import { findServer } from '../../client/resolve';

export default class ServerLock extends ClientCommand {
  static summary = 'Lock a server. A normal (non-admin) user will not be able to execute actions on a locked server.';
  static aliases = ['lock'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };
  static flags = { reason: Flags.string({ description: 'Reason for locking the server (API 2.73 or later).' }) };

  async run(): Promise<ServerActionResult & { reason?: string }> {
    const { args, flags } = await this.parse(ServerLock);
    const nova = await this.connect(flags);
    if (flags.reason !== undefined) nova.requireAtLeast('2.73', 'Locking with --reason');
    const s = await findServer(nova, args.server);
    await nova.serverActions.lock(s.id, flags.reason);
    return { server: s.id, name: s.name, action: 'lock', reason: flags.reason };
  }
}
