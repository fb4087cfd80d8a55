import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { findServer } from '../../client/resolve';

export default class ServerLiveMigration extends ClientCommand {
  static summary = 'Migrate running server to a new machine.';
  static aliases = ['live-migration'];
  static args = {
    server: Args.string({ description: 'Name or ID of server.', required: true }),
    host: Args.string({ description: 'Destination host name. If no host is given, the scheduler will choose one.' }),
  };
  static flags = {
    'block-migrate': Flags.boolean({ description: 'True in case of block_migration. (Default=auto:live_migration) (API 2.25 or later: "auto" unless given).' }),
  };

  async run(): Promise<{ server: string; host: string | null; block_migration: boolean | 'auto' }> {
    const { args, flags } = await this.parse(ServerLiveMigration);
    const nova = await this.connect(flags);
    const s = await findServer(nova, args.server);
    const block: boolean | 'auto' = flags['block-migrate'] ? true : nova.supports('2.25') ? 'auto' : false;
    await nova.serverActions.liveMigrate(s.id, args.host ?? null, block);
    return { server: s.id, host: args.host ?? null, block_migration: block };
  }
}
