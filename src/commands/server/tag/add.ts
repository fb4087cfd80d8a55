import { Args } from '@oclif/core';
import { ClientCommand, ManyResult } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerTagAdd extends ClientCommand {
  static summary = 'Add one or more tags to a server.';
  static aliases = ['server-tag-add'];
  static strict = false;
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    tag: Args.string({ description: 'Tag(s) to add.', required: true }),
  };

  async run(): Promise<Array<ManyResult<string>>> {
    const { args, argv, flags } = await this.parse(ServerTagAdd);
    const nova = await this.connect(flags);
    nova.requireAtLeast('2.26', 'Server tags');
    const s = await findServer(nova, args.server);
    return this.onMany((argv as string[]).slice(1), async (t) => { await nova.serverTags.add(s.id, t); return t; },
      (t) => `Request to add tag ${t} to specified server has been accepted.`, 'Unable to add the specified tag to the server.');
  }
}
