import { Transaction } from 'sequelize';
import { AssignmentRow, ImpliedRoleRow, RoleRow } from '../db/models/identity';
import { assignmentNotFound, badRequest, duplicateName, isUniqueViolation, notFound } from './errors';
import { newId } from './ids';
import { getDomain, getProject } from './resources';
import { getUser } from './users';

/** Roles, implied roles and grants of roles to users on projects (Keystone's assignment backend). */

export const USER_PROJECT = 'UserProject';

export async function getRole(id: string): Promise<RoleRow> {
  const r = await RoleRow.findByPk(id);
  if (!r) throw notFound('role', id);
  return r;
}

export async function listRoles(filter: { name?: string; domain_id?: string | null } = {}): Promise<RoleRow[]> {
  const where: Record<string, unknown> = { domain_id: filter.domain_id ?? '' };
  if (filter.name !== undefined) where.name = filter.name;
  return RoleRow.findAll({ where, order: [['name', 'ASC']] });
}

export async function createRole(v: { name: string; domain_id?: string | null; description?: string | null }): Promise<RoleRow> {
  const domainId = v.domain_id ?? '';
  if (domainId) await getDomain(domainId);
  if (await RoleRow.findOne({ where: { name: v.name, domain_id: domainId } })) throw duplicateName('role', v.name);
  try {
    return await RoleRow.create({ id: newId(), name: v.name, domain_id: domainId, description: v.description ?? null });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateName('role', v.name);
    throw e;
  }
}

/** The global role of this name, created when missing (bootstrap). */
export async function ensureRole(name: string): Promise<RoleRow> {
  const found = await RoleRow.findOne({ where: { name, domain_id: '' } });
  if (found) return found;
  try {
    return await createRole({ name });
  } catch (e) {
    const again = await RoleRow.findOne({ where: { name, domain_id: '' } });
    if (again) return again;
    throw e;
  }
}

export async function updateRole(id: string, changes: { name?: string; description?: string | null }): Promise<RoleRow> {
  const r = await getRole(id);
  if (changes.name !== undefined && changes.name !== r.name && await RoleRow.findOne({ where: { name: changes.name, domain_id: r.domain_id } })) {
    throw duplicateName('role', changes.name);
  }
  return r.update(changes);
}

/** Deletes a role with its grants and implication rules. */
export async function deleteRole(id: string): Promise<void> {
  const r = await getRole(id);
  await RoleRow.sequelize!.transaction(async (transaction: Transaction) => {
    await AssignmentRow.destroy({ where: { role_id: id }, transaction });
    await ImpliedRoleRow.destroy({ where: { prior_role_id: id }, transaction });
    await ImpliedRoleRow.destroy({ where: { implied_role_id: id }, transaction });
    await r.destroy({ transaction });
  });
}

/** Records that holding `priorId` also grants `impliedId` (idempotent). */
export async function addImpliedRole(priorId: string, impliedId: string): Promise<void> {
  await getRole(priorId);
  await getRole(impliedId);
  if (priorId === impliedId) throw badRequest(`${impliedId} cannot be an implied roles.`);
  if (await ImpliedRoleRow.findOne({ where: { prior_role_id: priorId, implied_role_id: impliedId } })) return;
  try {
    await ImpliedRoleRow.create({ prior_role_id: priorId, implied_role_id: impliedId });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
}

export async function listImpliedRules(): Promise<ImpliedRoleRow[]> {
  return ImpliedRoleRow.findAll();
}

export async function addGrant(userId: string, projectId: string, roleId: string): Promise<void> {
  await getUser(userId);
  await getProject(projectId);
  await getRole(roleId);
  const key = { type: USER_PROJECT, actor_id: userId, target_id: projectId, role_id: roleId };
  if (await AssignmentRow.findOne({ where: key })) return;
  try {
    await AssignmentRow.create(key);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
}

export async function hasGrant(userId: string, projectId: string, roleId: string): Promise<boolean> {
  return !!(await AssignmentRow.findOne({ where: { type: USER_PROJECT, actor_id: userId, target_id: projectId, role_id: roleId } }));
}

export async function removeGrant(userId: string, projectId: string, roleId: string): Promise<void> {
  await getUser(userId);
  await getProject(projectId);
  await getRole(roleId);
  const n = await AssignmentRow.destroy({ where: { type: USER_PROJECT, actor_id: userId, target_id: projectId, role_id: roleId } });
  if (n === 0) throw assignmentNotFound(roleId, userId, projectId);
}

/** One grant as the API lists it; `prior_role_id` is set when the role comes from an implication. */
export interface Assignment { user_id: string; project_id: string; role_id: string; prior_role_id?: string }

export interface AssignmentFilter { user_id?: string; project_id?: string; role_id?: string; effective?: boolean }

/**
 * Lists grants. With `effective`, each grant also yields the roles its role implies, transitively, as
 * Keystone's effective mode does; the role filter then applies to the expanded roles.
 */
export async function listAssignments(filter: AssignmentFilter = {}): Promise<Assignment[]> {
  const where: Record<string, unknown> = { type: USER_PROJECT };
  if (filter.user_id) where.actor_id = filter.user_id;
  if (filter.project_id) where.target_id = filter.project_id;
  if (filter.role_id && !filter.effective) where.role_id = filter.role_id;
  const rows = await AssignmentRow.findAll({ where, order: [['actor_id', 'ASC'], ['target_id', 'ASC'], ['role_id', 'ASC']] });
  const direct: Assignment[] = rows.map((r) => ({ user_id: r.actor_id, project_id: r.target_id, role_id: r.role_id }));
  if (!filter.effective) return direct;
  const implies = await implicationMap();
  const out: Assignment[] = [];
  const seen = new Set<string>();
  const push = (a: Assignment) => {
    const k = `${a.user_id}/${a.project_id}/${a.role_id}`;
    if (seen.has(k)) return;
    seen.add(k);
    if (!filter.role_id || a.role_id === filter.role_id) out.push(a);
  };
  for (const a of direct) push(a);
  for (const a of direct) {
    for (const implied of closure([a.role_id], implies)) {
      if (implied !== a.role_id) push({ ...a, role_id: implied, prior_role_id: a.role_id });
    }
  }
  return out;
}

async function implicationMap(): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  for (const r of await ImpliedRoleRow.findAll()) map.set(r.prior_role_id, [...(map.get(r.prior_role_id) ?? []), r.implied_role_id]);
  return map;
}

/** Every role reachable from `start` through implications, `start` included (cycles are harmless). */
function closure(start: string[], implies: Map<string, string[]>): Set<string> {
  const out = new Set<string>();
  const queue = [...start];
  while (queue.length) {
    const r = queue.shift()!;
    if (out.has(r)) continue;
    out.add(r);
    queue.push(...(implies.get(r) ?? []));
  }
  return out;
}

/** The roles a user holds on a project: direct grants plus the roles they imply. */
export async function effectiveRoles(userId: string, projectId: string): Promise<RoleRow[]> {
  const direct = await AssignmentRow.findAll({ where: { type: USER_PROJECT, actor_id: userId, target_id: projectId } });
  if (!direct.length) return [];
  const ids = closure(direct.map((d) => d.role_id), await implicationMap());
  return RoleRow.findAll({ where: { id: [...ids] }, order: [['name', 'ASC']] });
}

/** The direct grants of a user on a project, as roles. */
export async function directRoles(userId: string, projectId: string): Promise<RoleRow[]> {
  const direct = await AssignmentRow.findAll({ where: { type: USER_PROJECT, actor_id: userId, target_id: projectId } });
  return direct.length ? RoleRow.findAll({ where: { id: direct.map((d) => d.role_id) }, order: [['name', 'ASC']] }) : [];
}

/** Ids of the projects on which the user holds any role. */
export async function projectIdsForUser(userId: string): Promise<string[]> {
  const rows = await AssignmentRow.findAll({ where: { type: USER_PROJECT, actor_id: userId }, attributes: ['target_id'] });
  return [...new Set(rows.map((r) => r.target_id))];
}
