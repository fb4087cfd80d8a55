import { NovaConf } from '../conf/schema';
import { ConductorAPI } from '../conductor/rpcapi';
import { RequestContext } from '../context';
import { FixedIpObj, fixedIpGetByAddress, fixedIpSetReserved, fixedIpsByInstance } from '../db/api/fixed_ips';
import { instanceUpdate } from '../db/api/instances';
import { networkGetById, NetworkObj } from '../db/api/networks';
import { NetworkInfo } from '../drivers/driver';
import { Logger } from '../lib/log';
import { Instance } from '../objects/instance';
import { Runtime } from '../service/runtime';
import { RequestedNetwork } from './allocation';
import { FixedIpInvalid, FixedIpNotFoundForAddress, NetworkServiceUnavailable } from './errors';
import { FloatingOps } from './floating';
import { HostRefresher, NETWORK_BINARY } from './host_refresh';
import { isIPv4 } from './ipv4';
import { managerKind, ManagerKind } from './managers';
import { NetworkOps } from './network_ops';
import { instanceNetworkInfo } from './nw_info';
import { NetworkAPIClient } from './rpcapi';
import { SecurityGroupOps } from './security_groups';

/**
 * nova-network as the Compute API sees it (Nova's nova/network/api.py for nova-network): networks,
 * fixed and floating IPs and security groups in the database, with the hosts concerned told to
 * apply each change through their network service.
 */
export class NetworkAPI {
  readonly kind: ManagerKind;
  readonly networks: NetworkOps;
  readonly floating: FloatingOps;
  readonly securityGroups: SecurityGroupOps;
  readonly refresher: HostRefresher;

  constructor(rt: Runtime, log: Logger) {
    const conf = rt.conf;
    this.kind = managerKind(conf);
    this.refresher = new HostRefresher(async () => {
      const transport = await rt.transport();
      return rt.shared('network-rpc', () => new NetworkAPIClient(transport, rt.rpcTimeoutMs));
    }, null, conf.DEFAULT.service_down_time, log);
    this.networks = new NetworkOps(conf, this.kind, this.refresher);
    this.floating = new FloatingOps(conf, this.kind, this.refresher, log);
    this.securityGroups = new SecurityGroupOps(conf, this.refresher);
  }

  /** A fixed IP with its network (os-fixed-ips show). */
  async fixedIp(address: string): Promise<{ fixed: FixedIpObj; network: NetworkObj | null }> {
    if (!isIPv4(address)) throw new FixedIpInvalid({ address });
    const fixed = await fixedIpGetByAddress(address);
    if (!fixed) throw new FixedIpNotFoundForAddress({ address });
    return { fixed, network: await networkGetById(fixed.network_id) };
  }

  async setReserved(address: string, reserved: boolean): Promise<void> {
    if (!isIPv4(address)) throw new FixedIpInvalid({ address });
    if (!(await fixedIpSetReserved(address, reserved))) throw new FixedIpNotFoundForAddress({ address });
  }

  async fixedIpsOfInstance(uuid: string): Promise<FixedIpObj[]> {
    return fixedIpsByInstance(uuid);
  }

  /** Rewrites the instance's cached network_info after a change of its floating IPs (Nova's refresh_cache). */
  async refreshInfoCache(uuid: string): Promise<void> {
    await instanceUpdate(uuid, { network_info: await instanceNetworkInfo(uuid, this.kind) }).catch(() => undefined);
  }
}

/** How a build asks for networks (BuildRequest.requested_networks). */
export type RequestedNetworks = Array<{ uuid?: string; fixed_ip?: string; port?: string }> | 'auto' | 'none' | null | undefined;

/**
 * nova-network as a compute host sees it (no database): allocation and deallocation over RPC, sent
 * to the instance's own host when [DEFAULT] multi_host is set (every compute host runs nova-network),
 * else to any network service. Whether one is up is asked of the conductor, so a cloud without
 * nova-network still boots instances that need no network.
 */
export class ComputeNetworkAPI {
  constructor(private conf: NovaConf, private client: () => Promise<NetworkAPIClient>, private conductor: ConductorAPI, private log: Logger) {}

  private async target(ctx: RequestContext, host: string | null): Promise<{ up: boolean; server: string | undefined }> {
    const hosts = await this.conductor.service_hosts_up(ctx, { binary: NETWORK_BINARY, service_down_time: this.conf.DEFAULT.service_down_time });
    if (this.conf.DEFAULT.multi_host && host) return { up: hosts.includes(host), server: host };
    return { up: hosts.length > 0, server: undefined };
  }

  /**
   * `none`: no NIC. `auto` or nothing: the project's networks, or an empty network_info when no
   * nova-network service is up. A list: those networks (an error when no service is up to give them).
   */
  async allocateForInstance(ctx: RequestContext, inst: Instance, requested: RequestedNetworks, securityGroups: string[] | undefined): Promise<NetworkInfo> {
    if (requested === 'none') return [];
    const explicit = Array.isArray(requested) ? requested : null;
    const { up, server } = await this.target(ctx, inst.host);
    if (!up) {
      if (explicit?.length) throw new NetworkServiceUnavailable({ action: `give instance ${inst.uuid} the networks it asked for` });
      this.log.info(`no nova-network service is up: ${inst.uuid} is built without network`, { request_id: ctx.request_id });
      return [];
    }
    const nets: RequestedNetwork[] | null = explicit?.length ? explicit.map((r) => {
      if (r.port || !r.uuid) throw new FixedIpInvalid({}, 'Ports (and networks without a uuid) need Neutron; nova-network takes networks by uuid, with an optional fixed_ip');
      return { uuid: r.uuid, fixed_ip: r.fixed_ip ?? null };
    }) : null;
    return (await this.client()).to(server).allocate_for_instance(ctx, {
      instance_uuid: inst.uuid, project_id: inst.project_id, user_id: inst.user_id, host: inst.host, requested_networks: nets, security_groups: securityGroups,
    });
  }

  /** Gives the instance's addresses back (whatever its cached network_info says). */
  async deallocateForInstance(ctx: RequestContext, inst: Instance): Promise<void> {
    const { up, server } = await this.target(ctx, inst.host);
    if (!up) {
      // The network service releases addresses of deleted instances when it runs again.
      this.log.warn(`no nova-network service is up: the addresses of ${inst.uuid} are released when one starts`);
      return;
    }
    await (await this.client()).to(server).deallocate_for_instance(ctx, { instance_uuid: inst.uuid, project_id: inst.project_id });
  }
}
