import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerTagSet extends ClientCommand {
  static summary = 'Set list of tags to a server.';
  static aliases = ['server-tag-set'];
  static strict = false;
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    tags: Args.string({ description: 'Tag(s) to set.', required: true }),
  };

  async run(): Promise<string[]> {
    const { args, argv, flags } = await this.parse(ServerTagSet);
    const nova = await this.connect(flags);
    nova.requireAtLeast('2.26', 'Server tags');
    const s = await findServer(nova, args.server);
    return nova.serverTags.set(s.id, (argv as string[]).slice(1));
  }
}
