import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { findSecgroup, port, RULE_ARGS, RULE_COLUMNS, ruleRow } from '../../cli/views/secgroup';
import { SecurityGroupRule } from '../../client/compute/security_groups';
import { CommandError } from '../../client/errors';

export default class SecgroupDeleteRule extends ClientCommand {
  static summary = 'Delete a rule from a security group.';
  static aliases = ['secgroup-delete-rule'];
  static args = RULE_ARGS;

  async run(): Promise<SecurityGroupRule> {
    const { args, flags } = await this.parse(SecgroupDeleteRule);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const group = await findSecgroup(nova, args.secgroup);
    const [from, to] = [port(args.from_port), port(args.to_port)];
    const rule = group.rules.find((r) => r.ip_protocol && r.ip_protocol.toUpperCase() === args.ip_proto.toUpperCase()
      && r.from_port === from && r.to_port === to && r.ip_range?.cidr === args.cidr);
    if (!rule) throw new CommandError('Rule not found');
    this.printList([ruleRow(rule)], RULE_COLUMNS);
    await nova.securityGroups.deleteRule(rule.id);
    return rule;
  }
}
