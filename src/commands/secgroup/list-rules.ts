import { Args } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { findSecgroup, RULE_COLUMNS, ruleRow } from '../../cli/views/secgroup';
import { SecurityGroupRule } from '../../client/compute/security_groups';

export default class SecgroupListRules extends ClientCommand {
  static summary = 'List rules for a security group.';
  static aliases = ['secgroup-list-rules'];
  static args = { secgroup: Args.string({ description: 'ID or name of security group.', required: true }) };

  async run(): Promise<SecurityGroupRule[]> {
    const { args, flags } = await this.parse(SecgroupListRules);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const group = await findSecgroup(nova, args.secgroup);
    this.printList(group.rules.map(ruleRow), RULE_COLUMNS);
    return group.rules;
  }
}
