import { Op } from 'sequelize';
import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import { fixedIpsDestroyForNetwork, fixedIpsWhere } from '../db/api/fixed_ips';
import { networkAssociateFree, networkDestroy, networkGetAll, networkGetByUuid, NetworkObj, networkUpdate } from '../db/api/networks';
import { vifCountForNetwork } from '../db/api/virtual_interfaces';
import { createNetworks, CreateNetworksArgs } from './create_networks';
import { InvalidCidr, NetworkHasProject, NetworkInUse, NetworkNotFound, NetworkNotFoundForUUID, NoMoreNetworks } from './errors';
import { HostRefresher } from './host_refresh';
import { parseCidr, formatCidr } from './ipv4';
import { ManagerKind } from './managers';

/**
 * Networks themselves: create, delete, and their association with projects and hosts (Nova's
 * create_networks, delete_network, associate and add_network_to_project). Database changes, then the
 * hosts concerned are refreshed (a deleted network's bridge and dnsmasq go away on its host).
 */
export class NetworkOps {
  constructor(private conf: NovaConf, readonly kind: ManagerKind, private refresher: HostRefresher) {}

  create(args: CreateNetworksArgs): Promise<NetworkObj[]> {
    return createNetworks(this.conf, this.kind, args);
  }

  async get(uuid: string): Promise<NetworkObj> {
    const net = await networkGetByUuid(uuid);
    if (!net) throw new NetworkNotFound({ network_id: uuid });
    return net;
  }

  /**
   * Every network for admins; for others their project's, and with the flat managers also the shared
   * ones (Nova's network API get_all).
   */
  async list(ctx: RequestContext): Promise<NetworkObj[]> {
    if (ctx.is_admin) return networkGetAll();
    if (this.kind.projectNetworksOnly) return networkGetAll({ project_id: ctx.project_id });
    return networkGetAll({ [Op.or]: [{ project_id: ctx.project_id }, { project_id: null }] });
  }

  /** A network the caller may see (admins: any). */
  async visible(ctx: RequestContext, uuid: string): Promise<NetworkObj> {
    const net = await this.get(uuid);
    const shared = !this.kind.projectNetworksOnly && net.project_id === null;
    if (!ctx.is_admin && !shared && net.project_id !== ctx.project_id) throw new NetworkNotFound({ network_id: uuid });
    return net;
  }

  /** Hosts where a network has something set up (its host, or the hosts serving its addresses). */
  private async hostsOf(net: NetworkObj): Promise<string[]> {
    const hosts = new Set<string>(net.host ? [net.host] : []);
    for (const f of await fixedIpsWhere({ network_id: net.id, host: { [Op.ne]: null } })) hosts.add(f.host!);
    return [...hosts];
  }

  async delete(ctx: RequestContext, a: { uuid?: string | null; fixed_range?: string | null; require_disassociated?: boolean }): Promise<void> {
    let net: NetworkObj | null = null;
    if (a.uuid) net = await networkGetByUuid(a.uuid);
    else if (a.fixed_range) {
      const c = parseCidr(a.fixed_range);
      if (!c) throw new InvalidCidr({ cidr: a.fixed_range });
      net = (await networkGetAll({ cidr: formatCidr(c) }))[0] ?? null;
    }
    if (!net) throw new NetworkNotFound({ network_id: a.uuid ?? a.fixed_range ?? '' });
    if ((a.require_disassociated ?? true) && net.project_id) throw new NetworkHasProject({ project_id: net.project_id });
    const inUse = await fixedIpsWhere({ network_id: net.id, instance_uuid: { [Op.ne]: null } });
    if (inUse.length || (await vifCountForNetwork(net.id)) > 0) throw new NetworkInUse({ network_id: net.uuid });
    const hosts = await this.hostsOf(net);
    await fixedIpsDestroyForNetwork(net.id);
    await networkDestroy(net.id);
    await this.refresher.refresh(ctx, hosts, `deletion of network ${net.uuid}`);
  }

  /** Gives a project a network: the one named, or any free one (VlanManager). */
  async addToProject(ctx: RequestContext, projectId: string, uuid: string | null): Promise<NetworkObj> {
    let id: number | undefined;
    if (uuid) {
      const net = await networkGetByUuid(uuid);
      if (!net) throw new NetworkNotFoundForUUID({ uuid });
      id = net.id;
    }
    const taken = await networkAssociateFree(projectId, id);
    if (!taken) throw new NoMoreNetworks();
    return taken;
  }

  /**
   * Sets or clears a network's host and project (os-networks actions). Setting a host makes the
   * network move there: the old host tears it down, the new one sets it up.
   */
  async associate(ctx: RequestContext, uuid: string, changes: { host?: string | null; project?: string | null }): Promise<void> {
    const net = await this.get(uuid);
    const values: { host?: string | null; project_id?: string | null } = {};
    if ('host' in changes) values.host = changes.host ?? null;
    if ('project' in changes) values.project_id = changes.project ?? null;
    await networkUpdate(net.id, values);
    if ('host' in changes && changes.host !== net.host) await this.refresher.refresh(ctx, [net.host, changes.host], `move of network ${net.uuid}`);
  }
}
