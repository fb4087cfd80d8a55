import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { SECGROUP_COLUMNS } from '../../cli/views/secgroup';
import { SecurityGroup } from '../../client/compute/security_groups';

export default class SecgroupCreate extends ClientCommand {
  static summary = 'Create a security group.';
  static aliases = ['secgroup-create'];
  static args = {
    name: Args.string({ description: 'Name of security group.', required: true }),
    description: Args.string({ description: 'Description of security group.', required: true }),
  };

  async run(): Promise<SecurityGroup> {
    const { args, flags } = await this.parse(SecgroupCreate);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const group = await nova.securityGroups.create(args.name, args.description);
    this.printList([group], SECGROUP_COLUMNS);
    return group;
  }
}
