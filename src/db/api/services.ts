import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { ServiceNotFound } from '../../exception';
import { ServiceRow } from '../models/service';

export type ServiceObj = ReturnType<ServiceRow['toJSON']> & {
  id: number; uuid: string; host: string; binary: string; topic: string | null; report_count: number; disabled: boolean;
  disabled_reason: string | null; forced_down: boolean; last_seen_up: Date | null; updated_at: Date; created_at: Date;
};

function obj(row: ServiceRow): ServiceObj {
  return row.get({ plain: true }) as ServiceObj;
}

/** Registers a service, or takes over the row a previous run of it left (same host and binary). */
export async function serviceRegister(s: { host: string; binary: string; topic: string | null }): Promise<ServiceObj> {
  const now = new Date();
  const existing = await ServiceRow.findOne({ where: { host: s.host, binary: s.binary } });
  if (existing) {
    await existing.update({ topic: s.topic, last_seen_up: now, report_count: existing.report_count + 1 });
    return obj(existing);
  }
  try {
    return obj(await ServiceRow.create({ uuid: randomUUID(), host: s.host, binary: s.binary, topic: s.topic, last_seen_up: now }));
  } catch (e) {
    // Two processes registering the same service at once: the other one won, use its row.
    const again = await ServiceRow.findOne({ where: { host: s.host, binary: s.binary } });
    if (again) return obj(again);
    throw e;
  }
}

export async function serviceHeartbeat(id: number): Promise<void> {
  const [n] = await ServiceRow.update(
    { last_seen_up: new Date(), report_count: ServiceRow.sequelize!.literal('report_count + 1') },
    { where: { id } },
  );
  if (n === 0) throw new ServiceNotFound({ service_id: id });
}

export interface ServiceFilters { host?: string; binary?: string; disabled?: boolean }

export async function serviceGetAll(f: ServiceFilters = {}): Promise<ServiceObj[]> {
  const where: Record<string, unknown> = {};
  if (f.host) where.host = f.host;
  if (f.binary) where.binary = f.binary;
  if (f.disabled !== undefined) where.disabled = f.disabled;
  return (await ServiceRow.findAll({ where, order: [['id', 'ASC']] })).map(obj);
}

/** By numeric id or by uuid (microversion 2.53 and later). */
export async function serviceGet(id: string | number): Promise<ServiceObj> {
  const where = typeof id === 'number' || /^\d+$/.test(id) ? { id: Number(id) } : { uuid: id };
  const row = await ServiceRow.findOne({ where });
  if (!row) throw new ServiceNotFound({ service_id: id });
  return obj(row);
}

export async function serviceGetByHostAndBinary(host: string, binary: string): Promise<ServiceObj | null> {
  const row = await ServiceRow.findOne({ where: { host, binary } });
  return row ? obj(row) : null;
}

export async function serviceUpdate(id: number, values: Partial<Pick<ServiceObj, 'disabled' | 'disabled_reason' | 'forced_down'>>): Promise<ServiceObj> {
  const row = await ServiceRow.findByPk(id);
  if (!row) throw new ServiceNotFound({ service_id: id });
  await row.update(values);
  return obj(row);
}

export async function serviceDestroy(id: number): Promise<void> {
  await ServiceRow.destroy({ where: { id } });
}

export async function computeHostsUp(downTimeSec: number): Promise<string[]> {
  const since = new Date(Date.now() - downTimeSec * 1000);
  const rows = await ServiceRow.findAll({
    where: { binary: 'nova-compute', disabled: false, forced_down: false, last_seen_up: { [Op.gte]: since } },
    attributes: ['host'],
  });
  return rows.map((r) => r.host);
}
