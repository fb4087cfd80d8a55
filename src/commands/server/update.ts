import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { Server } from '../../client/compute/servers';
import { CommandError } from '../../client/errors';
import { findServer } from '../../client/resolve';

export default class ServerUpdate extends ClientCommand {
  static summary = 'Update the name or the description for a server.';
  static aliases = ['update', 'rename'];
  static args = { server: Args.string({ description: 'Name (old name) or ID of server.', required: true }) };
  static flags = {
    name: Flags.string({ description: 'New name for the server.' }),
    description: Flags.string({ description: 'New description for the server. If it equals to empty string (i.g. ""), the server description will be removed (API 2.19 or later).' }),
    hostname: Flags.string({ description: 'New hostname for the instance, as the metadata server shows it (API 2.90 or later).' }),
  };

  async run(): Promise<Server> {
    const { args, flags } = await this.parse(ServerUpdate);
    const nova = await this.connect(flags);
    const changes: { name?: string; description?: string | null; hostname?: string } = {};
    if (flags.name) changes.name = flags.name;
    if (flags.description !== undefined) {
      nova.requireAtLeast('2.19', 'Setting a server description');
      changes.description = flags.description === '' ? null : flags.description;
    }
    if (flags.hostname !== undefined) {
      nova.requireAtLeast('2.90', 'Setting a server hostname');
      changes.hostname = flags.hostname;
    }
    if (Object.keys(changes).length === 0) throw new CommandError('Nothing to update: give --name, --description or --hostname.');
    const s = await findServer(nova, args.server);
    return nova.servers.update(s.id, changes);
  }
}
