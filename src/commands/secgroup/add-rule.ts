import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { findSecgroup, port, RULE_ARGS, RULE_COLUMNS, ruleRow } from '../../cli/views/secgroup';
import { SecurityGroupRule } from '../../client/compute/security_groups';

export default class SecgroupAddRule extends ClientCommand {
  static summary = 'Add a rule to a security group.';
  static aliases = ['secgroup-add-rule'];
  static args = RULE_ARGS;

  async run(): Promise<SecurityGroupRule> {
    const { args, flags } = await this.parse(SecgroupAddRule);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const group = await findSecgroup(nova, args.secgroup);
    const rule = await nova.securityGroups.createRule(group.id, {
      ip_protocol: args.ip_proto, from_port: port(args.from_port), to_port: port(args.to_port), cidr: args.cidr,
    });
    this.printList([ruleRow(rule)], RULE_COLUMNS);
    return rule;
  }
}
