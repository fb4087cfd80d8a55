import { Op, WhereOptions } from 'sequelize';
import { FloatingIpRow } from '../models/network';
import { updateCount } from './sql';

export interface FloatingIpObj {
  id: number;
  address: string;
  fixed_ip_id: number | null;
  project_id: string | null;
  host: string | null;
  auto_assigned: boolean;
  pool: string;
  interface: string | null;
}

function obj(r: FloatingIpRow): FloatingIpObj {
  return {
    id: r.id, address: r.address, fixed_ip_id: r.fixed_ip_id, project_id: r.project_id, host: r.host,
    auto_assigned: !!r.auto_assigned, pool: r.pool, interface: r.interface,
  };
}

export async function floatingIpsBulkCreate(rows: Array<{ address: string; pool: string; interface: string | null }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await FloatingIpRow.bulkCreate(rows.slice(i, i + 1000));
}

export async function floatingIpGetById(id: number): Promise<FloatingIpObj | null> {
  const r = await FloatingIpRow.findByPk(id);
  return r ? obj(r) : null;
}

export async function floatingIpGetByAddress(address: string): Promise<FloatingIpObj | null> {
  const r = await FloatingIpRow.findOne({ where: { address } });
  return r ? obj(r) : null;
}

export async function floatingIpsWhere(where: WhereOptions): Promise<FloatingIpObj[]> {
  return (await FloatingIpRow.findAll({ where, order: [['id', 'ASC']] })).map(obj);
}

export const floatingIpsByProject = (projectId: string) => floatingIpsWhere({ project_id: projectId });
export const floatingIpsByFixedIps = (ids: number[]) => (ids.length ? floatingIpsWhere({ fixed_ip_id: { [Op.in]: ids } }) : Promise.resolve([]));

export async function floatingIpPoolNames(): Promise<string[]> {
  const rows = await FloatingIpRow.findAll({ attributes: ['pool'], group: ['pool'], order: [['pool', 'ASC']] });
  return rows.map((r) => r.pool);
}

export async function floatingIpCountInPool(pool: string): Promise<number> {
  return FloatingIpRow.count({ where: { pool } });
}

/** Hands a free address of the pool to a project by a conditional UPDATE (Nova's floating_ip_allocate_address). */
export async function floatingIpAllocate(projectId: string, pool: string, autoAssigned: boolean): Promise<FloatingIpObj | null> {
  const seq = FloatingIpRow.sequelize!;
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidates = await FloatingIpRow.findAll({ where: { pool, project_id: null, fixed_ip_id: null }, order: [['id', 'ASC']], limit: 5 });
    if (!candidates.length) return null;
    for (const c of candidates) {
      const won = await updateCount(seq,
        'UPDATE floating_ips SET project_id = :p, auto_assigned = :auto, updated_at = :now WHERE id = :id AND project_id IS NULL AND fixed_ip_id IS NULL',
        { p: projectId, auto: autoAssigned, id: c.id, now: new Date() });
      if (won === 1) return floatingIpGetById(c.id);
    }
  }
  return null;
}

/** Gives an unassociated address back to its pool; false when it is associated (or already free). */
export async function floatingIpDeallocate(address: string): Promise<boolean> {
  const n = await updateCount(FloatingIpRow.sequelize!,
    'UPDATE floating_ips SET project_id = NULL, host = NULL, auto_assigned = :no, updated_at = :now WHERE address = :a AND fixed_ip_id IS NULL AND project_id IS NOT NULL',
    { a: address, no: false, now: new Date() });
  return n === 1;
}

/** Points an unassociated address at a fixed IP served by `host`; false when it is associated already. */
export async function floatingIpAssociate(address: string, fixedIpId: number, host: string | null): Promise<boolean> {
  const n = await updateCount(FloatingIpRow.sequelize!,
    'UPDATE floating_ips SET fixed_ip_id = :f, host = :h, updated_at = :now WHERE address = :a AND fixed_ip_id IS NULL',
    { a: address, f: fixedIpId, h: host, now: new Date() });
  return n === 1;
}

/** Clears the association; returns the fixed IP id it had (null when it had none). */
export async function floatingIpDisassociate(address: string): Promise<number | null> {
  const before = await floatingIpGetByAddress(address);
  if (!before?.fixed_ip_id) return null;
  const n = await updateCount(FloatingIpRow.sequelize!,
    'UPDATE floating_ips SET fixed_ip_id = NULL, host = NULL, updated_at = :now WHERE address = :a AND fixed_ip_id = :f',
    { a: address, f: before.fixed_ip_id, now: new Date() });
  return n === 1 ? before.fixed_ip_id : null;
}
