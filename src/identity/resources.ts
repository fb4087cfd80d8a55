import { Transaction, WhereOptions } from 'sequelize';
import { AssignmentRow, DomainRow, Ec2CredentialRow, ProjectRow, TokenRow } from '../db/models/identity';
import { duplicateName, forbidden, isUniqueViolation, notFound } from './errors';
import { newId } from './ids';

/** Domains and projects (Keystone's resource backend). */

export const DEFAULT_DOMAIN_ID = 'default';

export async function getDomain(id: string): Promise<DomainRow> {
  const d = await DomainRow.findByPk(id);
  if (!d) throw notFound('domain', id);
  return d;
}

export async function findDomainByName(name: string): Promise<DomainRow | null> {
  return DomainRow.findOne({ where: { name } });
}

/** A domain named by `{id}` or `{name}` (as in auth requests and filters). */
export async function resolveDomain(ref: { id?: string; name?: string }): Promise<DomainRow> {
  if (ref.id) return getDomain(ref.id);
  const d = ref.name ? await findDomainByName(ref.name) : null;
  if (!d) throw notFound('domain', ref.name ?? '');
  return d;
}

export async function listDomains(filter: { name?: string; enabled?: boolean } = {}): Promise<DomainRow[]> {
  const where: WhereOptions = {};
  if (filter.name !== undefined) Object.assign(where, { name: filter.name });
  if (filter.enabled !== undefined) Object.assign(where, { enabled: filter.enabled });
  return DomainRow.findAll({ where, order: [['name', 'ASC']] });
}

/** Creates the domain unless one with this id exists (bootstrap). */
export async function ensureDomain(v: { id: string; name: string; description?: string }): Promise<DomainRow> {
  const found = await DomainRow.findByPk(v.id);
  if (found) return found;
  try {
    return await DomainRow.create({ id: v.id, name: v.name, description: v.description ?? null, enabled: true });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return getDomain(v.id);
  }
}

export async function getProject(id: string): Promise<ProjectRow> {
  const p = await ProjectRow.findByPk(id);
  if (!p) throw notFound('project', id);
  return p;
}

export async function findProjectByName(name: string, domainId: string): Promise<ProjectRow | null> {
  return ProjectRow.findOne({ where: { name, domain_id: domainId } });
}

export interface ProjectFilter { name?: string; domain_id?: string; enabled?: boolean; parent_id?: string; ids?: string[] }

export async function listProjects(filter: ProjectFilter = {}): Promise<ProjectRow[]> {
  const where: Record<string, unknown> = {};
  for (const k of ['name', 'domain_id', 'enabled', 'parent_id'] as const) if (filter[k] !== undefined) where[k] = filter[k];
  if (filter.ids) where.id = filter.ids;
  return ProjectRow.findAll({ where, order: [['name', 'ASC']] });
}

export interface ProjectValues {
  name: string; domain_id: string; description?: string | null; enabled?: boolean; tags?: string[];
  parent_id?: string | null; extra?: Record<string, unknown>;
}

export async function createProject(v: ProjectValues): Promise<ProjectRow> {
  const domain = await getDomain(v.domain_id);
  const parentId = v.parent_id ?? domain.id;
  if (parentId !== domain.id) {
    const parent = await getProject(parentId);
    if (parent.domain_id !== domain.id) throw forbidden('Cannot create project, the parent is in a different domain.');
  }
  if (await findProjectByName(v.name, domain.id)) throw duplicateName('project', v.name, domain.id);
  try {
    return await ProjectRow.create({
      id: newId(), name: v.name, domain_id: domain.id, parent_id: parentId, description: v.description ?? '',
      enabled: v.enabled ?? true, tags: v.tags ?? [], extra: v.extra ?? {},
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateName('project', v.name, domain.id);
    throw e;
  }
}

/** Creates the project unless it exists by name in the domain (bootstrap); returns it either way. */
export async function ensureProject(name: string, domainId: string, description: string): Promise<ProjectRow> {
  const found = await findProjectByName(name, domainId);
  if (found) return found;
  try {
    return await createProject({ name, domain_id: domainId, description });
  } catch (e) {
    const again = await findProjectByName(name, domainId);
    if (again) return again;
    throw e;
  }
}

export async function updateProject(id: string, changes: Partial<Pick<ProjectValues, 'name' | 'description' | 'enabled' | 'tags' | 'extra'>>): Promise<ProjectRow> {
  const p = await getProject(id);
  if (changes.name !== undefined && changes.name !== p.name && await findProjectByName(changes.name, p.domain_id)) {
    throw duplicateName('project', changes.name, p.domain_id);
  }
  const values = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (changes.extra) values.extra = { ...p.extra, ...changes.extra };
  try {
    return await p.update(values);
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateName('project', changes.name ?? p.name, p.domain_id);
    throw e;
  }
}

/** Deletes a project with its grants, EC2 credentials and the tokens scoped to it, in one transaction. */
export async function deleteProject(id: string): Promise<void> {
  const p = await getProject(id);
  if (await ProjectRow.count({ where: { parent_id: id } })) throw forbidden(`Cannot delete project ${id}: it has child projects.`);
  await ProjectRow.sequelize!.transaction(async (transaction: Transaction) => {
    await AssignmentRow.destroy({ where: { target_id: id }, transaction });
    await Ec2CredentialRow.destroy({ where: { project_id: id }, transaction });
    await TokenRow.destroy({ where: { project_id: id }, transaction });
    await p.destroy({ transaction });
  });
}
