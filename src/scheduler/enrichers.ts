import { Op } from 'sequelize';
import { BuildRequest } from '../compute/build';
import { aggregatesByHost } from '../db/api/aggregates';
import { AllocationRow } from '../db/models/quota';
import { AggregateHostRow, AggregateMetadataRow, AggregateRow } from '../db/models/scheduler';
import { hintList } from './filters/affinity_hint_filters';
import { HostState } from './host_state';

/** Shared by every host that runs none of the instances a request cares about; never mutated. */
export const NO_INSTANCES: ReadonlySet<string> = new Set<string>();

/**
 * Fills `instance_uuids` of the hosts running instances this request cares about (its server
 * group's members, its same_host/different_host hints, itself), from their claims: claims are
 * written when the scheduler decides, so instances still building count. One indexed query for
 * those instances only, instead of reading every allocation for every request.
 */
export async function instancesOnHosts(hostOfNode: (id: number) => HostState | undefined, spec: BuildRequest): Promise<HostState[]> {
  const others = [
    ...(spec.instance_group?.members ?? []), ...hintList(spec.scheduler_hints, 'same_host'), ...hintList(spec.scheduler_hints, 'different_host'),
  ];
  // Without a group or hints nothing reads them (a moving instance's own claim is its migration's by now).
  if (others.length === 0) return [];
  const wanted = new Set([...others, ...spec.instance_uuids]);
  const rows = await AllocationRow.findAll({ where: { consumer_id: { [Op.in]: [...wanted] } }, attributes: ['compute_node_id', 'consumer_id'], raw: true });
  const byNode = new Map<number, Set<string>>();
  for (const r of rows) byNode.set(r.compute_node_id, (byNode.get(r.compute_node_id) ?? new Set()).add(r.consumer_id));
  const filled: HostState[] = [];
  for (const [id, there] of byNode) {
    const h = hostOfNode(id);
    if (h) { h.instance_uuids = there; filled.push(h); }
  }
  return filled;
}

/** SQL columns whose values change whenever an aggregate, its hosts or its metadata change. */
export function aggregateSignatureColumns(): string {
  return [AggregateRow, AggregateHostRow, AggregateMetadataRow].map((m, i) => {
    const t = m.getTableName() as string;
    return `(SELECT COUNT(*) FROM ${t}) AS agg${i}_n, (SELECT MAX(id) FROM ${t}) AS agg${i}_top, (SELECT MAX(updated_at) FROM ${t}) AS agg${i}_last`;
  }).join(', ');
}

/**
 * Host aggregates as the scheduler sees them, reloaded only when they changed: the caller reads a
 * cheap signature (row counts, highest ids, latest updates of the three aggregate tables) per
 * request, the aggregates themselves are read only when it moved.
 */
export class AggregateCache {
  private signature = '';
  private byHost = new Map<string, Array<{ id: number; name: string; metadata: Record<string, string> }>>();

  /** Returns true when the aggregates changed since the last call. */
  async refresh(signature: string): Promise<boolean> {
    if (signature === this.signature) return false;
    this.signature = signature;
    this.byHost = new Map([...(await aggregatesByHost())].map(([host, aggs]) => [host, aggs.map((a) => ({ id: a.id, name: a.name, metadata: a.metadata }))]));
    return true;
  }

  /** Sets a host's aggregates and, when one names it, its availability zone. */
  apply(h: HostState, defaultAz: string): void {
    const aggs = this.byHost.get(h.host) ?? [];
    h.aggregates = aggs;
    h.availability_zone = aggs.map((a) => a.metadata.availability_zone).find((z) => z) ?? defaultAz;
  }
}
