import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { parseKeyValues, pollFlags, pollServer, readUserData } from '../../cli/server_support';
import { serverDetails } from '../../cli/views/server';
import { RebuildRequest } from '../../client/compute/server_actions';
import { Server } from '../../client/compute/servers';
import { CommandError } from '../../client/errors';
import { findServer } from '../../client/resolve';

export default class ServerRebuild extends ClientCommand {
  static summary = 'Shutdown, re-image, and re-boot a server.';
  static aliases = ['rebuild'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    image: Args.string({ description: 'Name or ID of new image.', required: true }),
  };
  static flags = {
    'rebuild-password': Flags.string({ description: 'Set the provided admin password on the rebuilt server.' }),
    minimal: Flags.boolean({ description: 'Skips flavor/image lookups when showing servers.' }),
    'preserve-ephemeral': Flags.boolean({ description: 'Preserve the default ephemeral storage partition on rebuild.' }),
    name: Flags.string({ description: 'Name for the new server.' }),
    description: Flags.string({ description: 'New description for the server (API 2.19 or later).' }),
    meta: Flags.string({ multiple: true, multipleNonGreedy: true, description: 'Record arbitrary key/value metadata (key=value). Can be specified multiple times.' }),
    'key-name': Flags.string({ description: "Keypair name to set in the server (API 2.54 or later)." }),
    'key-unset': Flags.boolean({ description: 'Unset keypair in the server (API 2.54 or later).' }),
    'user-data': Flags.string({ description: 'User data file to pass to be exposed by the metadata server (API 2.57 or later).' }),
    'user-data-unset': Flags.boolean({ description: 'Unset user_data in the server (API 2.57 or later).' }),
    hostname: Flags.string({ description: 'New hostname for the instance (API 2.90 or later).' }),
    ...pollFlags,
  };

  async run(): Promise<Server> {
    const { args, flags } = await this.parse(ServerRebuild);
    const nova = await this.connect(flags);
    const s = await findServer(nova, args.server);
    const image = await this.images(nova).find(args.image);
    const req: RebuildRequest = { imageRef: image.id, adminPass: flags['rebuild-password'], name: flags.name };
    if (flags['preserve-ephemeral']) req.preserve_ephemeral = true;
    const meta = parseKeyValues(flags.meta);
    if (Object.keys(meta).length) req.metadata = meta;
    if (flags.description !== undefined) { nova.requireAtLeast('2.19', 'A server description'); req.description = flags.description; }
    if (flags['key-unset'] || flags['key-name']) {
      nova.requireAtLeast('2.54', 'Changing the keypair on rebuild');
      if (flags['key-unset'] && flags['key-name']) throw new CommandError("Cannot specify '--key-unset' with '--key-name'.");
      req.key_name = flags['key-unset'] ? null : flags['key-name'];
    }
    if (flags['user-data-unset'] || flags['user-data']) {
      nova.requireAtLeast('2.57', 'Changing user data on rebuild');
      if (flags['user-data-unset'] && flags['user-data']) throw new CommandError("Cannot specify '--user-data-unset' with '--user-data'.");
      req.user_data = flags['user-data-unset'] ? null : readUserData(flags['user-data']!);
    }
    if (flags.hostname !== undefined) { nova.requireAtLeast('2.90', 'A server hostname'); req.hostname = flags.hostname; }
    const server = await nova.serverActions.rebuild(s.id, req);
    if (!this.jsonEnabled()) this.printDict(await serverDetails(nova, this.images(nova), server, flags.minimal));
    if (flags.poll) return pollServer(nova, s.id, 'rebuilding', ['active'], { intervalSeconds: flags['poll-interval'], write: (t) => this.write(t) });
    return server;
  }
}
