import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { serverGroupColumns, serverGroupRow } from '../../cli/views/server_group';
import { ServerGroup } from '../../client/compute/server_groups';

export default class ServerGroupGet extends ClientCommand {
  static summary = 'Get a specific server group.';
  static aliases = ['server-group-get'];
  static args = { id: Args.string({ description: 'Unique ID of the server group to get.', required: true }) };

  async run(): Promise<ServerGroup> {
    const { args, flags } = await this.parse(ServerGroupGet);
    const nova = await this.connect(flags);
    const group = await nova.serverGroups.get(args.id);
    this.printList([serverGroupRow(group)], serverGroupColumns(nova));
    return group;
  }
}
