import { RequestContext } from '../context';
import { FloatingIpObj } from '../db/api/floating_ips';
import { NetworkInfo } from '../drivers/driver';
import { RpcClient } from '../rpc/client';
import { Transport } from '../rpc/types';
import { AllocateRequest } from './allocation';
import { CreateNetworksArgs } from './create_networks';
import './errors'; // registers nova-network's errors so they come back over RPC as themselves
import { NetworkView } from './views';

export const NETWORK_TOPIC = 'network';
export const NETWORK_RPC_VERSION = '1.17';

/** nova-network's contract (nova/network/rpcapi.py 1.x, the methods this build serves). */
export interface NetworkMethods {
  create_networks(ctx: RequestContext, a: CreateNetworksArgs): Promise<NetworkView[]>;
  /** By uuid (or by cidr, as nova-manage did); refuses networks still given to a project or in use. */
  delete_network(ctx: RequestContext, a: { uuid?: string | null; fixed_range?: string | null; require_disassociated?: boolean }): Promise<void>;
  allocate_for_instance(ctx: RequestContext, a: AllocateRequest): Promise<NetworkInfo>;
  deallocate_for_instance(ctx: RequestContext, a: { instance_uuid: string; project_id?: string | null }): Promise<void>;
  get_instance_nw_info(ctx: RequestContext, a: { instance_uuid: string }): Promise<NetworkInfo>;
  /** Makes (or, with `teardown`, unmakes) on their hosts what the instance's networks need. */
  setup_networks_on_host(ctx: RequestContext, a: { instance_uuid: string; teardown?: boolean }): Promise<void>;
  /** Brings this host's bridges, dnsmasq, addresses and iptables to what the database says (sent to one host). */
  refresh_host(ctx: RequestContext, a: { reason?: string }): Promise<void>;
  allocate_floating_ip(ctx: RequestContext, a: { project_id: string; pool?: string | null; auto_assigned?: boolean }): Promise<FloatingIpObj>;
  deallocate_floating_ip(ctx: RequestContext, a: { address: string }): Promise<void>;
  /** Points a floating address at a fixed one; the host serving the fixed one installs the DNAT and SNAT. */
  associate_floating_ip(ctx: RequestContext, a: { floating_address: string; fixed_address: string }): Promise<void>;
  disassociate_floating_ip(ctx: RequestContext, a: { address: string }): Promise<void>;
  get_floating_ip_pools(ctx: RequestContext, a: object): Promise<Array<{ name: string }>>;
  /** Gives a project a network: the one named, or (VlanManager) any free one. */
  add_network_to_project(ctx: RequestContext, a: { project_id: string; network_uuid?: string | null }): Promise<void>;
  /** Sets or clears a network's host and project. */
  associate(ctx: RequestContext, a: { network_uuid: string; associations: { host?: string | null; project?: string | null } }): Promise<void>;
}

export class NetworkAPIClient {
  private client: RpcClient;

  constructor(transport: Transport, timeoutMs: number, client?: RpcClient) {
    this.client = client ?? new RpcClient(transport, { topic: NETWORK_TOPIC }, { version: NETWORK_RPC_VERSION, timeoutMs });
  }

  /** The same contract sent to one host's network service. */
  to(host: string | null | undefined, timeoutMs?: number): NetworkMethods {
    const c = host ? this.client.prepare({ server: host, timeoutMs }) : this.client.prepare({ timeoutMs });
    const call = <R>(method: string) => (ctx: RequestContext, a: object) => c.call<R>(ctx, method, a);
    return {
      create_networks: call('create_networks'),
      delete_network: call('delete_network'),
      allocate_for_instance: call('allocate_for_instance'),
      deallocate_for_instance: call('deallocate_for_instance'),
      get_instance_nw_info: call('get_instance_nw_info'),
      setup_networks_on_host: call('setup_networks_on_host'),
      refresh_host: call('refresh_host'),
      allocate_floating_ip: call('allocate_floating_ip'),
      deallocate_floating_ip: call('deallocate_floating_ip'),
      associate_floating_ip: call('associate_floating_ip'),
      disassociate_floating_ip: call('disassociate_floating_ip'),
      get_floating_ip_pools: call('get_floating_ip_pools'),
      add_network_to_project: call('add_network_to_project'),
      associate: call('associate'),
    };
  }

  /** Any network service (the topic's work queue). */
  get any(): NetworkMethods { return this.to(undefined); }
}
