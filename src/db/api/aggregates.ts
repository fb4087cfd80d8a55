import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { AggregateHostRow, AggregateMetadataRow, AggregateRow } from '../models/scheduler';
import { writeTogether } from './sql';

export interface AggregateObj {
  id: number;
  uuid: string;
  name: string;
  hosts: string[];
  metadata: Record<string, string>;
  created_at: string;
  updated_at: string | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

async function hydrate(rows: AggregateRow[]): Promise<AggregateObj[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [hosts, meta] = await Promise.all([
    AggregateHostRow.findAll({ where: { aggregate_id: ids }, order: [['id', 'ASC']] }),
    AggregateMetadataRow.findAll({ where: { aggregate_id: ids }, order: [['id', 'ASC']] }),
  ]);
  return rows.map((r) => ({
    id: r.id, uuid: r.uuid, name: r.name, created_at: iso(r.created_at)!, updated_at: iso(r.updated_at),
    hosts: hosts.filter((h) => h.aggregate_id === r.id).map((h) => h.host),
    metadata: Object.fromEntries(meta.filter((m) => m.aggregate_id === r.id).map((m) => [m.key, m.value])),
  }));
}

export async function aggregateGetAll(): Promise<AggregateObj[]> {
  return hydrate(await AggregateRow.findAll({ order: [['id', 'ASC']] }));
}

/** By integer id or uuid; null when there is none. */
export async function aggregateFind(id: string | number): Promise<AggregateObj | null> {
  const key = String(id);
  const row = /^\d+$/.test(key) ? await AggregateRow.findByPk(Number(key)) : await AggregateRow.findOne({ where: { uuid: key } });
  return row ? (await hydrate([row]))[0] : null;
}

export async function aggregateNameTaken(name: string, exceptId?: number): Promise<boolean> {
  return (await AggregateRow.count({ where: { name, ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) } })) > 0;
}

export async function aggregateCreate(name: string, metadata: Record<string, string>): Promise<AggregateObj> {
  const seq = AggregateRow.sequelize!;
  const id = await writeTogether(seq, async (transaction) => {
    const row = await AggregateRow.create({ uuid: randomUUID(), name }, { transaction });
    for (const [key, value] of Object.entries(metadata)) await AggregateMetadataRow.create({ aggregate_id: row.id, key, value }, { transaction });
    return row.id;
  });
  return (await aggregateFind(id))!;
}

export async function aggregateRename(id: number, name: string): Promise<void> {
  await AggregateRow.update({ name }, { where: { id } });
}

/** Sets the given keys and deletes those given as null. */
export async function aggregateMetadataUpdate(id: number, changes: Record<string, string | null>): Promise<void> {
  const seq = AggregateRow.sequelize!;
  await writeTogether(seq, async (transaction) => {
    for (const [key, value] of Object.entries(changes)) {
      await AggregateMetadataRow.destroy({ where: { aggregate_id: id, key }, transaction });
      if (value !== null) await AggregateMetadataRow.create({ aggregate_id: id, key, value }, { transaction });
    }
    await AggregateRow.update({ updated_at: new Date() }, { where: { id }, transaction });
  });
}

export async function aggregateHostAdd(id: number, host: string): Promise<void> {
  await AggregateHostRow.create({ aggregate_id: id, host });
}

export async function aggregateHostRemove(id: number, host: string): Promise<boolean> {
  return (await AggregateHostRow.destroy({ where: { aggregate_id: id, host } })) > 0;
}

export async function aggregateDestroy(id: number): Promise<void> {
  const seq = AggregateRow.sequelize!;
  await writeTogether(seq, async (transaction) => {
    await AggregateMetadataRow.destroy({ where: { aggregate_id: id }, transaction });
    await AggregateHostRow.destroy({ where: { aggregate_id: id }, transaction });
    await AggregateRow.destroy({ where: { id }, transaction });
  });
}

/** The aggregates of each host, with metadata, in three queries (scheduler and AZ lookups). */
export async function aggregatesByHost(): Promise<Map<string, AggregateObj[]>> {
  const out = new Map<string, AggregateObj[]>();
  for (const agg of await aggregateGetAll()) for (const h of agg.hosts) out.set(h, [...(out.get(h) ?? []), agg]);
  return out;
}

/** Each host's availability zone as its aggregates set it (hosts without one are absent). */
export async function aggregateZonesByHost(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [host, aggs] of await aggregatesByHost()) {
    const zone = aggs.map((a) => a.metadata.availability_zone).find((z) => z);
    if (zone) out.set(host, zone);
  }
  return out;
}
