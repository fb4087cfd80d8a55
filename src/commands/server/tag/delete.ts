import { Args } from '@oclif/core';
import { ClientCommand, ManyResult } from '../../../cli/client_command';
import { findServer } from '../../../client/resolve';

export default class ServerTagDelete extends ClientCommand {
  static summary = 'Delete one or more tags from a server.';
  static aliases = ['server-tag-delete'];
  static strict = false;
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    tag: Args.string({ description: 'Tag(s) to delete.', required: true }),
  };

  async run(): Promise<Array<ManyResult<string>>> {
    const { args, argv, flags } = await this.parse(ServerTagDelete);
    const nova = await this.connect(flags);
    nova.requireAtLeast('2.26', 'Server tags');
    const s = await findServer(nova, args.server);
    return this.onMany((argv as string[]).slice(1), async (t) => { await nova.serverTags.delete(s.id, t); return t; },
      (t) => `Request to delete tag ${t} from specified server has been accepted.`, 'Unable to delete the specified tag from the server.');
  }
}
