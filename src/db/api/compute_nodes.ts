import { randomUUID } from 'node:crypto';
import { Op } from 'sequelize';
import { ComputeHostNotFound, HypervisorNotFound } from '../../exception';
import { ComputeNodeRow } from '../models/service';

export type ComputeNodeObj = {
  id: number; uuid: string; service_id: number | null; host: string; hypervisor_hostname: string; hypervisor_type: string;
  hypervisor_version: number; host_ip: string | null; vcpus: number; vcpus_used: number; memory_mb: number;
  memory_mb_used: number; local_gb: number; local_gb_used: number; free_ram_mb: number; free_disk_gb: number;
  disk_available_least: number | null; running_vms: number; current_workload: number; cpu_info: Record<string, unknown>;
  cpu_allocation_ratio: number; ram_allocation_ratio: number; disk_allocation_ratio: number;
  reserved_host_memory_mb: number; reserved_host_disk_mb: number; reserved_host_cpus: number;
  stats: Record<string, unknown>; supported_instances: unknown[]; created_at: Date; updated_at: Date;
};

export function nodeObj(row: ComputeNodeRow): ComputeNodeObj {
  const o = row.get({ plain: true }) as ComputeNodeObj;
  // Getters (JSON text columns) are not applied by get({plain}); read them explicitly.
  o.cpu_info = row.cpu_info; o.stats = row.stats; o.supported_instances = row.supported_instances;
  return o;
}

/** What a compute host reports about one node: inventory only; usage counters belong to claims. */
export type NodeReport = Pick<ComputeNodeObj, 'host' | 'hypervisor_hostname' | 'hypervisor_type' | 'hypervisor_version' |
  'host_ip' | 'vcpus' | 'memory_mb' | 'local_gb' | 'cpu_info' | 'cpu_allocation_ratio' | 'ram_allocation_ratio' |
  'disk_allocation_ratio' | 'reserved_host_memory_mb' | 'reserved_host_disk_mb' | 'reserved_host_cpus' | 'supported_instances'> &
  { service_id: number | null; disk_available_least?: number | null; running_vms?: number; current_workload?: number;
    stats?: Record<string, unknown> };

export async function computeNodeUpsert(report: NodeReport): Promise<ComputeNodeObj> {
  const row = await ComputeNodeRow.findOne({ where: { host: report.host, hypervisor_hostname: report.hypervisor_hostname } });
  if (row) {
    await row.update(report);
    return nodeObj(row);
  }
  try {
    return nodeObj(await ComputeNodeRow.create({ uuid: randomUUID(), ...report }));
  } catch (e) {
    const again = await ComputeNodeRow.findOne({ where: { host: report.host, hypervisor_hostname: report.hypervisor_hostname } });
    if (!again) throw e;
    await again.update(report);
    return nodeObj(again);
  }
}

export async function computeNodeGetAll(where: Record<string, unknown> = {}): Promise<ComputeNodeObj[]> {
  return (await ComputeNodeRow.findAll({ where, order: [['id', 'ASC']] })).map(nodeObj);
}

/**
 * Every node, or those with the given ids, read without building model instances: the scheduler's
 * refresh, where that cost would dominate at scale.
 */
export async function computeNodesRaw(ids?: number[]): Promise<ComputeNodeObj[]> {
  const rows = await ComputeNodeRow.findAll({ where: ids ? { id: { [Op.in]: ids } } : {}, order: [['id', 'ASC']], raw: true }) as unknown as Array<Record<string, unknown>>;
  const json = (v: unknown, fallback: unknown) => (typeof v === 'string' && v !== '' ? JSON.parse(v) : v ?? fallback);
  return rows.map((r) => ({
    ...r, cpu_info: json(r.cpu_info, {}), stats: json(r.stats, {}), supported_instances: json(r.supported_instances, []),
    cpu_allocation_ratio: Number(r.cpu_allocation_ratio), ram_allocation_ratio: Number(r.ram_allocation_ratio), disk_allocation_ratio: Number(r.disk_allocation_ratio),
  }) as ComputeNodeObj);
}

/** A node's usage counters and last change, for every node changed at or after `since`. */
export type NodeStamp = Pick<ComputeNodeObj, 'id' | 'vcpus_used' | 'memory_mb_used' | 'local_gb_used' | 'running_vms'> & { updated_at: unknown };
export async function computeNodeStampsSince(since: Date): Promise<NodeStamp[]> {
  return await ComputeNodeRow.findAll({
    where: { updated_at: { [Op.gte]: since } }, attributes: ['id', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'running_vms', 'updated_at'], raw: true,
  }) as unknown as NodeStamp[];
}

/** By numeric id or uuid (2.53+). */
export async function computeNodeGet(id: string | number): Promise<ComputeNodeObj> {
  const where = typeof id === 'number' || /^\d+$/.test(id) ? { id: Number(id) } : { uuid: id };
  const row = await ComputeNodeRow.findOne({ where });
  if (!row) throw new HypervisorNotFound({ hypervisor_id: id });
  return nodeObj(row);
}

export async function computeNodesByHost(host: string): Promise<ComputeNodeObj[]> {
  const rows = await ComputeNodeRow.findAll({ where: { host } });
  if (rows.length === 0) throw new ComputeHostNotFound({ host });
  return rows.map(nodeObj);
}

export async function computeNodeDeleteByHost(host: string): Promise<void> {
  await ComputeNodeRow.destroy({ where: { host } });
}
