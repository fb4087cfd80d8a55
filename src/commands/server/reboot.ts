import { Args, Flags } from '@oclif/core';
import { ClientCommand, ManyResult } from '../../cli/client_command';
import { pollFlags, pollServer } from '../../cli/server_support';
import { humanId } from '../../cli/views/server';
import { FoundServer, findServer } from '../../client/resolve';

export default class ServerReboot extends ClientCommand {
  static summary = 'Reboot a server.';
  static aliases = ['reboot'];
  static strict = false;
  static args = { server: Args.string({ description: 'Name or ID of server(s).', required: true }) };
  static flags = {
    hard: Flags.boolean({ description: 'Perform a hard reboot (instead of a soft one).' }),
    ...pollFlags,
  };

  async run(): Promise<Array<ManyResult<string>>> {
    const { argv, flags } = await this.parse(ServerReboot);
    const nova = await this.connect(flags);
    const servers: FoundServer[] = [];
    for (const name of argv as string[]) servers.push(await findServer(nova, name));
    const label = (id: string) => { const s = servers.find((x) => x.id === id)!; return `${humanId(s.name)} (${s.id})`; };
    const ids = servers.map((s) => s.id);
    const results = await this.onMany(ids, async (id) => { await nova.serverActions.reboot(id, flags.hard ? 'HARD' : 'SOFT'); return id; },
      (id) => `Request to reboot server ${label(id)} has been accepted.`, 'Unable to reboot the specified server(s).');
    if (flags.poll) {
      await this.onMany(ids, (id) => pollServer(nova, id, 'rebooting', ['active'], { intervalSeconds: flags['poll-interval'], write: (t) => this.write(t), showProgress: false }),
        (id) => `Wait for server ${label(id)} reboot.`, 'Wait for specified server(s) failed.');
    }
    return results;
  }
}
