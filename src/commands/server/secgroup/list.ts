import { Args } from '@oclif/core';
import { ClientCommand } from '../../../cli/client_command';
import { SECGROUP_COLUMNS } from '../../../cli/views/secgroup';
import { SecurityGroup } from '../../../client/compute/security_groups';
import { findServer } from '../../../client/resolve';

export default class ServerSecgroupList extends ClientCommand {
  static summary = 'List Security Group(s) of a server.';
  static aliases = ['list-secgroup'];
  static args = { server: Args.string({ description: 'Name or ID of server.', required: true }) };

  async run(): Promise<SecurityGroup[]> {
    const { args, flags } = await this.parse(ServerSecgroupList);
    const nova = await this.connect(flags);
    const server = await findServer(nova, args.server);
    const groups = await nova.securityGroups.listForServer(server.id);
    this.printList(groups, SECGROUP_COLUMNS);
    return groups;
  }
}
