import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import { configuredQuotaDefaults } from '../compute/quota_resources';
import { quotaLimits, quotaRelease, quotaReserve } from '../db/api/quotas';
import * as db from '../db/api/security_groups';
import { RuleValues, SecurityGroupObj, SecurityGroupRuleObj } from '../db/api/security_groups';
import { Invalid, InvalidInput } from '../exception';
import { ownerHostsOf } from './allocation';
import {
  InvalidCidr, InvalidIpProtocol, InvalidPortRange, SecurityGroupExists, SecurityGroupExistsForInstance, SecurityGroupInUse, SecurityGroupLimitExceeded,
  SecurityGroupNotExistsForInstance, SecurityGroupNotFound, SecurityGroupNotFoundForProject, SecurityGroupRuleExists, SecurityGroupSystemGroup,
} from './errors';
import { HostRefresher } from './host_refresh';
import { parseCidr } from './ipv4';

const READ_ONLY = ['default'];

/** What a rule create request carries (os-security-group-rules body). */
export interface RuleRequest { ip_protocol?: unknown; from_port?: unknown; to_port?: unknown; cidr?: unknown; group_id?: unknown }

/** Nova's validate_id: ids are integers. */
export function groupId(id: unknown): number {
  const n = typeof id === 'number' ? id : /^\s*-?\d+\s*$/.test(String(id)) ? Number(id) : NaN;
  if (!Number.isInteger(n)) throw new Invalid({}, 'Security group id should be integer');
  return n;
}

/** Nova's validate_property: a string of 1 to 255 characters once trimmed. */
function checkProperty(value: unknown, name: 'name' | 'description'): string {
  if (typeof value !== 'string') throw new Invalid({}, `Security group ${name} is not a string or unicode`);
  const v = value.trim();
  if (v.length < 1) throw new InvalidInput({}, `${name} has a minimum character requirement of 1.`);
  if (v.length > 255) throw new InvalidInput({}, `${name} has more than 255 characters.`);
  return v;
}

function toInt(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : /^\s*-?\d+\s*$/.test(String(v)) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : NaN;
}

/**
 * A rule from a request (Nova's _new_ingress_rule): a source group opens everything of a protocol when
 * no ports are given; a CIDR rule needs protocol and ports. Null when the parameters make no rule.
 */
export function newIngressRule(r: RuleRequest, sourceGroup: number | null, cidr: string | null): Omit<RuleValues, 'parent_group_id'> | null {
  const protocol = r.ip_protocol === null || r.ip_protocol === undefined || r.ip_protocol === '' ? null : String(r.ip_protocol);
  let from = toInt(r.from_port);
  let to = toInt(r.to_port);
  const upper = protocol?.toUpperCase() ?? '';
  if (sourceGroup !== null && from === null && to === null) {
    if (upper === 'ICMP') { from = -1; to = -1; } else if (upper === 'TCP' || upper === 'UDP') { from = 1; to = 65535; }
  }
  const values: Omit<RuleValues, 'parent_group_id'> = { protocol: null, from_port: null, to_port: null, cidr: sourceGroup === null ? cidr : null, group_id: sourceGroup };
  if (protocol && from !== null && to !== null) {
    if (Number.isNaN(from) || Number.isNaN(to)) {
      throw new InvalidInput({ reason: upper === 'ICMP' ? 'Type and Code must be integers for ICMP protocol type' : 'To and From ports must be integers' });
    }
    if (!['TCP', 'UDP', 'ICMP'].includes(upper)) throw new InvalidIpProtocol({ protocol });
    if ((upper === 'TCP' || upper === 'UDP') && from > to) throw new InvalidPortRange({ from_port: from, to_port: to, msg: 'Former value cannot be greater than the later' });
    if ((upper === 'TCP' || upper === 'UDP') && (from < 1 || to > 65535)) throw new InvalidPortRange({ from_port: from, to_port: to, msg: `Valid ${upper} ports should be between 1-65535` });
    if (upper === 'ICMP' && (from < -1 || from > 255 || to < -1 || to > 255)) throw new InvalidPortRange({ from_port: from, to_port: to, msg: 'For ICMP, the type:code must be valid' });
    Object.assign(values, { protocol, from_port: from, to_port: to });
  } else if (sourceGroup === null) {
    return null;
  }
  return values;
}

/**
 * Security groups (Nova's compute/api.py SecurityGroupAPI with nova-network): groups and rules per
 * project within the security_groups and security_group_rules quotas, membership of instances, and
 * the firewall of the hosts concerned refreshed after each change.
 */
export class SecurityGroupOps {
  constructor(private conf: NovaConf, private refresher: HostRefresher) {}

  private get quotaOn(): boolean { return this.conf.quota.driver !== 'nova.quota.NoopQuotaDriver'; }
  private limits(projectId: string) { return quotaLimits(projectId, configuredQuotaDefaults(this.conf)); }

  async ensureDefault(ctx: RequestContext): Promise<void> {
    if (ctx.project_id) await db.securityGroupEnsureDefault(ctx.project_id, ctx.user_id);
  }

  /** A group the caller may see (its project's, any for admins). */
  async get(ctx: RequestContext, id: unknown): Promise<SecurityGroupObj> {
    const gid = groupId(id);
    await this.ensureDefault(ctx);
    const g = await db.securityGroupGet(gid);
    if (!g || (!ctx.is_admin && g.project_id !== ctx.project_id)) throw new SecurityGroupNotFound({ security_group_id: gid });
    return g;
  }

  async getByName(ctx: RequestContext, name: string): Promise<SecurityGroupObj> {
    const g = await db.securityGroupGetByName(ctx.project_id ?? '', name);
    if (!g) throw new SecurityGroupNotFoundForProject({ security_group_id: name, project_id: ctx.project_id });
    return g;
  }

  async list(ctx: RequestContext, allTenants: boolean): Promise<SecurityGroupObj[]> {
    await this.ensureDefault(ctx);
    return db.securityGroupList(ctx.is_admin && allTenants ? undefined : ctx.project_id ?? '');
  }

  async create(ctx: RequestContext, name: unknown, description: unknown): Promise<SecurityGroupObj> {
    const n = checkProperty(name, 'name');
    const desc = checkProperty(description, 'description');
    const projectId = ctx.project_id ?? '';
    await this.ensureDefault(ctx);
    if (this.quotaOn && await quotaReserve(projectId, { security_groups: 1 }, await this.limits(projectId))) {
      throw new SecurityGroupLimitExceeded({}, 'Quota exceeded, too many security groups.');
    }
    const g = await db.securityGroupCreate({ name: n, description: desc, user_id: ctx.user_id, project_id: projectId });
    if (!g) {
      if (this.quotaOn) await quotaRelease(projectId, { security_groups: 1 });
      throw new SecurityGroupExists({ security_group_name: n, project_id: projectId }, `Security group ${n} already exists`);
    }
    return g;
  }

  async update(ctx: RequestContext, id: unknown, name: unknown, description: unknown): Promise<SecurityGroupObj> {
    const g = await this.get(ctx, id);
    const n = checkProperty(name, 'name');
    const desc = checkProperty(description, 'description');
    if (READ_ONLY.includes(g.name)) throw new SecurityGroupSystemGroup({ action: 'update', name: g.name });
    if (!(await db.securityGroupUpdate(g.id, { name: n, description: desc }))) throw new Invalid({}, `Security group ${n} already exists`);
    return (await db.securityGroupGet(g.id))!;
  }

  async delete(ctx: RequestContext, id: unknown): Promise<void> {
    const g = await this.get(ctx, id);
    if (READ_ONLY.includes(g.name)) throw new SecurityGroupSystemGroup({ action: 'delete', name: g.name });
    if (await db.securityGroupInUse(g.id)) throw new SecurityGroupInUse();
    const granting = await db.securityGroupsGranting([g.id]);
    await db.securityGroupDestroy(g.id);
    if (this.quotaOn) await quotaRelease(g.project_id, { security_groups: 1 });
    await this.refreshGroups(ctx, granting, `deletion of security group ${g.id}`);
  }

  async createRule(ctx: RequestContext, r: RuleRequest & { parent_group_id?: unknown }): Promise<{ rule: SecurityGroupRuleObj; source: SecurityGroupObj | null }> {
    const parent = await this.get(ctx, r.parent_group_id);
    let source: SecurityGroupObj | null = null;
    let cidr: string | null = null;
    if (r.group_id !== null && r.group_id !== undefined) {
      source = await this.get(ctx, r.group_id);
    } else {
      const text = r.cidr === null || r.cidr === undefined || r.cidr === '' ? '0.0.0.0/0' : decodeURIComponent(String(r.cidr));
      const c = parseCidr(text);
      if (!c || !text.includes('/')) throw new InvalidCidr({ cidr: text });
      const [net, prefix] = text.split('/');
      if (net !== '0.0.0.0' && prefix === '0') throw new Invalid({}, `Bad prefix for network in cidr ${text}`);
      cidr = text;
    }
    const values = newIngressRule(r, source?.id ?? null, cidr);
    if (!values) throw new Invalid({}, 'Not enough parameters to build a valid rule.');
    const rule: RuleValues = { ...values, parent_group_id: parent.id };
    const same = parent.rules.some((x) => x.group_id === rule.group_id && x.cidr === rule.cidr && x.from_port === rule.from_port && x.to_port === rule.to_port && x.protocol === rule.protocol);
    if (same) throw new SecurityGroupRuleExists({ group_id: parent.id });
    const limit = this.quotaOn ? (await this.limits(parent.project_id)).security_group_rules ?? -1 : -1;
    if (limit >= 0 && (await db.securityGroupRuleCount(parent.id)) + 1 > limit) throw new SecurityGroupLimitExceeded({}, 'Quota exceeded, too many security group rules.');
    const made = await db.securityGroupRuleCreate(rule);
    // Nova's recheck: two concurrent creates may both have passed the count.
    if (limit >= 0 && (await db.securityGroupRuleCount(parent.id)) > limit) {
      await db.securityGroupRuleDestroy(made.id);
      throw new SecurityGroupLimitExceeded({}, 'Quota exceeded, too many security group rules.');
    }
    await this.refreshGroups(ctx, [parent.id], `new rule ${made.id} of security group ${parent.id}`);
    return { rule: made, source };
  }

  async deleteRule(ctx: RequestContext, id: unknown): Promise<void> {
    const rid = groupId(id);
    await this.ensureDefault(ctx);
    const rule = await db.securityGroupRuleGet(rid);
    if (!rule) throw new SecurityGroupNotFound({}, `Rule (${rid}) not found`);
    const parent = await this.get(ctx, rule.parent_group_id);
    await db.securityGroupRuleDestroy(rule.id);
    await this.refreshGroups(ctx, [parent.id], `deleted rule ${rule.id} of security group ${parent.id}`);
  }

  async ofInstance(ctx: RequestContext, instanceUuid: string): Promise<SecurityGroupObj[]> {
    await this.ensureDefault(ctx);
    return db.securityGroupsGet(await db.instanceSecurityGroupIds(instanceUuid));
  }

  /** Nova's add_to_instance: the group is looked up by name in the caller's project. */
  async addToInstance(ctx: RequestContext, instanceUuid: string, name: string): Promise<void> {
    const g = await this.getByName(ctx, name);
    if (!(await db.instanceAddSecurityGroup(instanceUuid, g.id))) {
      throw new SecurityGroupExistsForInstance({ security_group_id: g.id, instance_id: instanceUuid });
    }
    await this.refreshMembership(ctx, instanceUuid, g.id);
  }

  async removeFromInstance(ctx: RequestContext, instanceUuid: string, name: string): Promise<void> {
    const g = await this.getByName(ctx, name);
    if (!(await db.instanceRemoveSecurityGroup(instanceUuid, g.id))) {
      throw new SecurityGroupNotExistsForInstance({ security_group_id: g.id, instance_id: instanceUuid });
    }
    await this.refreshMembership(ctx, instanceUuid, g.id);
  }

  /** The instance's own chain, and those of guests whose groups take this group as a source. */
  private async refreshMembership(ctx: RequestContext, instanceUuid: string, groupId: number): Promise<void> {
    const granting = await db.securityGroupsGranting([groupId]);
    const members = await db.securityGroupMembers(granting);
    await this.refresher.refresh(ctx, await ownerHostsOf([instanceUuid, ...members]), `security groups of ${instanceUuid}`);
  }

  private async refreshGroups(ctx: RequestContext, groupIds: number[], reason: string): Promise<void> {
    const members = await db.securityGroupMembers(groupIds);
    if (members.length) await this.refresher.refresh(ctx, await ownerHostsOf(members), reason);
  }
}
