import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { findSecgroup, SECGROUP_COLUMNS } from '../../cli/views/secgroup';
import { SecurityGroup } from '../../client/compute/security_groups';

export default class SecgroupUpdate extends ClientCommand {
  static summary = 'Update a security group.';
  static aliases = ['secgroup-update'];
  static args = {
    secgroup: Args.string({ description: 'ID or name of security group.', required: true }),
    name: Args.string({ description: 'Name of security group.', required: true }),
    description: Args.string({ description: 'Description of security group.', required: true }),
  };

  async run(): Promise<SecurityGroup> {
    const { args, flags } = await this.parse(SecgroupUpdate);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const found = await findSecgroup(nova, args.secgroup);
    const group = await nova.securityGroups.update(found.id, args.name, args.description);
    this.printList([group], SECGROUP_COLUMNS);
    return group;
  }
}
