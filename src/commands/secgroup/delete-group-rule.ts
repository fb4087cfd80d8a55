import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { findSecgroup, GROUP_RULE_ARGS, portRange } from '../../cli/views/secgroup';
import { SecurityGroupRule } from '../../client/compute/security_groups';
import { CommandError } from '../../client/errors';

export default class SecgroupDeleteGroupRule extends ClientCommand {
  static summary = 'Delete a source group rule from a security group.';
  static aliases = ['secgroup-delete-group-rule'];
  static args = GROUP_RULE_ARGS;

  async run(): Promise<SecurityGroupRule> {
    const { args, flags } = await this.parse(SecgroupDeleteGroupRule);
    const ports = portRange(args.ip_proto, args.from_port, args.to_port);
    const nova = networkProxy(await this.connect(flags), 'os-security-groups');
    const group = await findSecgroup(nova, args.secgroup);
    const source = await findSecgroup(nova, args.source_group);
    // Without a protocol and ports, the rule for the whole source group (no protocol) is meant.
    const rule = group.rules.find((r) => r.group?.name === source.name
      && (ports
        ? (r.ip_protocol ?? '').toUpperCase() === ports.ip_protocol && r.from_port === ports.from_port && r.to_port === ports.to_port
        : !r.ip_protocol));
    if (!rule) throw new CommandError('Rule not found');
    await nova.securityGroups.deleteRule(rule.id);
    return rule;
  }
}
