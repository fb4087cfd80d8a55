import { Op, WhereOptions } from 'sequelize';
import { InstanceRow } from '../models/instance';
import { FixedIpRow } from '../models/network';
import { updateCount } from './sql';

export interface FixedIpObj {
  id: number;
  address: string;
  network_id: number;
  virtual_interface_id: number | null;
  instance_uuid: string | null;
  allocated: boolean;
  leased: boolean;
  reserved: boolean;
  host: string | null;
  updated_at: Date;
}

function obj(r: FixedIpRow): FixedIpObj {
  return {
    id: r.id, address: r.address, network_id: r.network_id, virtual_interface_id: r.virtual_interface_id, instance_uuid: r.instance_uuid,
    allocated: !!r.allocated, leased: !!r.leased, reserved: !!r.reserved, host: r.host, updated_at: r.updated_at,
  };
}

/** Makes the address rows of a new network, in chunks (a /16 is 65536 rows). */
export async function fixedIpsBulkCreate(rows: Array<{ address: string; network_id: number; reserved: boolean }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await FixedIpRow.bulkCreate(rows.slice(i, i + 1000));
}

export async function fixedIpGetByAddress(address: string): Promise<FixedIpObj | null> {
  const r = await FixedIpRow.findOne({ where: { address } });
  return r ? obj(r) : null;
}

export async function fixedIpGetById(id: number): Promise<FixedIpObj | null> {
  const r = await FixedIpRow.findByPk(id);
  return r ? obj(r) : null;
}

export async function fixedIpsWhere(where: WhereOptions): Promise<FixedIpObj[]> {
  return (await FixedIpRow.findAll({ where, order: [['id', 'ASC']] })).map(obj);
}

export const fixedIpsByInstance = (instanceUuid: string) => fixedIpsWhere({ instance_uuid: instanceUuid });
export const fixedIpsByInstances = (uuids: string[]) => (uuids.length ? fixedIpsWhere({ instance_uuid: { [Op.in]: uuids } }) : Promise.resolve([]));

/** Addresses of a network held by an instance or a host (the DHCP server addresses of multi_host). */
export async function fixedIpsInUse(networkId: number): Promise<FixedIpObj[]> {
  return fixedIpsWhere({ network_id: networkId, [Op.or]: [{ instance_uuid: { [Op.ne]: null } }, { host: { [Op.ne]: null } }] });
}

export interface AssociateTarget { networkId: number; instanceUuid?: string; host?: string; vifId?: number }

/**
 * Takes the free address of a network that was released longest ago (Nova's fixed_ip_associate_pool)
 * by a conditional UPDATE; a row taken meanwhile by another request is skipped for the next one.
 * Null when the network has none left.
 */
export async function fixedIpAssociatePool(t: AssociateTarget): Promise<FixedIpObj | null> {
  const seq = FixedIpRow.sequelize!;
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidates = await FixedIpRow.findAll({
      where: { network_id: t.networkId, reserved: false, instance_uuid: null, host: null, leased: false },
      order: [['updated_at', 'ASC'], ['id', 'ASC']], limit: 5,
    });
    if (!candidates.length) return null;
    for (const c of candidates) {
      const won = await updateCount(seq,
        `UPDATE fixed_ips SET instance_uuid = :instance, host = :host, virtual_interface_id = :vif, allocated = :allocated, updated_at = :now
         WHERE id = :id AND instance_uuid IS NULL AND host IS NULL AND reserved = :no AND leased = :no`,
        { id: c.id, instance: t.instanceUuid ?? null, host: t.host ?? null, vif: t.vifId ?? null, allocated: t.vifId !== undefined, no: false, now: new Date() });
      if (won === 1) return fixedIpGetById(c.id);
    }
  }
  return null;
}

/** Takes one named address of the network for an instance; false when someone holds it or it is reserved. */
export async function fixedIpAssociateAddress(address: string, t: AssociateTarget): Promise<boolean> {
  const won = await updateCount(FixedIpRow.sequelize!,
    `UPDATE fixed_ips SET instance_uuid = :instance, virtual_interface_id = :vif, allocated = :allocated, updated_at = :now
     WHERE address = :address AND network_id = :net AND instance_uuid IS NULL AND host IS NULL AND reserved = :no`,
    { address, net: t.networkId, instance: t.instanceUuid ?? null, vif: t.vifId ?? null, allocated: t.vifId !== undefined, no: false, now: new Date() });
  return won === 1;
}

/**
 * Gives an address back to its network (Nova's disassociate): no instance, interface or lease. With
 * `instanceUuid`, only while that instance holds it; true when this call released it.
 */
export async function fixedIpDisassociate(id: number, instanceUuid?: string): Promise<boolean> {
  const n = await updateCount(FixedIpRow.sequelize!,
    `UPDATE fixed_ips SET instance_uuid = NULL, virtual_interface_id = NULL, allocated = :no, leased = :no, host = NULL, updated_at = :now
     WHERE id = :id${instanceUuid ? ' AND instance_uuid = :uuid' : ''}`,
    { id, uuid: instanceUuid ?? null, no: false, now: new Date() });
  return n === 1;
}

export async function fixedIpSetReserved(address: string, reserved: boolean): Promise<boolean> {
  const [n] = await FixedIpRow.update({ reserved }, { where: { address } });
  return n > 0;
}

/** Records which addresses of a network dnsmasq has leased now (the rest are not leased). */
export async function fixedIpsSetLeased(networkId: number, leased: string[]): Promise<void> {
  await FixedIpRow.update({ leased: true }, { where: { network_id: networkId, address: { [Op.in]: leased }, leased: false } });
  await FixedIpRow.update({ leased: false }, { where: { network_id: networkId, address: { [Op.notIn]: leased.length ? leased : [''] }, leased: true } });
}

export async function fixedIpsDestroyForNetwork(networkId: number): Promise<void> {
  await FixedIpRow.destroy({ where: { network_id: networkId } });
}

/** What nova-network needs of instances (name for DHCP, host for multi_host), deleted ones included. */
export interface InstanceBrief { uuid: string; hostname: string | null; display_name: string; host: string | null; project_id: string; deleted: boolean; id: number }

export async function instancesBrief(uuids: string[]): Promise<Map<string, InstanceBrief>> {
  if (!uuids.length) return new Map();
  const rows = await InstanceRow.findAll({
    where: { uuid: { [Op.in]: [...new Set(uuids)] } }, attributes: ['id', 'uuid', 'hostname', 'display_name', 'host', 'project_id', 'deleted'],
  });
  return new Map(rows.map((r) => [r.uuid, {
    id: r.id, uuid: r.uuid, hostname: r.hostname, display_name: r.display_name, host: r.host, project_id: r.project_id, deleted: r.deleted !== 0,
  }]));
}
