import { randomUUID } from 'node:crypto';
import { Op, WhereOptions } from 'sequelize';
import { InvalidMigrationStatus, MarkerNotFound, MigrationNotFound } from '../../exception';
import { MigrationRow } from '../models/migration';
import { paginationWhere } from './paging';

export type MigrationType = 'resize' | 'migration' | 'live-migration' | 'evacuation';

/** A migration as services pass it around: plain JSON, dates as ISO strings. */
export interface MigrationObj {
  id: number; uuid: string; instance_uuid: string; migration_type: MigrationType; status: string;
  source_compute: string | null; source_node: string | null; source_node_id: number | null;
  dest_compute: string | null; dest_node: string | null; dest_node_id: number | null; dest_host: string | null;
  old_instance_type_id: number | null; new_instance_type_id: number | null;
  user_id: string | null; project_id: string | null; hidden: boolean;
  created_at: string; updated_at: string; deleted_at: string | null; deleted: boolean;
}

/** Statuses after which a migration holds nothing any more (Nova's finished states). */
export const FINAL_STATUSES = ['confirmed', 'reverted', 'error', 'failed', 'completed', 'cancelled', 'done'];

function obj(r: MigrationRow): MigrationObj {
  const o = r.get({ plain: true }) as Record<string, unknown>;
  for (const k of ['created_at', 'updated_at', 'deleted_at']) o[k] = o[k] ? new Date(o[k] as string).toISOString() : null;
  o.deleted = r.deleted !== 0;
  return o as unknown as MigrationObj;
}

export type MigrationCreate = Pick<MigrationObj, 'instance_uuid' | 'migration_type' | 'status'> & Partial<Omit<MigrationObj, 'id' | 'created_at' | 'updated_at'>>;

export async function migrationCreate(v: MigrationCreate): Promise<MigrationObj> {
  return obj(await MigrationRow.create({ uuid: randomUUID(), ...v, deleted: 0 }));
}

/** By numeric id or uuid; with `instanceUuid`, only a migration of that instance. */
export async function migrationGet(id: number | string, instanceUuid?: string): Promise<MigrationObj> {
  const where: Record<string, unknown> = typeof id === 'number' || /^\d+$/.test(id) ? { id: Number(id) } : { uuid: id };
  if (instanceUuid) where.instance_uuid = instanceUuid;
  const row = await MigrationRow.findOne({ where });
  if (!row) throw new MigrationNotFound({ migration_id: id });
  return obj(row);
}

/** Updates a migration; with `expectedStatus`, only if it is still in one of those statuses. */
export async function migrationUpdate(id: number, values: Partial<Omit<MigrationObj, 'id' | 'uuid' | 'created_at' | 'updated_at'>>, expectedStatus?: string[]): Promise<MigrationObj> {
  const where: Record<string, unknown> = { id };
  if (expectedStatus) where.status = expectedStatus;
  const [n] = await MigrationRow.update({ ...values, updated_at: new Date() } as never, { where, silent: true } as never);
  const now = await migrationGet(id);
  if (n === 0 && expectedStatus) {
    throw new InvalidMigrationStatus({ migration_id: id, status: now.status, expected: expectedStatus.join('|') });
  }
  return now;
}

/** The unfinished migrations of an instance (newest first), optionally of one type. */
export async function migrationsInProgress(instanceUuid: string, type?: MigrationType): Promise<MigrationObj[]> {
  const where: Record<string | symbol, unknown> = { instance_uuid: instanceUuid, status: { [Op.notIn]: FINAL_STATUSES }, deleted: 0 };
  if (type) where.migration_type = type;
  return (await MigrationRow.findAll({ where, order: [['id', 'DESC']] })).map(obj);
}

/** The latest migration of an instance in one of `statuses` (e.g. the `finished` one of a resize). */
export async function migrationByInstanceAndStatus(instanceUuid: string, statuses: string[]): Promise<MigrationObj | null> {
  const row = await MigrationRow.findOne({ where: { instance_uuid: instanceUuid, status: statuses }, order: [['id', 'DESC']] });
  return row ? obj(row) : null;
}

export interface MigrationFilters {
  instance_uuid?: string;
  status?: string;
  migration_type?: string;
  /** Migrations from or to this host. */
  host?: string;
  source_compute?: string;
  project_id?: string;
  user_id?: string;
  changes_since?: Date;
  changes_before?: Date;
}

/** Lists migrations newest first (created_at, id), with marker (a migration uuid) paging. */
export async function migrationList(f: MigrationFilters, opts: { limit?: number; marker?: string } = {}): Promise<MigrationObj[]> {
  const conds: WhereOptions[] = [{ hidden: false }];
  for (const k of ['instance_uuid', 'status', 'migration_type', 'source_compute', 'project_id', 'user_id'] as const) {
    if (f[k] !== undefined) conds.push({ [k]: f[k] });
  }
  if (f.host) conds.push({ [Op.or]: [{ source_compute: f.host }, { dest_compute: f.host }] });
  if (f.changes_since) conds.push({ updated_at: { [Op.gte]: f.changes_since } });
  if (f.changes_before) conds.push({ updated_at: { [Op.lte]: f.changes_before } });
  const keys = ['created_at', 'id'];
  const dirs: Array<'asc' | 'desc'> = ['desc', 'desc'];
  if (opts.marker) {
    const m = await MigrationRow.findOne({ where: { uuid: opts.marker } });
    if (!m) throw new MarkerNotFound({ marker: opts.marker });
    conds.push(paginationWhere(keys, dirs, m.get({ plain: true }) as Record<string, unknown>));
  }
  const rows = await MigrationRow.findAll({ where: { [Op.and]: conds }, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: opts.limit });
  return rows.map(obj);
}

