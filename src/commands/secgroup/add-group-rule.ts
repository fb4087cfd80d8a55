import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { findSecgroup, GROUP_RULE_ARGS, portRange, RULE_COLUMNS, ruleRow } from '../../cli/views/secgroup';
import { SecurityGroupRule } from '../../client/compute/security_groups';

export default class SecgroupAddGroupRule extends ClientCommand {
  static summary = 'Add a source group rule to a security group.';
  static aliases = ['secgroup-add-group-rule'];
  static args = GROUP_RULE_ARGS;

  async run(): Promise<SecurityGroupRule> {
    const { args, flags } = await this.parse(SecgroupAddGroupRule);
    const ports = portRange(args.ip_proto, args.from_port, args.to_port);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const group = await findSecgroup(nova, args.secgroup);
    const source = await findSecgroup(nova, args.source_group);
    const rule = await nova.securityGroups.createRule(group.id, { group_id: source.id, ...ports });
    this.printList([ruleRow(rule)], RULE_COLUMNS);
    return rule;
  }
}
