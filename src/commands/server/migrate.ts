import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { pollFlags, pollServer } from '../../cli/server_support';
import { findServer } from '../../client/resolve';

export default class ServerMigrate extends ClientCommand {
  static summary = 'Migrate a server. The new host will be selected by the scheduler.';
  static description = 'A cold migration: the server stops, its disks move, and it waits in VERIFY_RESIZE for resize-confirm or resize-revert.';
  static aliases = ['migrate'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };
  static flags = {
    host: Flags.string({ description: 'Destination host name (API 2.56 or later).' }),
    ...pollFlags,
  };

  async run(): Promise<{ server: string; host: string | null; status?: string }> {
    const { args, flags } = await this.parse(ServerMigrate);
    const nova = await this.connect(flags);
    if (flags.host !== undefined) nova.requireAtLeast('2.56', 'Migrating to a given --host');
    const s = await findServer(nova, args.server);
    await nova.serverActions.migrate(s.id, flags.host);
    let status: string | undefined;
    if (flags.poll) {
      status = (await pollServer(nova, s.id, 'migrating', ['active', 'verify_resize'], { intervalSeconds: flags['poll-interval'], write: (t) => this.write(t) })).status;
    }
    return { server: s.id, host: flags.host ?? null, status };
  }
}
