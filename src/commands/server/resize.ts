import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { pollFlags, pollServer } from '../../cli/server_support';
import { findFlavor, findServer } from '../../client/resolve';

export default class ServerResize extends ClientCommand {
  static summary = 'Resize a server.';
  static description = 'The server goes to VERIFY_RESIZE: confirm with resize-confirm, or go back with resize-revert.';
  static aliases = ['resize'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    flavor: Args.string({ description: 'Name or ID of new flavor.', required: true }),
  };
  static flags = { ...pollFlags };

  async run(): Promise<{ server: string; flavor: string; status?: string }> {
    const { args, flags } = await this.parse(ServerResize);
    const nova = await this.connect(flags);
    const s = await findServer(nova, args.server);
    const flavor = await findFlavor(nova, args.flavor);
    await nova.serverActions.resize(s.id, flavor.id);
    let status: string | undefined;
    if (flags.poll) {
      status = (await pollServer(nova, s.id, 'resizing', ['active', 'verify_resize'], { intervalSeconds: flags['poll-interval'], write: (t) => this.write(t) })).status;
    }
    return { server: s.id, flavor: flavor.id, status };
  }
}
