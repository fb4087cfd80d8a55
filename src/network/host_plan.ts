import { Op } from 'sequelize';
import { NovaConf } from '../conf/schema';
import { FixedIpObj, fixedIpsWhere, InstanceBrief, instancesBrief } from '../db/api/fixed_ips';
import { floatingIpsWhere } from '../db/api/floating_ips';
import { networkGetAll, NetworkObj } from '../db/api/networks';
import { instancesSecurityGroupIds, securityGroupMembers, securityGroupsGet, SecurityGroupObj } from '../db/api/security_groups';
import { vifsByIds } from '../db/api/virtual_interfaces';
import { IptablesState } from './linux_net/iptables';
import { DhcpNetwork } from './linux_net/dnsmasq';
import { ownerHost } from './allocation';
import { ManagerKind } from './managers';
import * as ip from './ipv4';
import { FirewallRule, GuestFirewall, hostRules } from './rules';

/** A bridge nova-network keeps on this host: its uplink (flat_interface or a VLAN) and gateway address. */
export interface PlannedBridge {
  name: string;
  uplink: string | null;
  vlan: { id: number; trunk: string } | null;
  /** `a.b.c.d/len` and broadcast, when this host is the network's gateway. */
  address: { cidr: string; brd: string } | null;
}

/** Everything of ours that should exist on one host, computed from the database. */
export interface HostPlan {
  bridges: PlannedBridge[];
  dhcp: DhcpNetwork[];
  /** Addresses bound to devices: floating /32s on public_interface, 169.254.169.254 on lo. */
  addresses: Array<{ dev: string; cidr: string }>;
  iptables: IptablesState;
}

export function emptyPlan(): HostPlan {
  return { bridges: [], dhcp: [], addresses: [], iptables: hostRules({
    networks: [], floating: [], guests: [], publicInterface: '', routingSourceIp: '', metadataHost: '', metadataPort: 0, l3: false,
  }, false) };
}

interface ServedAddress { fixed: FixedIpObj; net: NetworkObj; inst: InstanceBrief }

/** Firewall rules of a guest from its groups: CIDR sources as given, group sources as members' addresses. */
async function guestRules(groups: SecurityGroupObj[]): Promise<FirewallRule[]> {
  const sourceGroups = [...new Set(groups.flatMap((g) => g.rules.map((r) => r.group_id).filter((id): id is number => id !== null)))];
  const membersByGroup = new Map<number, string[]>();
  for (const gid of sourceGroups) {
    const members = await securityGroupMembers([gid]);
    const addresses = (await fixedIpsWhere({ instance_uuid: { [Op.in]: members.length ? members : [''] }, allocated: true })).map((f) => `${f.address}/32`);
    membersByGroup.set(gid, addresses);
  }
  return groups.flatMap((g) => g.rules.map((r) => ({
    protocol: r.protocol, from_port: r.from_port, to_port: r.to_port,
    sources: r.group_id !== null ? membersByGroup.get(r.group_id) ?? [] : [r.cidr ?? '0.0.0.0/0'],
  })));
}

/**
 * What `host` must have, from the database: the networks it serves (bridge, VLAN, gateway address and
 * dnsmasq for the DHCP managers), the floating addresses it forwards, and one firewall chain per guest
 * whose addresses it owns.
 */
export async function planHost(conf: NovaConf, kind: ManagerKind, host: string): Promise<HostPlan> {
  const d = conf.DEFAULT;
  const networks = await networkGetAll();
  const byId = new Map(networks.map((n) => [n.id, n]));
  const held = await fixedIpsWhere({ network_id: { [Op.in]: networks.length ? networks.map((n) => n.id) : [0] }, [Op.or]: [{ instance_uuid: { [Op.ne]: null } }, { host }] });
  const instances = await instancesBrief(held.map((f) => f.instance_uuid).filter((u): u is string => !!u));
  const served: ServedAddress[] = [];
  for (const f of held) {
    const net = byId.get(f.network_id);
    const inst = f.instance_uuid ? instances.get(f.instance_uuid) : undefined;
    if (!net || !inst || inst.deleted || !f.allocated) continue;
    if (ownerHost(net, inst.host) === host) served.push({ fixed: f, net, inst });
  }
  const hostDhcp = (net: NetworkObj) => held.find((f) => f.network_id === net.id && f.host === host && !f.instance_uuid)?.address;
  const onHost = networks.filter((n) => (n.multi_host ? served.some((s) => s.net.id === n.id) || !!hostDhcp(n) : n.host === host));

  const bridges: PlannedBridge[] = [];
  const dhcp: DhcpNetwork[] = [];
  const vifs = new Map((await vifsByIds(served.map((s) => s.fixed.virtual_interface_id).filter((v): v is number => v !== null))).map((v) => [v.id, v]));
  const dhcpServerOf = (net: NetworkObj) => (net.multi_host && !(net.share_address || d.share_dhcp_address) ? hostDhcp(net) ?? null : net.dhcp_server ?? net.gateway);
  if (kind.dhcp) {
    for (const net of onHost) {
      const cidr = net.cidr ? ip.parseCidr(net.cidr) : null;
      const listen = dhcpServerOf(net);
      if (!net.bridge || !cidr || !listen) continue;
      // Without a trunk interface a VLAN network stays on this host's bridge (an all-in-one host).
      const trunk = d.vlan_interface || net.bridge_interface;
      bridges.push({
        name: net.bridge,
        uplink: net.vlan !== null ? (trunk ? `vlan${net.vlan}` : null) : d.flat_interface || net.bridge_interface || null,
        vlan: net.vlan !== null && trunk ? { id: net.vlan, trunk } : null,
        address: { cidr: `${listen}/${cidr.prefix}`, brd: net.broadcast ?? ip.formatIPv4(ip.broadcast(cidr)) },
      });
      if (!net.enable_dhcp) continue;
      const router = net.multi_host && !(net.share_address || d.share_dhcp_address) ? listen : net.gateway;
      dhcp.push({
        networkId: net.id, bridge: net.bridge, label: net.label ?? net.uuid, listenAddress: listen, dhcpStart: net.dhcp_start ?? listen, netmask: net.netmask ?? ip.netmask(cidr),
        router, leaseTime: d.dhcp_lease_time, leaseMax: cidr.size, domain: d.dhcp_domain, dnsServers: d.dns_server.filter(Boolean), dhcpScript: d.dhcpbridge,
        hosts: served.filter((s) => s.net.id === net.id && s.fixed.virtual_interface_id !== null && vifs.has(s.fixed.virtual_interface_id))
          .map((s) => ({ mac: vifs.get(s.fixed.virtual_interface_id!)!.address, ip: s.fixed.address, hostname: s.inst.hostname || `host-${s.inst.uuid}` })),
      });
    }
  }

  const floatingRows = kind.floating ? await floatingIpsWhere({ host, fixed_ip_id: { [Op.ne]: null } }) : [];
  const fixedById = new Map(served.map((s) => [s.fixed.id, s.fixed]));
  const floating = floatingRows.filter((f) => fixedById.has(f.fixed_ip_id!)).map((f) => ({ floating: f.address, fixed: fixedById.get(f.fixed_ip_id!)!.address }));

  const groupsByInstance = await instancesSecurityGroupIds([...new Set(served.map((s) => s.inst.uuid))]);
  const allGroups = new Map((await securityGroupsGet([...new Set([...groupsByInstance.values()].flat())])).map((g) => [g.id, g]));
  const guests: GuestFirewall[] = [];
  for (const [uuid, groupIds] of groupsByInstance) {
    const mine = served.filter((s) => s.inst.uuid === uuid);
    guests.push({
      chain: String(mine[0].inst.id),
      fixedIps: mine.map((s) => s.fixed.address),
      dhcpServers: kind.dhcp ? [...new Set(mine.map((s) => dhcpServerOf(s.net)).filter((a): a is string => !!a))] : [],
      sameNet: [...new Set(mine.map((s) => s.net.cidr).filter((c): c is string => !!c))],
      rules: await guestRules(groupIds.map((id) => allGroups.get(id)).filter((g): g is SecurityGroupObj => !!g)),
    });
  }

  const l3 = kind.dhcp && (onHost.length > 0 || guests.length > 0);
  const addresses = floating.map((f) => ({ dev: d.public_interface, cidr: `${f.floating}/32` }));
  if (l3) addresses.push({ dev: 'lo', cidr: '169.254.169.254/32' });
  return {
    bridges, dhcp, addresses,
    iptables: hostRules({
      networks: onHost.filter((n) => n.cidr).map((n) => ({ cidr: n.cidr!, bridge: kind.dhcp ? n.bridge : null, dhcp: kind.dhcp && n.enable_dhcp })),
      floating, guests, publicInterface: d.public_interface, routingSourceIp: d.routing_source_ip, metadataHost: d.metadata_host,
      metadataPort: d.metadata_port, l3,
    }, d.allow_same_net_traffic),
  };
}
