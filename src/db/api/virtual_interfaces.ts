import { randomBytes, randomUUID } from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import { VirtualInterfaceRow } from '../models/network';

export interface VirtualInterfaceObj {
  id: number;
  address: string;
  uuid: string;
  instance_uuid: string;
  network_id: number;
  tag: string | null;
}

function obj(r: VirtualInterfaceRow): VirtualInterfaceObj {
  return { id: r.id, address: r.address, uuid: r.uuid, instance_uuid: r.instance_uuid, network_id: r.network_id, tag: r.tag };
}

/** A MAC in OpenStack's range fa:16:3e:xx:xx:xx (Nova's utils.generate_mac_address). */
export function generateMac(): string {
  return ['fa', '16', '3e', ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** Makes an interface with a MAC no other interface has; null after `attempts` collisions. */
export async function vifCreate(instanceUuid: string, networkId: number, attempts: number, mac?: string): Promise<VirtualInterfaceObj | null> {
  for (let i = 0; i < (mac ? 1 : attempts); i++) {
    try {
      return obj(await VirtualInterfaceRow.create({ address: mac ?? generateMac(), uuid: randomUUID(), instance_uuid: instanceUuid, network_id: networkId }));
    } catch (e) {
      if (!(e instanceof UniqueConstraintError)) throw e;
    }
  }
  return null;
}

export async function vifsByInstance(instanceUuid: string): Promise<VirtualInterfaceObj[]> {
  return (await VirtualInterfaceRow.findAll({ where: { instance_uuid: instanceUuid }, order: [['id', 'ASC']] })).map(obj);
}

export async function vifsByIds(ids: number[]): Promise<VirtualInterfaceObj[]> {
  if (!ids.length) return [];
  return (await VirtualInterfaceRow.findAll({ where: { id: { [Op.in]: ids } } })).map(obj);
}

export async function vifGetByInstanceAndNetwork(instanceUuid: string, networkId: number): Promise<VirtualInterfaceObj | null> {
  const r = await VirtualInterfaceRow.findOne({ where: { instance_uuid: instanceUuid, network_id: networkId } });
  return r ? obj(r) : null;
}

export async function vifDestroyByInstance(instanceUuid: string): Promise<void> {
  await VirtualInterfaceRow.destroy({ where: { instance_uuid: instanceUuid } });
}

export async function vifCountForNetwork(networkId: number): Promise<number> {
  return VirtualInterfaceRow.count({ where: { network_id: networkId } });
}
