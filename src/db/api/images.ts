import { Op, Sequelize, Transaction, WhereOptions } from 'sequelize';
import { Image } from '../../image/api';
import { ImagePropertyRow, ImageRow, ImageTagRow } from '../models/image';
import { paginationWhere } from './paging';

/** An image as the built-in Image service keeps it: what the API shows, plus where its data is. */
export interface ImageRecord extends Image {
  os_hidden: boolean;
  location: string | null;
  deleted: boolean;
}

/** The base attributes a caller may set when creating or updating. */
export type ImageValues = Partial<Pick<ImageRecord, 'name' | 'disk_format' | 'container_format' | 'visibility' | 'owner' |
  'min_disk' | 'min_ram' | 'protected' | 'os_hidden' | 'status' | 'size' | 'virtual_size' | 'checksum' | 'os_hash_algo' |
  'os_hash_value' | 'location'>>;

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

function toRecord(row: ImageRow, props: Record<string, string>, tags: string[]): ImageRecord {
  return {
    id: row.id, name: row.name, status: row.status as Image['status'], visibility: row.visibility as Image['visibility'],
    owner: row.owner, disk_format: row.disk_format, container_format: row.container_format, size: num(row.size),
    virtual_size: num(row.virtual_size), checksum: row.checksum, os_hash_algo: row.os_hash_algo, os_hash_value: row.os_hash_value,
    min_disk: row.min_disk, min_ram: row.min_ram, protected: !!row.protected, os_hidden: !!row.os_hidden, tags,
    created_at: new Date(row.created_at).toISOString(), updated_at: new Date(row.updated_at).toISOString(),
    properties: props, location: row.location, deleted: !!row.deleted,
  };
}

/** Loads the properties and tags of many images in two queries. */
async function hydrate(rows: ImageRow[], transaction?: Transaction): Promise<ImageRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const props = await ImagePropertyRow.findAll({ where: { image_id: ids }, order: [['name', 'ASC']], transaction });
  const tags = await ImageTagRow.findAll({ where: { image_id: ids }, order: [['value', 'ASC']], transaction });
  const propsBy = new Map<string, Record<string, string>>();
  for (const p of props) propsBy.set(p.image_id, { ...propsBy.get(p.image_id), [p.name]: p.value ?? '' });
  const tagsBy = new Map<string, string[]>();
  for (const t of tags) tagsBy.set(t.image_id, [...(tagsBy.get(t.image_id) ?? []), t.value]);
  return rows.map((r) => toRecord(r, propsBy.get(r.id) ?? {}, tagsBy.get(r.id) ?? []));
}

function seq(): Sequelize {
  return ImageRow.sequelize!;
}

/**
 * Values that bump updated_at. Sequelize skips an UPDATE whose only column is the timestamp, so the
 * (unchanged) `deleted` flag rides along; callers match `deleted: false` anyway.
 */
export function touch(): { updated_at: Date; deleted: false } {
  return { updated_at: new Date(), deleted: false };
}

/** Creates an image with its properties and tags in one transaction. */
export async function imageCreate(id: string, values: ImageValues, props: Record<string, string>, tags: string[]): Promise<ImageRecord> {
  await seq().transaction(async (transaction) => {
    await ImageRow.create({ id, status: 'queued', visibility: 'shared', ...values }, { transaction });
    const entries = Object.entries(props);
    if (entries.length) await ImagePropertyRow.bulkCreate(entries.map(([name, value]) => ({ image_id: id, name, value })), { transaction });
    const unique = [...new Set(tags)];
    if (unique.length) await ImageTagRow.bulkCreate(unique.map((value) => ({ image_id: id, value })), { transaction });
  });
  return (await imageGet(id))!;
}

/** One image by id, deleted ones only when asked; null when absent. Visibility is the caller's business. */
export async function imageGet(id: string, opts: { includeDeleted?: boolean; transaction?: Transaction } = {}): Promise<ImageRecord | null> {
  const where: WhereOptions = opts.includeDeleted ? { id } : { id, deleted: false };
  const row = await ImageRow.findOne({ where, transaction: opts.transaction });
  return row ? (await hydrate([row], opts.transaction))[0] : null;
}

export interface ImageChanges {
  values?: ImageValues;
  /** Custom properties to set (added or replaced). */
  setProps?: Record<string, string>;
  removeProps?: string[];
  /** The whole tag list, when it changes. */
  tags?: string[];
}

/**
 * Applies changes in one transaction; `expectStatus` makes it a compare-and-swap on the status
 * (null is returned when the image is gone or no longer in one of those statuses).
 */
export async function imageUpdate(id: string, changes: ImageChanges, expectStatus?: string[]): Promise<ImageRecord | null> {
  const done = await seq().transaction(async (transaction) => {
    const where: WhereOptions = expectStatus ? { id, deleted: false, status: expectStatus } : { id, deleted: false };
    // Found rows, not MySQL's changed-rows count, decide: an update may change nothing within a second.
    if (!(await ImageRow.findOne({ where, transaction, lock: transaction.LOCK.UPDATE }))) return false;
    await ImageRow.update({ ...changes.values, ...touch() }, { where, transaction });
    if (changes.removeProps?.length) await ImagePropertyRow.destroy({ where: { image_id: id, name: changes.removeProps }, transaction });
    const set = Object.entries(changes.setProps ?? {});
    if (set.length) {
      await ImagePropertyRow.destroy({ where: { image_id: id, name: set.map(([k]) => k) }, transaction });
      await ImagePropertyRow.bulkCreate(set.map(([name, value]) => ({ image_id: id, name, value })), { transaction });
    }
    if (changes.tags) {
      await ImageTagRow.destroy({ where: { image_id: id }, transaction });
      const unique = [...new Set(changes.tags)];
      if (unique.length) await ImageTagRow.bulkCreate(unique.map((value) => ({ image_id: id, value })), { transaction });
    }
    return true;
  });
  return done ? imageGet(id) : null;
}

/** Marks an image deleted, as Glance does (its id is never reused); returns false when already gone. */
export async function imageSoftDelete(id: string): Promise<boolean> {
  const now = new Date();
  const [n] = await ImageRow.update({ deleted: true, deleted_at: now, status: 'deleted', updated_at: now }, { where: { id, deleted: false } });
  return n > 0;
}

/** Adds one tag (idempotent); false when the image is gone. */
export async function imageTagAdd(id: string, tag: string): Promise<boolean> {
  return seq().transaction(async (transaction) => {
    if (!(await ImageRow.findOne({ where: { id, deleted: false }, transaction, lock: transaction.LOCK.UPDATE }))) return false;
    await ImageRow.update(touch(), { where: { id, deleted: false }, transaction });
    await ImageTagRow.findOrCreate({ where: { image_id: id, value: tag }, transaction });
    return true;
  });
}

/** Removes one tag; false when the image does not carry it. */
export async function imageTagRemove(id: string, tag: string): Promise<boolean> {
  const n = await ImageTagRow.destroy({ where: { image_id: id, value: tag } });
  if (n > 0) await ImageRow.update(touch(), { where: { id, deleted: false } });
  return n > 0;
}

/** Who is listing: admins see every image, others what Glance's visibility rules allow. */
export interface ImageViewer { projectId: string | null; isAdmin: boolean }

export interface ImageListQuery {
  viewer: ImageViewer;
  /** public, private, shared, community or all; absent: Glance's default (no foreign community images). */
  visibility?: string;
  /** Membership status a shared image must have to be listed for a member ('all' for any). */
  memberStatus: string;
  /** Equality or `in` conditions on base columns. */
  columns: Array<{ key: string; op: 'eq' | 'in' | 'gte' | 'lte' | 'gt' | 'lt' | 'neq'; value: unknown }>;
  /** Custom property equality filters. */
  props: Record<string, string>;
  /** Every tag must be present. */
  tags: string[];
  sortKeys: string[];
  sortDirs: Array<'asc' | 'desc'>;
  marker?: ImageRecord;
  limit: number;
}

const OPS = { eq: Op.eq, in: Op.in, gte: Op.gte, lte: Op.lte, gt: Op.gt, lt: Op.lt, neq: Op.ne } as const;

/** The images a viewer may list, filtered, sorted and paged after `marker` (Glance's image_get_all). */
export async function imageList(q: ImageListQuery): Promise<ImageRecord[]> {
  const s = seq();
  const esc = (v: string) => s.escape(v);
  const conds: WhereOptions[] = [{ deleted: false }];
  const project = q.viewer.projectId;
  if (!q.viewer.isAdmin) {
    const reachable: WhereOptions[] = [{ visibility: ['public', 'community'] }];
    if (project) {
      reachable.push({ owner: project });
      const status = q.memberStatus === 'all' ? '' : ` AND status = ${esc(q.memberStatus)}`;
      reachable.push({
        [Op.and]: [{ visibility: 'shared' },
          { id: { [Op.in]: Sequelize.literal(`(SELECT image_id FROM image_members WHERE member = ${esc(project)}${status})`) } }],
      });
    }
    conds.push({ [Op.or]: reachable });
  }
  if (q.visibility && q.visibility !== 'all') conds.push({ visibility: q.visibility });
  else if (!q.visibility) conds.push(project ? { [Op.or]: [{ owner: project }, { visibility: { [Op.ne]: 'community' } }] } : { visibility: { [Op.ne]: 'community' } });
  for (const c of q.columns) conds.push({ [c.key]: { [OPS[c.op]]: c.value } });
  for (const [name, value] of Object.entries(q.props)) {
    conds.push({ id: { [Op.in]: Sequelize.literal(`(SELECT image_id FROM image_properties WHERE name = ${esc(name)} AND value = ${esc(value)})`) } });
  }
  for (const tag of q.tags) {
    conds.push({ id: { [Op.in]: Sequelize.literal(`(SELECT image_id FROM image_tags WHERE value = ${esc(tag)})`) } });
  }
  if (q.marker) {
    const m = q.marker as unknown as Record<string, unknown>;
    const markerValues = Object.fromEntries(q.sortKeys.map((k) => [k, k.endsWith('_at') ? new Date(String(m[k])) : m[k]]));
    conds.push(paginationWhere(q.sortKeys, q.sortDirs, markerValues));
  }
  // NULLs sort first ascending on SQLite and MySQL; PostgreSQL is told the same, so markers page alike.
  const nulls = s.getDialect() === 'postgres' ? (d: string) => (d === 'asc' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST') : (d: string) => d.toUpperCase();
  const rows = await ImageRow.findAll({ where: { [Op.and]: conds }, order: q.sortKeys.map((k, i) => [k, nulls(q.sortDirs[i])]), limit: q.limit });
  return hydrate(rows);
}
