import { Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { serverGroupColumns, serverGroupRow } from '../../cli/views/server_group';
import { ServerGroup } from '../../client/compute/server_groups';

export default class ServerGroupList extends ClientCommand {
  static summary = 'Print a list of all server groups.';
  static aliases = ['server-group-list'];
  static flags = {
    limit: Flags.integer({ description: "Maximum number of server groups to display. If limit is bigger than 'CONF.api.max_limit' option of Nova API, limit 'CONF.api.max_limit' will be used instead." }),
    offset: Flags.integer({ description: 'The offset of groups list to display; use with limit to return a slice of server groups.' }),
    'all-projects': Flags.boolean({ description: 'Display server groups from all projects (Admin only).' }),
  };

  async run(): Promise<ServerGroup[]> {
    const { flags } = await this.parse(ServerGroupList);
    const nova = await this.connect(flags);
    const groups = await nova.serverGroups.list({ allProjects: flags['all-projects'], limit: flags.limit, offset: flags.offset });
    this.printList(groups.map(serverGroupRow), serverGroupColumns(nova));
    return groups;
  }
}
