import { Op, WhereOptions } from 'sequelize';
import { NetworkRow } from '../models/network';
import { updateCount } from './sql';

export interface NetworkObj {
  id: number; uuid: string; label: string | null; injected: boolean; cidr: string | null; cidr_v6: string | null; multi_host: boolean;
  netmask: string | null; netmask_v6: string | null; gateway: string | null; gateway_v6: string | null; broadcast: string | null;
  dns1: string | null; dns2: string | null; bridge: string | null; bridge_interface: string | null; vlan: number | null;
  vpn_public_address: string | null; vpn_public_port: number | null; vpn_private_address: string | null; dhcp_start: string | null;
  dhcp_server: string | null; enable_dhcp: boolean; share_address: boolean; mtu: number | null; rxtx_base: number | null;
  priority: number | null; project_id: string | null; host: string | null; created_at: Date; updated_at: Date;
}

export type NetworkCreate = Partial<Omit<NetworkObj, 'id' | 'created_at' | 'updated_at'>> & { uuid: string };

function obj(r: NetworkRow): NetworkObj {
  return r.get({ plain: true }) as NetworkObj;
}

export async function networkCreate(v: NetworkCreate): Promise<NetworkObj> {
  const row = await NetworkRow.create(v);
  // Read back: a created instance only carries the columns it was given.
  return (await networkGetById(row.id))!;
}

export async function networkGetById(id: number): Promise<NetworkObj | null> {
  const r = await NetworkRow.findByPk(id);
  return r ? obj(r) : null;
}

export async function networkGetByUuid(uuid: string): Promise<NetworkObj | null> {
  const r = await NetworkRow.findOne({ where: { uuid } });
  return r ? obj(r) : null;
}

export async function networkGetAll(where: WhereOptions = {}): Promise<NetworkObj[]> {
  return (await NetworkRow.findAll({ where, order: [['id', 'ASC']] })).map(obj);
}

/** Networks a project may use: its own and, unless `ownOnly`, those of no project. */
export async function networkGetForProject(projectId: string, ownOnly = false): Promise<NetworkObj[]> {
  return networkGetAll(ownOnly ? { project_id: projectId } : { [Op.or]: [{ project_id: projectId }, { project_id: null }] });
}

export async function networkUpdate(id: number, values: Partial<NetworkCreate>): Promise<void> {
  await NetworkRow.update(values, { where: { id } });
}

export async function networkDestroy(id: number): Promise<void> {
  await NetworkRow.destroy({ where: { id } });
}

/** Makes `host` the network host unless one already is; returns the host that won. */
export async function networkSetHostIfUnset(id: number, host: string): Promise<string | null> {
  await updateCount(NetworkRow.sequelize!, 'UPDATE networks SET host = :host, updated_at = :now WHERE id = :id AND host IS NULL', { id, host, now: new Date() });
  return (await networkGetById(id))?.host ?? null;
}

/**
 * Gives a project one network nobody has (VlanManager's on-demand association), or the one named by
 * `id` when it is free. One conditional UPDATE per candidate, so two projects never get the same one.
 */
export async function networkAssociateFree(projectId: string, id?: number): Promise<NetworkObj | null> {
  const candidates = await NetworkRow.findAll({ where: { project_id: null, ...(id !== undefined ? { id } : {}) }, order: [['id', 'ASC']], limit: 20 });
  for (const c of candidates) {
    const won = await updateCount(NetworkRow.sequelize!, 'UPDATE networks SET project_id = :p, updated_at = :now WHERE id = :id AND project_id IS NULL',
      { p: projectId, id: c.id, now: new Date() });
    if (won === 1) return networkGetById(c.id);
  }
  return null;
}

export async function networkUsedVlans(): Promise<number[]> {
  return (await NetworkRow.findAll({ where: { vlan: { [Op.ne]: null } }, attributes: ['vlan'] })).map((r) => r.vlan as number);
}
