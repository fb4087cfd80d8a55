import { AllocationRow } from '../models/quota';
import { ComputeNodeRow } from '../models/service';
import { QueryTypes } from 'sequelize';
import { updateCount, writeTogether } from './sql';

export interface Resources { vcpus: number; memory_mb: number; disk_gb: number }

const CLASSES: Array<[keyof Resources, string, string]> = [
  ['vcpus', 'VCPU', 'vcpus_used'],
  ['memory_mb', 'MEMORY_MB', 'memory_mb_used'],
  ['disk_gb', 'DISK_GB', 'local_gb_used'],
];

/**
 * Claims and releases also move the node's `updated_at`: the schedulers' host managers read only the
 * nodes changed since their last look.
 *
 * Claims resources for a consumer on a node in one conditional UPDATE, as Placement does with its
 * generation check: the counters change only if the node still has room, so two schedulers racing
 * for the last slot cannot both win. Capacity = (total - reserved) * allocation_ratio.
 */
export async function claim(nodeId: number, consumer: string, r: Resources): Promise<boolean> {
  const seq = ComputeNodeRow.sequelize!;
  const now = new Date();
  const rows = CLASSES.filter(([k]) => r[k] > 0);
  // One transaction (where the database has them for us): the usage and its allocations together, one commit.
  return writeTogether(seq, async (transaction) => {
    const changed = await updateCount(seq,
      `UPDATE compute_nodes SET
         vcpus_used = vcpus_used + :vcpus, memory_mb_used = memory_mb_used + :memory_mb, local_gb_used = local_gb_used + :disk_gb, running_vms = running_vms + 1,
         updated_at = :now
       WHERE id = :id
         AND vcpus_used + :vcpus <= (vcpus - reserved_host_cpus) * cpu_allocation_ratio
         AND memory_mb_used + :memory_mb <= (memory_mb - reserved_host_memory_mb) * ram_allocation_ratio
         AND local_gb_used + :disk_gb <= (local_gb - reserved_host_disk_mb / 1024.0) * disk_allocation_ratio`,
      { id: nodeId, ...r, now }, transaction,
    );
    if (changed !== 1) return false;
    if (rows.length) {
      const values = rows.map((_, i) => `(:consumer, :node, :rc${i}, :used${i}, :now)`).join(', ');
      const replacements: Record<string, unknown> = { consumer, node: nodeId, now };
      rows.forEach(([k, rc], i) => { replacements[`rc${i}`] = rc; replacements[`used${i}`] = r[k]; });
      await seq.query(`INSERT INTO allocations (consumer_id, compute_node_id, resource_class, used, created_at) VALUES ${values}`, { replacements, type: QueryTypes.INSERT, transaction });
    }
    return true;
  });
}

/** Releases a consumer's allocations (on one node or all); each row is released exactly once. */
export async function release(consumer: string, nodeId?: number): Promise<void> {
  const where: Record<string, unknown> = { consumer_id: consumer };
  if (nodeId !== undefined) where.compute_node_id = nodeId;
  const rows = await AllocationRow.findAll({ where });
  const seq = ComputeNodeRow.sequelize!;
  const byNode = new Map<number, Resources & { vms: number }>();
  for (const row of rows) {
    // Only the caller whose DELETE removed the row gives the resources back.
    if ((await AllocationRow.destroy({ where: { id: row.id } })) !== 1) continue;
    const acc = byNode.get(row.compute_node_id) ?? { vcpus: 0, memory_mb: 0, disk_gb: 0, vms: 0 };
    const cls = CLASSES.find(([, rc]) => rc === row.resource_class);
    if (cls) acc[cls[0]] += row.used;
    acc.vms = 1; // one consumer is one instance on that node
    byNode.set(row.compute_node_id, acc);
  }
  for (const [id, r] of byNode) {
    await updateCount(seq,
      `UPDATE compute_nodes SET vcpus_used = vcpus_used - :vcpus, memory_mb_used = memory_mb_used - :memory_mb,
         local_gb_used = local_gb_used - :disk_gb, running_vms = running_vms - :vms, updated_at = :now WHERE id = :id`,
      { id, ...r, now: new Date() },
    );
  }
}

export async function allocationsFor(consumer: string): Promise<Array<{ compute_node_id: number; resource_class: string; used: number }>> {
  return (await AllocationRow.findAll({ where: { consumer_id: consumer } })).map((r) => ({
    compute_node_id: r.compute_node_id, resource_class: r.resource_class, used: r.used,
  }));
}

/** Consumers with allocations on a node (to heal usage from what the host reports). */
export async function consumersOnNode(nodeId: number): Promise<string[]> {
  const rows = await AllocationRow.findAll({ where: { compute_node_id: nodeId }, attributes: ['consumer_id'], group: ['consumer_id'] });
  return rows.map((r) => r.consumer_id);
}

/** Sets a node's usage counters from its allocations (repairs drift after crashes). */
export async function healNodeUsage(nodeId: number): Promise<void> {
  const rows = await AllocationRow.findAll({ where: { compute_node_id: nodeId } });
  const sum: Resources = { vcpus: 0, memory_mb: 0, disk_gb: 0 };
  const consumers = new Set<string>();
  for (const r of rows) {
    const cls = CLASSES.find(([, rc]) => rc === r.resource_class);
    if (cls) sum[cls[0]] += r.used;
    consumers.add(r.consumer_id);
  }
  const node = await ComputeNodeRow.findByPk(nodeId);
  if (!node) return;
  await node.update({
    vcpus_used: sum.vcpus, memory_mb_used: sum.memory_mb, local_gb_used: sum.disk_gb, running_vms: consumers.size,
  });
}


/**
 * Hands a consumer's allocations to another consumer without touching node usage, as Nova does when
 * a resize moves the source claim from the instance to its migration (and back on revert).
 */
export async function moveAllocations(from: string, to: string, nodeId?: number): Promise<number> {
  const where: Record<string, unknown> = { consumer_id: from };
  if (nodeId !== undefined) where.compute_node_id = nodeId;
  const [n] = await AllocationRow.update({ consumer_id: to }, { where });
  return n;
}
