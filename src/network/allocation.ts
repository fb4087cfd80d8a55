import { NovaConf } from '../conf/schema';
import {
  fixedIpAssociateAddress, fixedIpAssociatePool, fixedIpDisassociate, fixedIpGetByAddress, fixedIpsByInstance, fixedIpsWhere, instancesBrief,
} from '../db/api/fixed_ips';
import { floatingIpDeallocate, floatingIpDisassociate, floatingIpsByFixedIps } from '../db/api/floating_ips';
import { networkAssociateFree, networkGetAll, networkGetByUuid, networkGetForProject, NetworkObj, networkSetHostIfUnset } from '../db/api/networks';
import { quotaLimits, quotaRelease, quotaReserve } from '../db/api/quotas';
import { instanceAddSecurityGroup, instanceSecurityGroupsDestroy, securityGroupEnsureDefault, securityGroupGetByName } from '../db/api/security_groups';
import { vifCreate, vifDestroyByInstance, vifsByInstance } from '../db/api/virtual_interfaces';
import { configuredQuotaDefaults } from '../compute/quota_resources';
import { InvalidInput } from '../exception';
import {
  FixedIpAlreadyInUse, FixedIpInvalid, FixedIpLimitExceeded, FixedIpNotFoundForAddress, FixedIpNotFoundForNetwork, NetworkNotFoundForProject,
  NetworkNotFoundForUUID, NoMoreFixedIps, NoMoreNetworks, SecurityGroupNotFoundForProject, VirtualInterfaceMacAddressException,
} from './errors';
import { isIPv4 } from './ipv4';
import { ManagerKind } from './managers';

export interface RequestedNetwork { uuid: string; fixed_ip?: string | null }

export interface AllocateRequest {
  instance_uuid: string;
  project_id: string;
  user_id?: string | null;
  /** The instance's compute host (the owner of its multi_host addresses). */
  host: string | null;
  /** Null: the project's networks (VlanManager) or every shared one (flat managers). */
  requested_networks: RequestedNetwork[] | null;
  security_groups?: string[];
}

/** Which host serves an address: the instance's own host on a multi_host network, else the network host. */
export function ownerHost(net: Pick<NetworkObj, 'multi_host' | 'host'>, instanceHost: string | null): string | null {
  return net.multi_host ? instanceHost : net.host;
}

/** Networks an instance is given (Nova's _get_networks_for_instance of each manager). */
export async function networksForInstance(kind: ManagerKind, projectId: string, requested: RequestedNetwork[] | null): Promise<NetworkObj[]> {
  if (requested && requested.length) {
    const out: NetworkObj[] = [];
    for (const r of requested) {
      const net = await networkGetByUuid(r.uuid);
      if (!net) throw new NetworkNotFoundForUUID({ uuid: r.uuid });
      const visible = kind.projectNetworksOnly ? net.project_id === projectId : net.project_id === null || net.project_id === projectId;
      if (!visible || (!kind.vlan && net.vlan !== null)) throw new NetworkNotFoundForProject({ network_uuid: r.uuid, project_id: projectId });
      out.push(net);
    }
    return out;
  }
  if (!kind.projectNetworksOnly) return (await networkGetForProject(projectId)).filter((n) => n.vlan === null);
  const own = await networkGetForProject(projectId, true);
  if (own.length) return own;
  // VlanManager gives a project a free network on its first boot.
  const taken = await networkAssociateFree(projectId);
  if (taken) return [taken];
  if (!(await networkGetAll()).length) return [];
  throw new NoMoreNetworks();
}

/** Checks fixed addresses asked for (Nova's validate_networks): valid, of that network, free. */
export async function validateRequestedAddresses(requested: RequestedNetwork[] | null, networks: NetworkObj[]): Promise<void> {
  for (const r of requested ?? []) {
    if (!r.fixed_ip) continue;
    if (!isIPv4(r.fixed_ip)) throw new FixedIpInvalid({ address: r.fixed_ip });
    const row = await fixedIpGetByAddress(r.fixed_ip);
    if (!row) throw new FixedIpNotFoundForAddress({ address: r.fixed_ip });
    if (networks.find((n) => n.uuid === r.uuid)?.id !== row.network_id) throw new FixedIpNotFoundForNetwork({ address: r.fixed_ip, network_uuid: r.uuid });
    if (row.instance_uuid) throw new FixedIpAlreadyInUse({ address: r.fixed_ip, instance_uuid: row.instance_uuid });
  }
}

/**
 * Checks the groups a boot asks for before anything is made (Nova's _check_requested_secgroups):
 * `default` is made on first use, any other must exist in the project.
 */
export async function checkRequestedSecurityGroups(projectId: string, userId: string | null, names: string[]): Promise<void> {
  await securityGroupEnsureDefault(projectId, userId);
  for (const name of new Set(names)) {
    if (!(await securityGroupGetByName(projectId, name))) {
      throw new InvalidInput({}, new SecurityGroupNotFoundForProject({ security_group_id: name, project_id: projectId }).message);
    }
  }
}

/** Puts a new instance in its security groups (`default` made on first use); unknown names fail. */
export async function joinSecurityGroups(instanceUuid: string, projectId: string, userId: string | null, names: string[]): Promise<void> {
  await securityGroupEnsureDefault(projectId, userId);
  const ids: number[] = [];
  for (const name of [...new Set(names)]) {
    const g = await securityGroupGetByName(projectId, name);
    if (!g) throw new SecurityGroupNotFoundForProject({ security_group_id: name, project_id: projectId });
    ids.push(g.id);
  }
  for (const id of ids) await instanceAddSecurityGroup(instanceUuid, id);
}

/**
 * The database part of allocate_for_instance: a VIF (unique MAC) and one address per network, the
 * network host set on first use, the per-host DHCP address of multi_host networks, all within the
 * fixed_ips quota. Returns the hosts whose Linux state changed. On failure what was taken is given back.
 */
export async function allocateAddresses(conf: NovaConf, kind: ManagerKind, serviceHost: string, req: AllocateRequest, networks: NetworkObj[]): Promise<string[]> {
  const hosts = new Set<string>();
  const limits = await quotaLimits(req.project_id, configuredQuotaDefaults(conf));
  let reserved = 0;
  try {
    for (const net0 of networks) {
      let net = net0;
      if (!net.multi_host && !net.host) net = { ...net, host: await networkSetHostIfUnset(net.id, serviceHost) };
      const owner = ownerHost(net, req.host);
      if (conf.quota.driver !== 'nova.quota.NoopQuotaDriver') {
        if (await quotaReserve(req.project_id, { fixed_ips: 1 }, limits)) throw new FixedIpLimitExceeded();
        reserved++;
      }
      const vif = await vifCreate(req.instance_uuid, net.id, conf.DEFAULT.create_unique_mac_address_attempts);
      if (!vif) throw new VirtualInterfaceMacAddressException();
      const wanted = req.requested_networks?.find((r) => r.uuid === net.uuid)?.fixed_ip;
      const target = { networkId: net.id, instanceUuid: req.instance_uuid, vifId: vif.id };
      if (wanted) {
        if (!(await fixedIpAssociateAddress(wanted, target))) {
          const row = await fixedIpGetByAddress(wanted);
          throw new FixedIpAlreadyInUse({ address: wanted, instance_uuid: row?.instance_uuid ?? 'reserved' });
        }
      } else if (!(await fixedIpAssociatePool(target))) {
        throw new NoMoreFixedIps({ net: net.uuid });
      }
      if (kind.dhcp && net.multi_host && owner && !(net.share_address || conf.DEFAULT.share_dhcp_address)) {
        await ensureHostDhcpAddress(net, owner);
      }
      if (owner) hosts.add(owner);
    }
  } catch (e) {
    await releaseAddresses(req.instance_uuid).catch(() => undefined);
    if (reserved) await quotaRelease(req.project_id, { fixed_ips: reserved }).catch(() => undefined);
    throw e;
  }
  return [...hosts];
}

/** multi_host without a shared DHCP address: each host serves DHCP from an address of its own. */
async function ensureHostDhcpAddress(net: NetworkObj, host: string): Promise<void> {
  const have = await fixedIpsWhere({ network_id: net.id, host, instance_uuid: null });
  if (!have.length && !(await fixedIpAssociatePool({ networkId: net.id, host }))) throw new NoMoreFixedIps({ net: net.uuid });
}

/**
 * The database part of deallocate_for_instance: addresses back to their networks, interfaces and
 * group memberships removed, quota given back. Floating addresses stay allocated to the project but
 * are no longer associated (auto-assigned ones go back to the pool). Returns the hosts to refresh.
 */
export async function releaseAddresses(instanceUuid: string, projectId?: string): Promise<string[]> {
  const fixed = await fixedIpsByInstance(instanceUuid);
  const networks = new Map((await networkGetAll({ id: [...new Set(fixed.map((f) => f.network_id))] })).map((n) => [n.id, n]));
  const brief = (await instancesBrief([instanceUuid])).get(instanceUuid);
  const hosts = new Set<string>();
  for (const fl of await floatingIpsByFixedIps(fixed.map((f) => f.id))) {
    if (fl.host) hosts.add(fl.host);
    await floatingIpDisassociate(fl.address);
    if (fl.auto_assigned) await floatingIpDeallocate(fl.address);
  }
  let released = 0;
  for (const f of fixed) {
    const net = networks.get(f.network_id);
    const owner = net ? ownerHost(net, brief?.host ?? null) : null;
    if (owner) hosts.add(owner);
    // Only the caller that released an address gives its quota back (two releases may race).
    if (await fixedIpDisassociate(f.id, instanceUuid)) released++;
  }
  await vifDestroyByInstance(instanceUuid);
  await instanceSecurityGroupsDestroy(instanceUuid);
  if (projectId && released) await quotaRelease(projectId, { fixed_ips: released });
  return [...hosts];
}

/** True when the instance already has interfaces (a retried allocation must not double them). */
export async function hasInterfaces(instanceUuid: string): Promise<boolean> {
  return (await vifsByInstance(instanceUuid)).length > 0;
}

/** The hosts serving the addresses of these instances (where their firewall chains live). */
export async function ownerHostsOf(instanceUuids: string[]): Promise<string[]> {
  const fixed = await fixedIpsWhere({ instance_uuid: instanceUuids.length ? instanceUuids : [''] });
  if (!fixed.length) return [];
  const networks = new Map((await networkGetAll({ id: [...new Set(fixed.map((f) => f.network_id))] })).map((n) => [n.id, n]));
  const instances = await instancesBrief(instanceUuids);
  const hosts = new Set<string>();
  for (const f of fixed) {
    const net = networks.get(f.network_id);
    const owner = net ? ownerHost(net, instances.get(f.instance_uuid!)?.host ?? null) : null;
    if (owner) hosts.add(owner);
  }
  return [...hosts];
}
