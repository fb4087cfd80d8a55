import { NovaConf } from '../conf/schema';
import { computeNodeGetAll } from '../db/api/compute_nodes';
import { serviceGetAll } from '../db/api/services';
import { isServiceUp } from '../service/servicegroup';
import { HostState, hostStateFromNode } from './host_state';

/** Extra facts about hosts that other parts add (aggregates, instances on hosts, ...). */
export type HostStateEnricher = (hosts: HostState[]) => Promise<void>;

/** Builds the scheduler's view of every compute node from the database, in a fixed number of queries. */
export class HostManager {
  private enrichers: HostStateEnricher[] = [];
  constructor(private conf: NovaConf) {}

  addEnricher(e: HostStateEnricher): void { this.enrichers.push(e); }

  async getHostStates(): Promise<HostState[]> {
    const [nodes, services] = await Promise.all([computeNodeGetAll(), serviceGetAll({ binary: 'nova-compute' })]);
    const byHost = new Map(services.map((s) => [s.host, s]));
    const now = Date.now();
    const hosts = nodes.map((n) => {
      const h = hostStateFromNode(n, this.conf.DEFAULT.default_availability_zone);
      const s = byHost.get(n.host);
      h.service = s ? { id: s.id, disabled: s.disabled, forced_down: s.forced_down, up: isServiceUp(s, this.conf.DEFAULT.service_down_time, now) } : null;
      return h;
    });
    for (const e of this.enrichers) await e(hosts);
    return hosts;
  }
}
