import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerTagDeleteAll extends ClientCommand {
  static summary = 'Delete all tags from a server.';
  static aliases = ['server-tag-delete-all'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };

  async run(): Promise<{ server: string; tags: string[] }> {
    const { args, flags } = await this.parse(ServerTagDeleteAll);
    const nova = await this.connect(flags);
    nova.requireAtLeast('2.26', 'Server tags');
    const s = await findServer(nova, args.server);
    await nova.serverTags.deleteAll(s.id);
    return { server: s.id, tags: [] };
  }
}
