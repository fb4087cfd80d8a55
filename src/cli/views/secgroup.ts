import { Args } from '@oclif/core';
import { ComputeClient } from '../../client/compute/client';
import { SecurityGroup, SecurityGroupRule } from '../../client/compute/security_groups';
import { ApiError, CommandError } from '../../client/errors';
import { isUuidLike } from '../../client/find';

export const SECGROUP_COLUMNS = ['Id', 'Name', 'Description'];
export const RULE_COLUMNS = ['IP Protocol', 'From Port', 'To Port', 'IP Range', 'Source Group'];

/** novaclient's FormattedRule: the range as its CIDR, the source group as its name, missing values as ''. */
export function ruleRow(r: SecurityGroupRule): Record<string, unknown> {
  const blank = (v: unknown) => (v === null || v === undefined ? '' : v);
  return {
    ip_protocol: blank(r.ip_protocol), from_port: blank(r.from_port), to_port: blank(r.to_port),
    ip_range: blank(r.ip_range?.cidr), source_group: blank(r.group?.name),
  };
}

/** novaclient's _get_secgroup: by id (an integer or UUID), then by exact name within the project's groups. */
export async function findSecgroup(nova: ComputeClient, ref: string): Promise<SecurityGroup> {
  if (/^-?\d+$/.test(ref) || isUuidLike(ref)) {
    try {
      return await nova.securityGroups.get(ref);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
  }
  const matches = (await nova.securityGroups.list()).filter((g) => g.name === ref);
  if (matches.length > 1) throw new CommandError(`Multiple security group matches found for name '${ref}', use an ID to be more specific.`);
  if (matches.length === 0) throw new CommandError(`Secgroup ID or name '${ref}' not found.`);
  return matches[0];
}

/** Protocol and ports of the group-rule commands: all three or none (novaclient's rule). */
export function portRange(proto?: string, from?: string, to?: string): { ip_protocol: string; from_port: number; to_port: number } | undefined {
  if (!proto && !from && !to) return undefined;
  if (!(proto && from && to)) throw new CommandError('ip_proto, from_port, and to_port must be specified together');
  return { ip_protocol: proto.toUpperCase(), from_port: port(from), to_port: port(to) };
}

export function port(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new CommandError(`Invalid port '${text}': give an integer (-1 for any ICMP type or code).`);
  return Number(text);
}

/** The arguments of secgroup-add-rule and secgroup-delete-rule (novaclient's order). */
export const RULE_ARGS = {
  secgroup: Args.string({ description: 'ID or name of security group.', required: true }),
  ip_proto: Args.string({ description: 'IP protocol (icmp, tcp, udp).', required: true }),
  from_port: Args.string({ description: 'Port at start of range.', required: true }),
  to_port: Args.string({ description: 'Port at end of range.', required: true }),
  cidr: Args.string({ description: 'CIDR for address range.', required: true }),
};

/** The arguments of secgroup-add-group-rule and secgroup-delete-group-rule. */
export const GROUP_RULE_ARGS = {
  secgroup: Args.string({ description: 'ID or name of security group.', required: true }),
  source_group: Args.string({ description: 'ID or name of source group.', required: true }),
  ip_proto: Args.string({ description: 'IP protocol (icmp, tcp, udp).' }),
  from_port: Args.string({ description: 'Port at start of range.' }),
  to_port: Args.string({ description: 'Port at end of range.' }),
};
