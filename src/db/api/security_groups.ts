import { Op, UniqueConstraintError } from 'sequelize';
import { SecurityGroupInstanceRow, SecurityGroupRow, SecurityGroupRuleRow } from '../models/network';

export interface SecurityGroupRuleObj {
  id: number;
  parent_group_id: number;
  protocol: string | null;
  from_port: number | null;
  to_port: number | null;
  cidr: string | null;
  group_id: number | null;
}

export interface SecurityGroupObj {
  id: number;
  name: string;
  description: string | null;
  user_id: string | null;
  project_id: string;
  rules: SecurityGroupRuleObj[];
}

export type RuleValues = Omit<SecurityGroupRuleObj, 'id'>;

function ruleObj(r: SecurityGroupRuleRow): SecurityGroupRuleObj {
  return { id: r.id, parent_group_id: r.parent_group_id, protocol: r.protocol, from_port: r.from_port, to_port: r.to_port, cidr: r.cidr, group_id: r.group_id };
}

/** Groups with their rules, in two queries whatever their number. */
async function withRules(rows: SecurityGroupRow[]): Promise<SecurityGroupObj[]> {
  const ids = rows.map((r) => r.id);
  const rules = ids.length ? await SecurityGroupRuleRow.findAll({ where: { parent_group_id: { [Op.in]: ids } }, order: [['id', 'ASC']] }) : [];
  return rows.map((g) => ({
    id: g.id, name: g.name, description: g.description, user_id: g.user_id, project_id: g.project_id,
    rules: rules.filter((r) => r.parent_group_id === g.id).map(ruleObj),
  }));
}

export async function securityGroupGet(id: number): Promise<SecurityGroupObj | null> {
  const r = await SecurityGroupRow.findByPk(id);
  return r ? (await withRules([r]))[0] : null;
}

export async function securityGroupGetByName(projectId: string, name: string): Promise<SecurityGroupObj | null> {
  const r = await SecurityGroupRow.findOne({ where: { project_id: projectId, name } });
  return r ? (await withRules([r]))[0] : null;
}

export async function securityGroupsGet(ids: number[]): Promise<SecurityGroupObj[]> {
  if (!ids.length) return [];
  return withRules(await SecurityGroupRow.findAll({ where: { id: { [Op.in]: ids } }, order: [['id', 'ASC']] }));
}

export async function securityGroupList(projectId?: string): Promise<SecurityGroupObj[]> {
  return withRules(await SecurityGroupRow.findAll({ where: projectId ? { project_id: projectId } : {}, order: [['id', 'ASC']] }));
}

/** Creates a group; null when the project has one of that name (the unique index decides races). */
export async function securityGroupCreate(v: { name: string; description: string | null; user_id: string | null; project_id: string }): Promise<SecurityGroupObj | null> {
  try {
    return (await withRules([await SecurityGroupRow.create(v)]))[0];
  } catch (e) {
    if (e instanceof UniqueConstraintError) return null;
    throw e;
  }
}

/** The project's `default` group, made on first use (Nova's security_group_ensure_default). */
export async function securityGroupEnsureDefault(projectId: string, userId: string | null): Promise<{ group: SecurityGroupObj; created: boolean }> {
  const existing = await securityGroupGetByName(projectId, 'default');
  if (existing) return { group: existing, created: false };
  const made = await securityGroupCreate({ name: 'default', description: 'default', user_id: userId, project_id: projectId });
  if (made) return { group: made, created: true };
  return { group: (await securityGroupGetByName(projectId, 'default'))!, created: false };
}

export async function securityGroupUpdate(id: number, v: { name: string; description: string | null }): Promise<boolean> {
  try {
    const [n] = await SecurityGroupRow.update(v, { where: { id } });
    return n > 0;
  } catch (e) {
    if (e instanceof UniqueConstraintError) return false;
    throw e;
  }
}

/** Deletes a group with its rules and the rules of other groups that name it as source. */
export async function securityGroupDestroy(id: number): Promise<void> {
  await SecurityGroupRuleRow.destroy({ where: { [Op.or]: [{ parent_group_id: id }, { group_id: id }] } });
  await SecurityGroupInstanceRow.destroy({ where: { security_group_id: id } });
  await SecurityGroupRow.destroy({ where: { id } });
}

/** True while an instance that is not deleted is in the group (rows of deleted instances do not count). */
export async function securityGroupInUse(id: number): Promise<boolean> {
  const [rows] = await SecurityGroupInstanceRow.sequelize!.query(
    `SELECT COUNT(*) AS n FROM security_group_instance_association a JOIN instances i ON i.uuid = a.instance_uuid AND i.deleted = 0
     WHERE a.security_group_id = :id`, { replacements: { id } });
  return Number((rows as Array<{ n: number | string }>)[0]?.n ?? 0) > 0;
}

export async function securityGroupRuleCreate(v: RuleValues): Promise<SecurityGroupRuleObj> {
  return ruleObj(await SecurityGroupRuleRow.create(v));
}

export async function securityGroupRuleGet(id: number): Promise<SecurityGroupRuleObj | null> {
  const r = await SecurityGroupRuleRow.findByPk(id);
  return r ? ruleObj(r) : null;
}

export async function securityGroupRuleDestroy(id: number): Promise<void> {
  await SecurityGroupRuleRow.destroy({ where: { id } });
}

export async function securityGroupRuleCount(groupId: number): Promise<number> {
  return SecurityGroupRuleRow.count({ where: { parent_group_id: groupId } });
}

/** Groups having a rule whose source is one of `groupIds`. */
export async function securityGroupsGranting(groupIds: number[]): Promise<number[]> {
  if (!groupIds.length) return [];
  const rows = await SecurityGroupRuleRow.findAll({ where: { group_id: { [Op.in]: groupIds } }, attributes: ['parent_group_id'] });
  return [...new Set(rows.map((r) => r.parent_group_id))];
}

/** Adds the instance to the group; false when it was in it already. */
export async function instanceAddSecurityGroup(instanceUuid: string, groupId: number): Promise<boolean> {
  try {
    await SecurityGroupInstanceRow.create({ instance_uuid: instanceUuid, security_group_id: groupId });
    return true;
  } catch (e) {
    if (e instanceof UniqueConstraintError) return false;
    throw e;
  }
}

export async function instanceRemoveSecurityGroup(instanceUuid: string, groupId: number): Promise<boolean> {
  return (await SecurityGroupInstanceRow.destroy({ where: { instance_uuid: instanceUuid, security_group_id: groupId } })) > 0;
}

export async function instanceSecurityGroupIds(instanceUuid: string): Promise<number[]> {
  return (await SecurityGroupInstanceRow.findAll({ where: { instance_uuid: instanceUuid }, order: [['id', 'ASC']] })).map((r) => r.security_group_id);
}

/** Group ids of many instances at once, by instance. */
export async function instancesSecurityGroupIds(uuids: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(uuids.map((u) => [u, []]));
  if (!uuids.length) return out;
  for (const r of await SecurityGroupInstanceRow.findAll({ where: { instance_uuid: { [Op.in]: uuids } }, order: [['id', 'ASC']] })) {
    out.get(r.instance_uuid)?.push(r.security_group_id);
  }
  return out;
}

export async function securityGroupMembers(groupIds: number[]): Promise<string[]> {
  if (!groupIds.length) return [];
  const rows = await SecurityGroupInstanceRow.findAll({ where: { security_group_id: { [Op.in]: groupIds } }, attributes: ['instance_uuid'] });
  return [...new Set(rows.map((r) => r.instance_uuid))];
}

export async function instanceSecurityGroupsDestroy(instanceUuid: string): Promise<void> {
  await SecurityGroupInstanceRow.destroy({ where: { instance_uuid: instanceUuid } });
}
