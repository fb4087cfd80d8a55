import { randomUUID } from 'node:crypto';
import { InstanceGroupMemberRow, InstanceGroupPolicyRow, InstanceGroupRow } from '../models/scheduler';
import { writeTogether } from './sql';

export interface ServerGroupObj {
  id: number;
  uuid: string;
  name: string | null;
  project_id: string;
  user_id: string;
  policy: string;
  rules: Record<string, unknown>;
  members: string[];
}

async function hydrate(rows: InstanceGroupRow[]): Promise<ServerGroupObj[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [policies, members] = await Promise.all([
    InstanceGroupPolicyRow.findAll({ where: { group_id: ids } }),
    InstanceGroupMemberRow.findAll({ where: { group_id: ids }, order: [['id', 'ASC']] }),
  ]);
  return rows.map((r) => {
    const p = policies.find((x) => x.group_id === r.id);
    return {
      id: r.id, uuid: r.uuid, name: r.name, project_id: r.project_id, user_id: r.user_id,
      policy: p?.policy ?? '', rules: p?.rules ?? {}, members: members.filter((m) => m.group_id === r.id).map((m) => m.instance_uuid),
    };
  });
}

export async function serverGroupCreate(v: { name: string; project_id: string; user_id: string; policy: string; rules: Record<string, unknown> }): Promise<ServerGroupObj> {
  const uuid = randomUUID();
  await writeTogether(InstanceGroupRow.sequelize!, async (transaction) => {
    const row = await InstanceGroupRow.create({ uuid, name: v.name, project_id: v.project_id, user_id: v.user_id }, { transaction });
    await InstanceGroupPolicyRow.create({ group_id: row.id, policy: v.policy, rules: v.rules }, { transaction });
  });
  return (await serverGroupGet(uuid))!;
}

export async function serverGroupGet(uuid: string): Promise<ServerGroupObj | null> {
  const row = await InstanceGroupRow.findOne({ where: { uuid } });
  return row ? (await hydrate([row]))[0] : null;
}

/** Groups of one project, or of every project when `projectId` is null; oldest first. */
export async function serverGroupList(projectId: string | null, page: { limit?: number; offset?: number } = {}): Promise<ServerGroupObj[]> {
  return hydrate(await InstanceGroupRow.findAll({
    where: projectId === null ? {} : { project_id: projectId }, order: [['id', 'ASC']], limit: page.limit, offset: page.offset,
  }));
}

export async function serverGroupCount(projectId: string): Promise<number> {
  return InstanceGroupRow.count({ where: { project_id: projectId } });
}

export async function serverGroupDestroy(id: number): Promise<void> {
  await writeTogether(InstanceGroupRow.sequelize!, async (transaction) => {
    await InstanceGroupMemberRow.destroy({ where: { group_id: id }, transaction });
    await InstanceGroupPolicyRow.destroy({ where: { group_id: id }, transaction });
    await InstanceGroupRow.destroy({ where: { id }, transaction });
  });
}

export async function serverGroupAddMembers(id: number, uuids: string[]): Promise<void> {
  await InstanceGroupMemberRow.bulkCreate(uuids.map((instance_uuid) => ({ group_id: id, instance_uuid })));
}

/** Drops instances from every group (they were deleted, or their boot was undone). */
export async function serverGroupRemoveInstances(uuids: string[]): Promise<void> {
  if (uuids.length) await InstanceGroupMemberRow.destroy({ where: { instance_uuid: uuids } });
}

/** The group uuids each instance belongs to (servers' `server_groups`, 2.71). */
export async function serverGroupsOfInstances(uuids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (uuids.length === 0) return out;
  const members = await InstanceGroupMemberRow.findAll({ where: { instance_uuid: uuids } });
  if (members.length === 0) return out;
  const groups = await InstanceGroupRow.findAll({ where: { id: [...new Set(members.map((m) => m.group_id))] } });
  const uuidOf = new Map(groups.map((g) => [g.id, g.uuid]));
  for (const m of members) out.set(m.instance_uuid, [...(out.get(m.instance_uuid) ?? []), uuidOf.get(m.group_id)!]);
  return out;
}
