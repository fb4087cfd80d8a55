import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerTagList extends ClientCommand {
  static summary = 'Get list of tags from a server.';
  static aliases = ['server-tag-list'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };

  async run(): Promise<string[]> {
    const { args, flags } = await this.parse(ServerTagList);
    const nova = await this.connect(flags);
    nova.requireAtLeast('2.26', 'Server tags');
    const s = await findServer(nova, args.server);
    const tags = await nova.serverTags.list(s.id);
    this.printList(tags.map((tag) => ({ tag })), ['Tag']);
    return tags;
  }
}
