import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { extractMetadata } from '../../cli/server_support';
import { CommandError } from '../../client/errors';
import { findServer } from '../../client/resolve';

export default class ServerMeta extends ClientCommand {
  static summary = 'Set or delete metadata on a server.';
  static aliases = ['meta'];
  static strict = false;
  static examples = ['nova meta vm1 set role=web tier=front', 'nova meta vm1 delete role'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    action: Args.string({ description: "Actions: 'set' or 'delete'.", required: true, options: ['set', 'delete'] }),
    metadata: Args.string({ description: 'Metadata to set or delete (only key is necessary on delete), key=value.', required: true }),
  };

  async run(): Promise<{ server: string; metadata?: Record<string, string>; deleted?: string[] }> {
    const { args, argv, flags } = await this.parse(ServerMeta);
    const items = (argv as string[]).slice(2);
    const metadata = extractMetadata(items);
    const nova = await this.connect(flags);
    const s = await findServer(nova, args.server);
    if (args.action === 'set') {
      const missing = Object.entries(metadata).filter(([, v]) => v === null).map(([k]) => k);
      if (missing.length) throw new CommandError(`'${missing[0]}' is not in the format of 'key=value'`);
      return { server: s.id, metadata: await nova.serverMetadata.set(s.id, metadata as Record<string, string>) };
    }
    // Deleted in reverse key order, as novaclient does.
    const deleted = Object.keys(metadata).sort().reverse();
    for (const key of deleted) await nova.serverMetadata.delete(s.id, key);
    return { server: s.id, deleted };
  }
}
