import { RequestContext } from '../../context';
import { securityGroupEc2Id, securityGroupIdForEc2Id } from '../../db/api/ec2_ids';
import { SecurityGroupObj, SecurityGroupRuleObj, securityGroupsGet } from '../../db/api/security_groups';
import { SecurityGroupNotFound } from '../../network/errors';
import { newIngressRule } from '../../network/security_groups';
import { Ec2Error } from '../errors';
import { Ec2Params, filtersParam, listParam, matchesFilter, required } from '../request';
import { XmlValue } from '../xml';
import { Ec2Action, Ec2Env } from './env';
import { ingressRules, IngressRule, permissionsParam } from './security_group_params';

/**
 * EC2 security groups on nova-network's (the same SecurityGroupOps the Compute API's
 * os-security-groups calls): `sg-%08x` of the group's integer id, rules as EC2 IpPermissions.
 */

function groupNotFound(what: string): Ec2Error {
  return new Ec2Error('InvalidGroup.NotFound', `The security group '${what}' does not exist`);
}

/** The caller's group by `sg-...`. */
export async function groupByEc2Id(env: Ec2Env, ctx: RequestContext, ec2id: string): Promise<SecurityGroupObj> {
  if (!/^sg-[0-9a-f]{8,17}$/.test(ec2id)) throw new Ec2Error('InvalidGroupId.Malformed', `Invalid id: "${ec2id}" (expected sg-xxxxxxxx)`);
  try {
    const g = await env.network().securityGroups.get(ctx, securityGroupIdForEc2Id(ec2id));
    if (g.project_id !== ctx.project_id) throw groupNotFound(ec2id);
    return g;
  } catch (e) {
    if (e instanceof SecurityGroupNotFound) throw groupNotFound(ec2id);
    throw e;
  }
}

/** The caller's group by name. */
export async function groupByName(env: Ec2Env, ctx: RequestContext, name: string): Promise<SecurityGroupObj> {
  await env.network().securityGroups.ensureDefault(ctx);
  try {
    return await env.network().securityGroups.getByName(ctx, name);
  } catch (e) {
    if (e instanceof SecurityGroupNotFound) throw groupNotFound(name);
    throw e;
  }
}

/** The group a request names by GroupId or GroupName (one is required). */
async function targetGroup(env: Ec2Env, ctx: RequestContext, p: Ec2Params): Promise<SecurityGroupObj> {
  if (p.GroupId) return groupByEc2Id(env, ctx, p.GroupId);
  if (p.GroupName) return groupByName(env, ctx, p.GroupName);
  throw new Ec2Error('MissingParameter', 'The request must contain the parameter GroupName or GroupId');
}

/** Rules of one protocol and port range become one IpPermission, with their CIDRs and source groups. */
function permissions(g: SecurityGroupObj, sources: Map<number, SecurityGroupObj>): XmlValue[] {
  const byKey = new Map<string, { rule: SecurityGroupRuleObj; groups: XmlValue[]; ipRanges: XmlValue[] }>();
  for (const r of g.rules) {
    const source = r.group_id !== null ? sources.get(r.group_id) : undefined;
    // A rule whose source group is gone is left out, as the Compute API does.
    if (r.group_id !== null && !source) continue;
    const key = `${r.protocol}/${r.from_port}/${r.to_port}`;
    if (!byKey.has(key)) byKey.set(key, { rule: r, groups: [], ipRanges: [] });
    const entry = byKey.get(key)!;
    if (source) entry.groups.push({ userId: source.project_id, groupId: securityGroupEc2Id(source), groupName: source.name });
    else entry.ipRanges.push({ cidrIp: r.cidr });
  }
  return [...byKey.values()].map(({ rule, groups, ipRanges }) => ({
    ipProtocol: rule.protocol?.toLowerCase() ?? '-1',
    fromPort: rule.protocol ? rule.from_port : null,
    toPort: rule.protocol ? rule.to_port : null,
    groups, ipRanges,
  }));
}

async function groupItems(groups: SecurityGroupObj[]): Promise<XmlValue[]> {
  const sourceIds = [...new Set(groups.flatMap((g) => g.rules.map((r) => r.group_id).filter((id): id is number => id !== null)))];
  const sources = new Map((await securityGroupsGet(sourceIds)).map((g) => [g.id, g]));
  return groups.map((g) => ({
    ownerId: g.project_id, groupId: securityGroupEc2Id(g), groupName: g.name, groupDescription: g.description ?? '',
    ipPermissions: permissions(g, sources), ipPermissionsEgress: [],
  }));
}

const GROUP_FILTERS = ['group-name', 'group-id', 'description', 'owner-id'];

/** DescribeSecurityGroups: GroupName.N / GroupId.N (each must exist), filters group-name, group-id, description, owner-id. */
export const describeSecurityGroups: Ec2Action = async (env, ctx, p) => {
  const filters = filtersParam(p);
  for (const f of filters) {
    if (!GROUP_FILTERS.includes(f.name)) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid (known: ${GROUP_FILTERS.join(', ')})`);
  }
  const names = listParam(p, 'GroupName');
  const ids = listParam(p, 'GroupId');
  let groups: SecurityGroupObj[];
  if (names.length || ids.length) {
    groups = [];
    for (const n of names) groups.push(await groupByName(env, ctx, n));
    for (const id of ids) groups.push(await groupByEc2Id(env, ctx, id));
  } else {
    groups = await env.network().securityGroups.list(ctx, false);
  }
  const kept = groups.filter((g) => matchesFilter(filters, 'group-name', g.name) && matchesFilter(filters, 'group-id', securityGroupEc2Id(g))
    && matchesFilter(filters, 'description', g.description) && matchesFilter(filters, 'owner-id', g.project_id));
  return { securityGroupInfo: await groupItems(kept.sort((a, b) => a.id - b.id)) };
};

/** CreateSecurityGroup: GroupName and GroupDescription (the Compute API's checks and quota apply). */
export const createSecurityGroup: Ec2Action = async (env, ctx, p) => {
  const g = await env.network().securityGroups.create(ctx, required(p, 'GroupName'), required(p, 'GroupDescription'));
  return { return: true, groupId: securityGroupEc2Id(g) };
};

/** DeleteSecurityGroup: by GroupName or GroupId; not `default`, not while an instance is in it. */
export const deleteSecurityGroup: Ec2Action = async (env, ctx, p) => {
  const g = await targetGroup(env, ctx, p);
  await env.network().securityGroups.delete(ctx, g.id);
  return { return: true };
};

/** The source group of a rule: by GroupId, or by GroupName in the caller's project. */
async function sourceGroup(env: Ec2Env, ctx: RequestContext, s: { GroupId?: string; GroupName?: string; UserId?: string }): Promise<SecurityGroupObj> {
  if (s.GroupId) return groupByEc2Id(env, ctx, s.GroupId);
  if (s.UserId && s.UserId !== ctx.project_id) {
    throw new Ec2Error('InvalidGroup.NotFound', `Source groups of other projects (${s.UserId}) can only be named by GroupId here.`);
  }
  return groupByName(env, ctx, s.GroupName!);
}

/** The rules a request asks for, with their source groups resolved to integer ids. */
async function requestedRules(env: Ec2Env, ctx: RequestContext, p: Ec2Params): Promise<IngressRule[]> {
  const rules = ingressRules(permissionsParam(p));
  if (rules.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter IpPermissions (or IpProtocol with CidrIp or SourceSecurityGroupName)');
  for (const r of rules) {
    if (r.source) r.group_id = (await sourceGroup(env, ctx, r.source)).id;
  }
  return rules;
}

/** AuthorizeSecurityGroupIngress: each CIDR and source group of each IpPermission becomes one nova-network rule. */
export const authorizeSecurityGroupIngress: Ec2Action = async (env, ctx, p) => {
  const g = await targetGroup(env, ctx, p);
  for (const r of await requestedRules(env, ctx, p)) {
    await env.network().securityGroups.createRule(ctx, { parent_group_id: g.id, ip_protocol: r.ip_protocol, from_port: r.from_port, to_port: r.to_port, cidr: r.cidr, group_id: r.group_id });
  }
  return { return: true };
};

/** RevokeSecurityGroupIngress: every rule asked for must exist (InvalidPermission.NotFound), then all go. */
export const revokeSecurityGroupIngress: Ec2Action = async (env, ctx, p) => {
  const g = await targetGroup(env, ctx, p);
  const doomed: SecurityGroupRuleObj[] = [];
  for (const r of await requestedRules(env, ctx, p)) {
    // The same normalisation rule creation uses, so what was authorized is found again.
    const want = newIngressRule(r, r.group_id ?? null, r.group_id === null || r.group_id === undefined ? (r.cidr || '0.0.0.0/0') : null);
    const found = want && g.rules.find((x) => x.group_id === want.group_id && x.cidr === want.cidr && x.from_port === want.from_port
      && x.to_port === want.to_port && (x.protocol ?? '').toLowerCase() === (want.protocol ?? '').toLowerCase());
    if (!found) {
      throw new Ec2Error('InvalidPermission.NotFound', `The specified rule does not exist in this security group (${r.ip_protocol ?? '-1'} ${r.from_port ?? ''}-${r.to_port ?? ''} from ${r.cidr ?? r.source?.GroupName ?? r.source?.GroupId}).`);
    }
    doomed.push(found);
  }
  for (const rule of doomed) await env.network().securityGroups.deleteRule(ctx, rule.id);
  return { return: true };
};

/** Group names for RunInstances: SecurityGroup.N (names) and SecurityGroupId.N (sg-...). */
export async function requestedGroupNames(env: Ec2Env, ctx: RequestContext, p: Ec2Params): Promise<string[] | undefined> {
  const names = listParam(p, 'SecurityGroup');
  for (const id of listParam(p, 'SecurityGroupId')) names.push((await groupByEc2Id(env, ctx, id)).name);
  for (const n of names) await groupByName(env, ctx, n);
  return names.length ? [...new Set(names)] : undefined;
}
