import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { findSecgroup, SECGROUP_COLUMNS } from '../../cli/views/secgroup';
import { SecurityGroup } from '../../client/compute/security_groups';

export default class SecgroupDelete extends ClientCommand {
  static summary = 'Delete a security group.';
  static aliases = ['secgroup-delete'];
  static args = { secgroup: Args.string({ description: 'ID or name of security group.', required: true }) };

  async run(): Promise<SecurityGroup> {
    const { args, flags } = await this.parse(SecgroupDelete);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const group = await findSecgroup(nova, args.secgroup);
    await nova.securityGroups.delete(group.id);
    this.printList([group], SECGROUP_COLUMNS);
    return group;
  }
}
