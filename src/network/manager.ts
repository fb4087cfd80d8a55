import { Op } from 'sequelize';
import { NovaConf } from '../conf/schema';
import { adminContext, RequestContext } from '../context';
import { fixedIpsWhere, instancesBrief } from '../db/api/fixed_ips';
import { floatingIpGetByAddress, FloatingIpObj } from '../db/api/floating_ips';
import { FloatingIpNotFoundForAddress } from './errors';
import { NetworkInfo } from '../drivers/driver';
import { Logger } from '../lib/log';
import { PeriodicTask } from '../service/periodic';
import { Manager, ServiceRecord } from '../service/service';
import {
  AllocateRequest, allocateAddresses, hasInterfaces, joinSecurityGroups, networksForInstance, ownerHostsOf, releaseAddresses,
  validateRequestedAddresses,
} from './allocation';
import { CreateNetworksArgs } from './create_networks';
import { FloatingOps } from './floating';
import { planHost } from './host_plan';
import { HostRefresher } from './host_refresh';
import { HostSync } from './host_sync';
import { ManagerKind } from './managers';
import { NetworkOps } from './network_ops';
import { instanceNetworkInfo } from './nw_info';
import { NETWORK_RPC_VERSION, NetworkAPIClient, NetworkMethods } from './rpcapi';
import { NetworkView, networkView } from './views';

export interface NetworkManagerDeps {
  conf: NovaConf;
  log: Logger;
  host: string;
  kind: ManagerKind;
  rpc: () => Promise<NetworkAPIClient>;
}

/**
 * nova-network on one host (Nova's FlatManager, FlatDHCPManager and VlanManager, chosen by
 * [DEFAULT] network_manager): allocates addresses to instances and keeps this host's bridges,
 * dnsmasq, addresses and iptables equal to what the database says, rebuilding them at start and
 * removing them at stop.
 */
export class NetworkManager implements Manager, NetworkMethods {
  readonly rpcTarget = { version: NETWORK_RPC_VERSION };
  readonly sync: HostSync;
  readonly refresher: HostRefresher;
  readonly networks: NetworkOps;
  readonly floating: FloatingOps;

  constructor(private deps: NetworkManagerDeps) {
    const { conf, kind, host, log } = deps;
    this.sync = new HostSync(conf, kind, host, log);
    this.refresher = new HostRefresher(deps.rpc, { host, sync: () => this.sync.sync() }, conf.DEFAULT.service_down_time, log);
    this.networks = new NetworkOps(conf, kind, this.refresher);
    this.floating = new FloatingOps(conf, kind, this.refresher, log);
  }

  get host(): string { return this.deps.host; }
  get kind(): ManagerKind { return this.deps.kind; }

  async initHost(_service: ServiceRecord): Promise<void> {
    await this.sync.checkPrerequisites();
    if (this.kind.vlan && !this.deps.conf.DEFAULT.vlan_interface) {
      this.deps.log.info('no [DEFAULT] vlan_interface: VLAN networks stay on the bridges of this host (no 802.1Q trunk to other hosts)');
    }
    await this.floating.seedDefaultPool();
    const plan = await this.sync.sync();
    this.deps.log.info(`${this.kind.name} on ${this.host}: ${plan.bridges.length} bridge(s), ${plan.dhcp.length} dnsmasq, ${plan.addresses.length} address(es) set up from the database`);
  }

  /** Stopping undoes everything on this host; the next start rebuilds it from the database. */
  async cleanupHost(): Promise<void> {
    await this.sync.teardown();
  }

  periodicTasks(): PeriodicTask[] {
    const spacing = Math.max(this.deps.conf.DEFAULT.periodic_interval, 1);
    return [
      { name: 'record_dhcp_leases', spacing, run: async () => { await this.sync.recordLeases(await planHost(this.deps.conf, this.kind, this.host)); } },
      { name: 'release_deleted_instances', spacing, run: async () => { await this.releaseDeletedInstances(); } },
    ];
  }

  /**
   * Addresses still held by instances that are gone (deleted while their host was down, or a crash
   * between delete and deallocation) go back to their networks.
   */
  async releaseDeletedInstances(): Promise<number> {
    const held = await fixedIpsWhere({ instance_uuid: { [Op.ne]: null } });
    const instances = await instancesBrief(held.map((f) => f.instance_uuid!));
    const gone = [...new Set(held.map((f) => f.instance_uuid!).filter((u) => !instances.get(u) || instances.get(u)!.deleted))];
    for (const uuid of gone) {
      const hosts = await releaseAddresses(uuid, instances.get(uuid)?.project_id);
      await this.refresher.refresh(adminContext(), hosts, `release of deleted instance ${uuid}`).catch((e) => this.deps.log.warn(e.message));
    }
    if (gone.length) this.deps.log.info(`released the addresses of ${gone.length} deleted instance(s)`);
    return gone.length;
  }

  // ---- RPC ----

  async create_networks(_ctx: RequestContext, a: CreateNetworksArgs): Promise<NetworkView[]> {
    return (await this.networks.create(a)).map(networkView);
  }

  async delete_network(ctx: RequestContext, a: { uuid?: string | null; fixed_range?: string | null; require_disassociated?: boolean }): Promise<void> {
    await this.networks.delete(ctx, a);
  }

  async allocate_for_instance(ctx: RequestContext, a: AllocateRequest): Promise<NetworkInfo> {
    const { conf, log } = this.deps;
    if (await hasInterfaces(a.instance_uuid)) return this.get_instance_nw_info(ctx, a);
    const networks = await networksForInstance(this.kind, a.project_id, a.requested_networks);
    await validateRequestedAddresses(a.requested_networks, networks);
    await joinSecurityGroups(a.instance_uuid, a.project_id, a.user_id ?? null, a.security_groups?.length ? a.security_groups : ['default']);
    let hosts: string[] = [];
    try {
      hosts = await allocateAddresses(conf, this.kind, this.host, a, networks);
      if (conf.DEFAULT.auto_assign_floating_ip && this.kind.floating && networks.length) await this.autoAssignFloating(ctx, a);
      await this.refresher.refresh(ctx, [...hosts, ...(await ownerHostsOf([a.instance_uuid]))], `allocation for ${a.instance_uuid}`);
    } catch (e) {
      const touched = await releaseAddresses(a.instance_uuid, a.project_id).catch(() => []);
      await this.refresher.refresh(ctx, [...hosts, ...touched], `rollback of ${a.instance_uuid}`).catch(() => undefined);
      throw e;
    }
    const info = await instanceNetworkInfo(a.instance_uuid, this.kind);
    log.info(`allocated ${info.flatMap((v) => v.network.subnets.flatMap((s) => s.ips.map((i) => i.address))).join(', ') || 'no address'} to ${a.instance_uuid}`);
    return info;
  }

  private async autoAssignFloating(ctx: RequestContext, a: AllocateRequest): Promise<void> {
    const fixed = (await fixedIpsWhere({ instance_uuid: a.instance_uuid }))[0];
    if (!fixed) return;
    const f = await this.floating.allocate(ctx, a.project_id, null, true);
    await this.floating.associate(adminContext(), f.address, fixed.address);
  }

  async deallocate_for_instance(ctx: RequestContext, a: { instance_uuid: string; project_id?: string | null }): Promise<void> {
    const hosts = await releaseAddresses(a.instance_uuid, a.project_id ?? undefined);
    await this.refresher.refresh(ctx, hosts, `deallocation of ${a.instance_uuid}`);
    this.deps.log.info(`deallocated the network of ${a.instance_uuid}`);
  }

  async get_instance_nw_info(_ctx: RequestContext, a: { instance_uuid: string }): Promise<NetworkInfo> {
    return instanceNetworkInfo(a.instance_uuid, this.kind);
  }

  async setup_networks_on_host(ctx: RequestContext, a: { instance_uuid: string; teardown?: boolean }): Promise<void> {
    await this.refresher.refresh(ctx, await ownerHostsOf([a.instance_uuid]), `networks of ${a.instance_uuid}`);
  }

  async refresh_host(_ctx: RequestContext, _a: { reason?: string }): Promise<void> {
    await this.sync.sync();
  }

  async allocate_floating_ip(ctx: RequestContext, a: { project_id: string; pool?: string | null; auto_assigned?: boolean }): Promise<FloatingIpObj> {
    return this.floating.allocate(ctx, a.project_id, a.pool ?? null, a.auto_assigned ?? false);
  }

  async deallocate_floating_ip(ctx: RequestContext, a: { address: string }): Promise<void> {
    const f = await floatingIpGetByAddress(a.address);
    if (!f) throw new FloatingIpNotFoundForAddress({ address: a.address });
    await this.floating.release(ctx, f);
  }

  async associate_floating_ip(ctx: RequestContext, a: { floating_address: string; fixed_address: string }): Promise<void> {
    await this.floating.associate(ctx, a.floating_address, a.fixed_address);
  }

  async disassociate_floating_ip(ctx: RequestContext, a: { address: string }): Promise<void> {
    await this.floating.disassociate(ctx, a.address);
  }

  async get_floating_ip_pools(): Promise<Array<{ name: string }>> {
    return (await this.floating.pools()).map((name) => ({ name }));
  }

  async add_network_to_project(ctx: RequestContext, a: { project_id: string; network_uuid?: string | null }): Promise<void> {
    await this.networks.addToProject(ctx, a.project_id, a.network_uuid ?? null);
  }

  async associate(ctx: RequestContext, a: { network_uuid: string; associations: { host?: string | null; project?: string | null } }): Promise<void> {
    await this.networks.associate(ctx, a.network_uuid, a.associations);
  }
}
