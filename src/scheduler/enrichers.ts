import { consumersByNode } from '../db/api/allocations';
import { aggregatesByHost } from '../db/api/aggregates';
import { HostStateEnricher } from './host_manager';

/**
 * Fills each host's `instance_uuids` from its allocations: claims are written when the scheduler
 * decides, so instances still building count for affinity and same/different host hints.
 */
export const instancesOnHosts: HostStateEnricher = async (hosts) => {
  const byNode = await consumersByNode();
  for (const h of hosts) h.instance_uuids = new Set(byNode.get(h.compute_node_id) ?? []);
};

/** Fills each host's aggregates and, when one names it, its availability zone. */
export const aggregatesOfHosts: HostStateEnricher = async (hosts) => {
  const byHost = await aggregatesByHost();
  for (const h of hosts) {
    const aggs = byHost.get(h.host) ?? [];
    h.aggregates = aggs.map((a) => ({ id: a.id, name: a.name, metadata: a.metadata }));
    const zone = aggs.map((a) => a.metadata.availability_zone).find((z) => z);
    if (zone) h.availability_zone = zone;
  }
};
