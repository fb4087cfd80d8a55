import { Transaction } from 'sequelize';
import { AssignmentRow, Ec2CredentialRow, TokenRow, UserRow } from '../db/models/identity';
import { duplicateName, isUniqueViolation, notFound, unauthorized } from './errors';
import { newId } from './ids';
import { hashPassword, verifyPassword } from './password';
import { getDomain, getProject } from './resources';

/** Users and their passwords (Keystone's identity backend, SQL driver). */

export async function getUser(id: string): Promise<UserRow> {
  const u = await UserRow.findByPk(id);
  if (!u) throw notFound('user', id);
  return u;
}

export async function findUserByName(name: string, domainId: string): Promise<UserRow | null> {
  return UserRow.findOne({ where: { name, domain_id: domainId } });
}

export async function listUsers(filter: { name?: string; domain_id?: string; enabled?: boolean; ids?: string[] } = {}): Promise<UserRow[]> {
  const where: Record<string, unknown> = {};
  for (const k of ['name', 'domain_id', 'enabled'] as const) if (filter[k] !== undefined) where[k] = filter[k];
  if (filter.ids) where.id = filter.ids;
  return UserRow.findAll({ where, order: [['name', 'ASC']] });
}

export interface UserValues {
  name: string; domain_id: string; password?: string | null; enabled?: boolean; default_project_id?: string | null;
  /** Attributes Keystone keeps as-is (email, description, ...). */
  extra?: Record<string, unknown>;
}

export async function createUser(v: UserValues): Promise<UserRow> {
  await getDomain(v.domain_id);
  if (v.default_project_id) await getProject(v.default_project_id);
  if (await findUserByName(v.name, v.domain_id)) throw duplicateName('user', v.name, v.domain_id);
  const password_hash = v.password ? await hashPassword(v.password) : null;
  try {
    return await UserRow.create({
      id: newId(), name: v.name, domain_id: v.domain_id, password_hash, enabled: v.enabled ?? true,
      default_project_id: v.default_project_id ?? null, extra: v.extra ?? {}, password_changed_at: password_hash ? new Date() : null,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateName('user', v.name, v.domain_id);
    throw e;
  }
}

export type UserChanges = Partial<Pick<UserValues, 'name' | 'password' | 'enabled' | 'default_project_id' | 'extra'>>;

/**
 * Updates a user. A new password or disabling the user revokes its tokens, as Keystone does, so a
 * leaked token dies with the old password.
 */
export async function updateUser(id: string, changes: UserChanges): Promise<UserRow> {
  const u = await getUser(id);
  if (changes.name !== undefined && changes.name !== u.name && await findUserByName(changes.name, u.domain_id)) {
    throw duplicateName('user', changes.name, u.domain_id);
  }
  if (changes.default_project_id) await getProject(changes.default_project_id);
  const values: Record<string, unknown> = {};
  for (const k of ['name', 'enabled', 'default_project_id'] as const) if (changes[k] !== undefined) values[k] = changes[k];
  if (changes.extra) values.extra = { ...u.extra, ...changes.extra };
  const revoke = changes.password !== undefined || changes.enabled === false;
  if (changes.password !== undefined) {
    values.password_hash = changes.password === null ? null : await hashPassword(changes.password);
    values.password_changed_at = new Date();
  }
  try {
    await UserRow.sequelize!.transaction(async (transaction: Transaction) => {
      await u.update(values, { transaction });
      if (revoke) await TokenRow.destroy({ where: { user_id: id }, transaction });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateName('user', changes.name ?? u.name, u.domain_id);
    throw e;
  }
  return u;
}

/** Self-service password change: the original password must match. */
export async function changePassword(id: string, original: string, password: string): Promise<void> {
  const u = await getUser(id);
  if (!(await verifyPassword(original, u.password_hash))) {
    throw unauthorized('Error when changing user password: Invalid user / password');
  }
  await updateUser(id, { password });
}

export async function deleteUser(id: string): Promise<void> {
  const u = await getUser(id);
  await UserRow.sequelize!.transaction(async (transaction: Transaction) => {
    await AssignmentRow.destroy({ where: { actor_id: id }, transaction });
    await Ec2CredentialRow.destroy({ where: { user_id: id }, transaction });
    await TokenRow.destroy({ where: { user_id: id }, transaction });
    await u.destroy({ transaction });
  });
}

/** True when the user exists, has a password, and `password` matches it. */
export async function checkPassword(user: UserRow, password: string): Promise<boolean> {
  return verifyPassword(password, user.password_hash);
}
