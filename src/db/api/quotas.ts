import { Op } from 'sequelize';
import { QuotaClassRow, QuotaRow, QuotaUsageRow } from '../models/quota';
import { updateCount } from './sql';

/** Resources counted per project (the user-scoped `key_pairs` is counted from key_pairs rows). */
export const PROJECT_RESOURCES = ['instances', 'cores', 'ram', 'metadata_items', 'injected_files', 'injected_file_content_bytes',
  'injected_file_path_bytes', 'key_pairs', 'server_groups', 'server_group_members', 'floating_ips', 'fixed_ips',
  'security_groups', 'security_group_rules'] as const;
export type QuotaResource = (typeof PROJECT_RESOURCES)[number];

/** Effective limits: project (and user) overrides, then the `default` quota class, then the config defaults. */
export async function quotaLimits(projectId: string, defaults: Record<string, number>, userId?: string): Promise<Record<string, number>> {
  const [classes, project] = await Promise.all([
    QuotaClassRow.findAll({ where: { class_name: 'default' } }),
    QuotaRow.findAll({ where: { project_id: projectId, user_id: userId ? { [Op.in]: ['', userId] } : '' } }),
  ]);
  const out: Record<string, number> = { ...defaults };
  for (const c of classes) out[c.resource] = c.hard_limit;
  for (const q of project.filter((p) => p.user_id === '')) out[q.resource] = q.hard_limit;
  for (const q of project.filter((p) => p.user_id !== '')) out[q.resource] = q.hard_limit;
  return out;
}

export async function quotaClassLimits(className: string, defaults: Record<string, number>): Promise<Record<string, number>> {
  const out: Record<string, number> = { ...defaults };
  for (const c of await QuotaClassRow.findAll({ where: { class_name: className } })) out[c.resource] = c.hard_limit;
  return out;
}

export async function quotaSet(projectId: string, resource: string, limit: number, userId = ''): Promise<void> {
  const [row, created] = await QuotaRow.findOrCreate({ where: { project_id: projectId, user_id: userId, resource }, defaults: { hard_limit: limit } });
  if (!created) await row.update({ hard_limit: limit });
}

export async function quotaClassSet(className: string, resource: string, limit: number): Promise<void> {
  const [row, created] = await QuotaClassRow.findOrCreate({ where: { class_name: className, resource }, defaults: { hard_limit: limit } });
  if (!created) await row.update({ hard_limit: limit });
}

/** Drops a project's (or one user's) overrides, back to defaults. */
export async function quotaDestroyAll(projectId: string, userId?: string): Promise<void> {
  await QuotaRow.destroy({ where: userId ? { project_id: projectId, user_id: userId } : { project_id: projectId } });
}

export async function quotaUsages(projectId: string): Promise<Record<string, number>> {
  const rows = await QuotaUsageRow.findAll({ where: { project_id: projectId, user_id: '' } });
  return Object.fromEntries(rows.map((r) => [r.resource, r.in_use]));
}

async function ensureUsageRows(projectId: string, resources: string[]): Promise<void> {
  const have = new Set((await QuotaUsageRow.findAll({ where: { project_id: projectId, user_id: '', resource: resources } })).map((r) => r.resource));
  for (const resource of resources.filter((r) => !have.has(r))) {
    try {
      await QuotaUsageRow.create({ project_id: projectId, user_id: '', resource, in_use: 0 });
    } catch { /* created concurrently by another request: fine */ }
  }
}

export interface Over { resource: string; requested: number; used: number; allowed: number }

/**
 * Adds `deltas` to a project's usage, all or nothing, never past `limits` (-1 = unlimited). Each
 * counter moves by one conditional UPDATE, so concurrent requests cannot pass a limit together;
 * if one counter is full, the ones already moved are given back. Returns the first resource over.
 */
export async function quotaReserve(projectId: string, deltas: Record<string, number>, limits: Record<string, number>): Promise<Over | null> {
  const resources = Object.keys(deltas).filter((r) => deltas[r] !== 0);
  await ensureUsageRows(projectId, resources);
  const seq = QuotaUsageRow.sequelize!;
  const done: string[] = [];
  for (const resource of resources) {
    const d = deltas[resource];
    const limit = limits[resource] ?? -1;
    const changed = await updateCount(seq,
      `UPDATE quota_usages SET in_use = in_use + :d, updated_at = :now
       WHERE project_id = :p AND user_id = '' AND resource = :r AND (:limit < 0 OR :d <= 0 OR in_use + :d <= :limit)`,
      { d, p: projectId, r: resource, limit, now: new Date() },
    );
    if (changed !== 1) {
      for (const r of done) await quotaRelease(projectId, { [r]: deltas[r] });
      const row = await QuotaUsageRow.findOne({ where: { project_id: projectId, user_id: '', resource } });
      return { resource, requested: d, used: row?.in_use ?? 0, allowed: limit };
    }
    done.push(resource);
  }
  return null;
}

/** Gives usage back (never below zero). */
export async function quotaRelease(projectId: string, deltas: Record<string, number>): Promise<void> {
  const seq = QuotaUsageRow.sequelize!;
  for (const [resource, d] of Object.entries(deltas)) {
    if (d === 0) continue;
    await updateCount(seq,
      `UPDATE quota_usages SET in_use = CASE WHEN in_use - :d < 0 THEN 0 ELSE in_use - :d END, updated_at = :now
       WHERE project_id = :p AND user_id = '' AND resource = :r`,
      { d, p: projectId, r: resource, now: new Date() },
    );
  }
}

/** Limits set on a project (`userId` omitted) or on one user of it, by resource. */
export async function quotaOverrides(projectId: string, userId?: string): Promise<Record<string, number>> {
  const rows = await QuotaRow.findAll({ where: { project_id: projectId, user_id: userId ?? '' } });
  return Object.fromEntries(rows.map((r) => [r.resource, r.hard_limit]));
}

/** The sum of the limits set on the users of a project, by resource (Nova's "remains" subtracts it). */
export async function quotaUserLimitSums(projectId: string): Promise<Record<string, number>> {
  const rows = await QuotaRow.findAll({ where: { project_id: projectId, user_id: { [Op.ne]: '' } } });
  const out: Record<string, number> = {};
  for (const r of rows) out[r.resource] = (out[r.resource] ?? 0) + r.hard_limit;
  return out;
}
