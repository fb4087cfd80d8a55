import { Op, Transaction, WhereOptions } from 'sequelize';
import { InstanceNotFound, UnexpectedTaskStateError, InvalidInput } from '../../exception';
import { Instance, InstanceUpdate } from '../../objects/instance';
import { InstanceActionRow, InstanceMetadataRow, InstanceRow, InstanceSystemMetadataRow, TagRow } from '../models/instance';
import { paginationWhere } from './paging';
import { serverGroupRemoveInstances } from './server_groups';
import { writeTogether } from './sql';

const DATE_FIELDS = ['launched_at', 'terminated_at', 'scheduled_at', 'deleted_at', 'created_at', 'updated_at'] as const;

function iso(d: unknown): string | null {
  if (d === null || d === undefined) return null;
  return (d instanceof Date ? d : new Date(String(d))).toISOString();
}

function toInstance(row: InstanceRow, meta: Record<string, string>, sys: Record<string, string>, tags: string[]): Instance {
  const o = row.get({ plain: true }) as Record<string, unknown>;
  o.flavor = row.flavor;
  o.network_info = row.network_info;
  o.image_meta = row.image_meta;
  for (const f of DATE_FIELDS) o[f] = iso(o[f]);
  o.deleted = row.deleted !== 0;
  return { ...(o as unknown as Instance), metadata: meta, system_metadata: sys, tags };
}

/** Loads metadata, system metadata and tags of many instances in three queries. */
async function hydrate(rows: InstanceRow[]): Promise<Instance[]> {
  if (rows.length === 0) return [];
  const uuids = rows.map((r) => r.uuid);
  // Plain rows (`raw`): a list of 500 servers reads ~10 system metadata rows each, and building a model
  // object per row costs more than the query.
  type KvRow = { instance_uuid: string; key: string; value: string };
  const [meta, sys, tags] = await Promise.all([
    InstanceMetadataRow.findAll({ where: { instance_uuid: uuids }, attributes: ['instance_uuid', 'key', 'value'], raw: true }) as unknown as Promise<KvRow[]>,
    InstanceSystemMetadataRow.findAll({ where: { instance_uuid: uuids }, attributes: ['instance_uuid', 'key', 'value'], raw: true }) as unknown as Promise<KvRow[]>,
    TagRow.findAll({ where: { resource_id: uuids }, attributes: ['resource_id', 'tag'], raw: true }) as unknown as Promise<Array<{ resource_id: string; tag: string }>>,
  ]);
  const group = <T>(items: T[], key: (t: T) => string) => {
    const m = new Map<string, T[]>();
    for (const i of items) {
      const list = m.get(key(i));
      if (list) list.push(i); else m.set(key(i), [i]);
    }
    return m;
  };
  const metaBy = group(meta, (m) => m.instance_uuid);
  const sysBy = group(sys, (m) => m.instance_uuid);
  const tagsBy = group(tags, (t) => t.resource_id);
  const kv = (items: Array<{ key: string; value: string }> = []) => Object.fromEntries(items.map((i) => [i.key, i.value]));
  return rows.map((r) => toInstance(r, kv(metaBy.get(r.uuid)), kv(sysBy.get(r.uuid)), (tagsBy.get(r.uuid) ?? []).map((t) => t.tag).sort()));
}

export type InstanceCreate = Omit<InstanceUpdate, 'system_metadata'> & {
  uuid: string; display_name: string; project_id: string; user_id: string; vm_state: string; reservation_id: string;
};

export async function instanceCreate(values: InstanceCreate, metadata: Record<string, string> = {}, sysmeta: Record<string, string> = {}, tags: string[] = []): Promise<Instance> {
  const seq = InstanceRow.sequelize!;
  try {
    await writeTogether(seq, (transaction) => insertInstance(values, metadata, sysmeta, tags, transaction));
  } catch (e) {
    if (seq.getDialect() === 'sqlite') await instancePurge([values.uuid]).catch(() => undefined);
    throw e;
  }
  return instanceGet(values.uuid);
}

async function insertInstance(values: InstanceCreate, metadata: Record<string, string>, sysmeta: Record<string, string>, tags: string[], transaction?: Transaction): Promise<void> {
  {
    await InstanceRow.create(values as Record<string, unknown>, { transaction });
    if (Object.keys(metadata).length) {
      await InstanceMetadataRow.bulkCreate(Object.entries(metadata).map(([key, value]) => ({ instance_uuid: values.uuid, key, value })), { transaction });
    }
    if (Object.keys(sysmeta).length) {
      await InstanceSystemMetadataRow.bulkCreate(Object.entries(sysmeta).map(([key, value]) => ({ instance_uuid: values.uuid, key, value })), { transaction });
    }
    if (tags.length) await TagRow.bulkCreate([...new Set(tags)].map((tag) => ({ resource_id: values.uuid, tag })), { transaction });
  }
}

export interface GetOptions { readDeleted?: 'no' | 'yes' | 'only'; projectId?: string | null }

function deletedWhere(readDeleted: 'no' | 'yes' | 'only' = 'no'): WhereOptions {
  if (readDeleted === 'yes') return {};
  return readDeleted === 'only' ? { deleted: { [Op.ne]: 0 } } : { deleted: 0 };
}

/** One instance by uuid; with `projectId`, only if it belongs to that project (else not found). */
export async function instanceGet(uuid: string, opts: GetOptions = {}): Promise<Instance> {
  const where: Record<string, unknown> = { uuid, ...deletedWhere(opts.readDeleted) };
  if (opts.projectId) where.project_id = opts.projectId;
  const row = await InstanceRow.findOne({ where });
  if (!row) throw new InstanceNotFound({ instance_id: uuid });
  return (await hydrate([row]))[0];
}

export async function instanceGetMany(uuids: string[], opts: GetOptions = {}): Promise<Instance[]> {
  return hydrate(await InstanceRow.findAll({ where: { uuid: uuids, ...deletedWhere(opts.readDeleted) } }));
}

function stateWhere(field: string, expected: Array<string | null>): WhereOptions {
  const values = expected.filter((e): e is string => e !== null);
  const parts: WhereOptions[] = [];
  if (values.length) parts.push({ [field]: values });
  if (expected.includes(null)) parts.push({ [field]: null });
  return parts.length === 1 ? parts[0] : { [Op.or]: parts };
}

/**
 * Updates an instance, as a compare-and-swap when `expectedTaskState`/`expectedVmState` are given:
 * the row changes only if it is still in one of those states, else UnexpectedTaskStateError.
 */
export async function instanceUpdate(
  uuid: string,
  updates: InstanceUpdate,
  opts: { expectedTaskState?: Array<string | null>; expectedVmState?: string[] } = {},
): Promise<Instance> {
  const { system_metadata: sys, ...columns } = updates;
  const conditions: WhereOptions[] = [{ uuid, deleted: 0 }];
  if (opts.expectedTaskState) conditions.push(stateWhere('task_state', opts.expectedTaskState));
  if (opts.expectedVmState) conditions.push({ vm_state: opts.expectedVmState });
  // JSON columns (flavor, network_info, image_meta) are serialized by their model setters, which
  // Model.update runs on the values: pass them as objects.
  // `uuid` (unchanged) is always set: Sequelize skips an UPDATE whose only column is updated_at, and
  // an update of system metadata alone must still bump updated_at and check the expected states.
  const values: Record<string, unknown> = { ...columns, uuid, updated_at: new Date() };
  const [n] = await InstanceRow.update(values, { where: { [Op.and]: conditions }, fields: Object.keys(values), silent: true } as never);
  if (n === 0) {
    const current = await InstanceRow.findOne({ where: { uuid, deleted: 0 } });
    if (!current) throw new InstanceNotFound({ instance_id: uuid });
    if (opts.expectedVmState && !opts.expectedVmState.includes(current.vm_state)) {
      throw new UnexpectedTaskStateError({ instance_uuid: uuid, expected: `vm_state ${opts.expectedVmState.join('|')}`, actual: `vm_state ${current.vm_state}` });
    }
    throw new UnexpectedTaskStateError({ instance_uuid: uuid, expected: JSON.stringify(opts.expectedTaskState), actual: String(current.task_state) });
  }
  if (sys) await systemMetadataUpdate(uuid, sys);
  return instanceGet(uuid);
}

async function systemMetadataUpdate(uuid: string, sys: Record<string, string | null>): Promise<void> {
  for (const [key, value] of Object.entries(sys)) {
    await InstanceSystemMetadataRow.destroy({ where: { instance_uuid: uuid, key } });
    if (value !== null) await InstanceSystemMetadataRow.create({ instance_uuid: uuid, key, value });
  }
}

/** Soft-deletes: the row stays (for usage and changes-since) with `deleted` set to its id. */
export async function instanceSoftDestroy(uuid: string): Promise<Instance> {
  const row = await InstanceRow.findOne({ where: { uuid, deleted: 0 } });
  if (!row) throw new InstanceNotFound({ instance_id: uuid });
  const now = new Date();
  // Conditional on `deleted = 0`: of two racing deletes only one changes the row (and releases usage).
  const [n] = await InstanceRow.update(
    { deleted: row.id, deleted_at: now, updated_at: now, terminated_at: row.terminated_at ?? now, vm_state: 'deleted', task_state: null, power_state: 0 },
    { where: { id: row.id, deleted: 0 }, silent: true } as never,
  );
  if (n !== 1) throw new InstanceNotFound({ instance_id: uuid });
  await TagRow.destroy({ where: { resource_id: uuid } });
  await serverGroupRemoveInstances([uuid]);
  await row.reload();
  return (await hydrate([row]))[0];
}

/** Removes rows for good (failed creations that must leave nothing behind). */
export async function instancePurge(uuids: string[]): Promise<void> {
  await InstanceMetadataRow.destroy({ where: { instance_uuid: uuids } });
  await InstanceSystemMetadataRow.destroy({ where: { instance_uuid: uuids } });
  await TagRow.destroy({ where: { resource_id: uuids } });
  await InstanceActionRow.destroy({ where: { instance_uuid: uuids } });
  await serverGroupRemoveInstances(uuids);
  await InstanceRow.destroy({ where: { uuid: uuids } });
}

export async function instanceMetadataSet(uuid: string, metadata: Record<string, string>, replace: boolean): Promise<Record<string, string>> {
  await writeTogether(InstanceRow.sequelize!, async (transaction) => {
    if (replace) await InstanceMetadataRow.destroy({ where: { instance_uuid: uuid }, transaction });
    else await InstanceMetadataRow.destroy({ where: { instance_uuid: uuid, key: Object.keys(metadata) }, transaction });
    await InstanceMetadataRow.bulkCreate(Object.entries(metadata).map(([key, value]) => ({ instance_uuid: uuid, key, value })), { transaction });
  });
  return (await instanceGet(uuid)).metadata;
}

export async function instanceMetadataDelete(uuid: string, key: string): Promise<boolean> {
  return (await InstanceMetadataRow.destroy({ where: { instance_uuid: uuid, key } })) > 0;
}

export async function instanceTagsSet(uuid: string, tags: string[]): Promise<string[]> {
  await writeTogether(InstanceRow.sequelize!, async (transaction) => {
    await TagRow.destroy({ where: { resource_id: uuid }, transaction });
    await TagRow.bulkCreate([...new Set(tags)].map((tag) => ({ resource_id: uuid, tag })), { transaction });
  });
  return [...new Set(tags)].sort();
}

export async function instanceTagAdd(uuid: string, tag: string): Promise<void> {
  await TagRow.findOrCreate({ where: { resource_id: uuid, tag } });
}

export async function instanceTagDelete(uuid: string, tag: string): Promise<boolean> {
  return (await TagRow.destroy({ where: { resource_id: uuid, tag } })) > 0;
}

export interface InstanceFilters {
  project_id?: string;
  user_id?: string;
  uuids?: string[];
  vm_state?: string[];
  task_state?: Array<string | null>;
  host?: string;
  node?: string;
  image_ref?: string;
  /** flavors.id of the flavor the instance was booted with. */
  instance_type_id?: number;
  /** Regular expression on display_name, as Nova's `name` filter. */
  name?: string;
  /** Regular expression on hostname (2.90). */
  hostname?: string;
  power_state?: number;
  progress?: number;
  config_drive?: string;
  reservation_id?: string;
  availability_zone?: string;
  key_name?: string;
  locked?: boolean;
  changes_since?: Date;
  changes_before?: Date;
  tags?: string[];
  tags_any?: string[];
  not_tags?: string[];
  not_tags_any?: string[];
  /** 'no' (default), 'yes' (with deleted), 'only'. */
  read_deleted?: 'no' | 'yes' | 'only';
}

export interface ListOptions {
  sortKeys?: string[];
  sortDirs?: Array<'asc' | 'desc'>;
  limit?: number;
  marker?: string;
}

export const SORTABLE = new Set(['created_at', 'updated_at', 'display_name', 'uuid', 'id', 'host', 'node', 'vm_state', 'task_state',
  'power_state', 'launched_at', 'terminated_at', 'project_id', 'user_id', 'hostname', 'availability_zone', 'key_name',
  'image_ref', 'instance_type_id', 'locked', 'progress', 'reservation_id', 'root_device_name', 'launch_index',
  'display_description', 'kernel_id', 'ramdisk_id', 'access_ip_v4', 'access_ip_v6', 'config_drive', 'memory_mb', 'vcpus',
  'root_gb', 'ephemeral_gb', 'deleted', 'deleted_at', 'os_type', 'architecture', 'vm_mode', 'scheduled_at', 'locked_by', 'auto_disk_config']);

async function tagFilter(f: InstanceFilters): Promise<WhereOptions[]> {
  const out: WhereOptions[] = [];
  const having = async (tags: string[], all: boolean) => {
    const rows = await TagRow.findAll({ where: { tag: tags }, attributes: ['resource_id', 'tag'] });
    const count = new Map<string, number>();
    for (const r of rows) count.set(r.resource_id, (count.get(r.resource_id) ?? 0) + 1);
    return [...count].filter(([, n]) => (all ? n === new Set(tags).size : n > 0)).map(([id]) => id);
  };
  if (f.tags?.length) out.push({ uuid: await having(f.tags, true) });
  if (f.tags_any?.length) out.push({ uuid: await having(f.tags_any, false) });
  if (f.not_tags?.length) out.push({ uuid: { [Op.notIn]: await having(f.not_tags, true) } });
  if (f.not_tags_any?.length) out.push({ uuid: { [Op.notIn]: await having(f.not_tags_any, false) } });
  return out;
}

/** Lists instances with Nova's filters, multi-key sort and marker paging; no per-row queries. */
export async function instanceGetAll(f: InstanceFilters, opts: ListOptions = {}): Promise<Instance[]> {
  const seq = InstanceRow.sequelize!;
  const conds: WhereOptions[] = [deletedWhere(f.read_deleted)];
  const eq: Array<keyof InstanceFilters> = ['project_id', 'user_id', 'host', 'node', 'image_ref', 'reservation_id', 'availability_zone', 'key_name'];
  for (const k of eq) if (f[k] !== undefined) conds.push({ [k]: f[k] });
  if (f.uuids) conds.push({ uuid: f.uuids });
  if (f.vm_state) conds.push({ vm_state: f.vm_state });
  if (f.task_state) conds.push(stateWhere('task_state', f.task_state));
  if (f.locked !== undefined) conds.push({ locked: f.locked });
  if (f.changes_since) conds.push({ updated_at: { [Op.gte]: f.changes_since } });
  if (f.changes_before) conds.push({ updated_at: { [Op.lte]: f.changes_before } });
  if (f.instance_type_id !== undefined) conds.push({ instance_type_id: f.instance_type_id });
  if (f.power_state !== undefined) conds.push({ power_state: f.power_state });
  if (f.progress !== undefined) conds.push({ progress: f.progress });
  if (f.config_drive !== undefined) conds.push({ config_drive: f.config_drive });
  conds.push(...(await tagFilter(f)));
  // Regular-expression filters (Nova's name and, from 2.90, hostname): in SQL where the database has
  // REGEXP, else (SQLite) narrowed by LIKE when the pattern is a plain word and matched here.
  const regexps: Array<[string, RegExp]> = [];
  for (const [column, pattern] of [['display_name', f.name], ['hostname', f.hostname]] as const) {
    if (pattern === undefined) continue;
    try { regexps.push([column, new RegExp(pattern)]); } catch { throw new InvalidInput({}, `Invalid regular expression in filter: ${pattern}`); }
    if (seq.getDialect() === 'postgres' || seq.getDialect() === 'mysql') conds.push({ [column]: { [Op.regexp]: pattern } });
    else if (/^[\w -]+$/.test(pattern)) conds.push({ [column]: { [Op.like]: `%${pattern}%` } });
  }
  const inMemory = regexps.length > 0 && seq.getDialect() === 'sqlite';
  const sortKeys = opts.sortKeys?.length ? [...opts.sortKeys] : ['created_at'];
  const sortDirs = sortKeys.map((_, i) => opts.sortDirs?.[i] ?? opts.sortDirs?.[0] ?? 'desc');
  for (const k of sortKeys) if (!SORTABLE.has(k)) throw new InvalidInput({ reason: `sort key ${k} is not supported` });
  // A unique last key makes paging stable.
  if (!sortKeys.includes('id')) { sortKeys.push('id'); sortDirs.push(sortDirs[0]); }
  if (opts.marker) {
    const m = await InstanceRow.findOne({ where: { uuid: opts.marker } });
    if (!m) throw new InvalidInput({}, `marker [${opts.marker}] not found`);
    conds.push(paginationWhere(sortKeys, sortDirs, m.get({ plain: true }) as Record<string, unknown>));
  }
  let rows = await InstanceRow.findAll({
    where: { [Op.and]: conds },
    order: sortKeys.map((k, i) => [k, sortDirs[i].toUpperCase()]),
    limit: inMemory ? undefined : opts.limit,
  });
  if (inMemory) {
    rows = rows.filter((r) => regexps.every(([column, re]) => re.test(String(r.get(column) ?? ''))));
    if (opts.limit !== undefined) rows = rows.slice(0, opts.limit);
  }
  return hydrate(rows);
}

export async function instanceCount(where: { project_id?: string; user_id?: string; host?: string }): Promise<number> {
  return InstanceRow.count({ where: { ...where, deleted: 0 } });
}
