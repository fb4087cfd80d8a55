import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import { aggregateZonesByHost } from '../db/api/aggregates';
import { ComputeNodeObj, computeNodeDeleteByHost, computeNodeGet, computeNodeGetAll } from '../db/api/compute_nodes';
import { instanceCount, instanceGetAll } from '../db/api/instances';
import { ServiceFilters, ServiceObj, serviceDestroy, serviceGet, serviceGetAll, serviceUpdate } from '../db/api/services';
import { Conflict, ServiceNotFound } from '../exception';
import { Instance } from '../objects/instance';
import { isServiceUp } from '../service/servicegroup';
import { availabilityZoneOf } from './availability_zones';
import { ComputeAPIClient } from './rpcapi';

export interface ServiceView extends ServiceObj { up: boolean; zone: string }
export interface HypervisorView { node: ComputeNodeObj; service: ServiceView | null }

/** Services and hypervisors for the admin APIs (Nova's HostAPI). */
export class HostAPI {
  constructor(private conf: NovaConf, private compute: () => Promise<ComputeAPIClient>) {}

  private view(s: ServiceObj, zones: Map<string, string>, now = Date.now()): ServiceView {
    return { ...s, up: isServiceUp(s, this.conf.DEFAULT.service_down_time, now), zone: availabilityZoneOf(this.conf, s, zones) };
  }

  async serviceList(_ctx: RequestContext, f: ServiceFilters = {}): Promise<ServiceView[]> {
    const now = Date.now();
    const [services, zones] = await Promise.all([serviceGetAll(f), aggregateZonesByHost()]);
    return services.map((s) => this.view(s, zones, now));
  }

  async serviceGet(_ctx: RequestContext, id: string | number): Promise<ServiceView> {
    return this.view(await serviceGet(id), await aggregateZonesByHost());
  }

  async serviceFind(ctx: RequestContext, host: string, binary: string): Promise<ServiceView> {
    const s = (await this.serviceList(ctx, { host, binary }))[0];
    if (!s) throw new ServiceNotFound({ service_id: `${binary} on ${host}` });
    return s;
  }

  async serviceUpdate(_ctx: RequestContext, id: number, values: { disabled?: boolean; disabled_reason?: string | null; forced_down?: boolean }): Promise<ServiceView> {
    return this.view(await serviceUpdate(id, values), await aggregateZonesByHost());
  }

  /** Deletes a service; for a compute service also its compute nodes (instances must be gone). */
  async serviceDelete(_ctx: RequestContext, id: string | number): Promise<void> {
    const s = await serviceGet(id);
    if (s.binary === 'nova-compute') {
      const n = await instanceCount({ host: s.host });
      if (n > 0) {
        throw new Conflict({}, `Unable to delete compute service that is hosting instances. Migrate or delete the instances first.`);
      }
      await computeNodeDeleteByHost(s.host);
    }
    await serviceDestroy(s.id);
  }

  async hypervisorList(ctx: RequestContext): Promise<HypervisorView[]> {
    const [nodes, services] = await Promise.all([computeNodeGetAll(), this.serviceList(ctx, { binary: 'nova-compute' })]);
    const byHost = new Map(services.map((s) => [s.host, s]));
    return nodes.map((node) => ({ node, service: byHost.get(node.host) ?? null }));
  }

  async hypervisorGet(ctx: RequestContext, id: string): Promise<HypervisorView> {
    const node = await computeNodeGet(id);
    const service = (await this.serviceList(ctx, { host: node.host, binary: 'nova-compute' }))[0] ?? null;
    return { node, service };
  }

  async instancesOnHost(_ctx: RequestContext, host: string): Promise<Instance[]> {
    return instanceGetAll({ host });
  }

  async uptime(ctx: RequestContext, host: string): Promise<string> {
    return (await this.compute()).to(host).get_host_uptime(ctx, {});
  }
}
