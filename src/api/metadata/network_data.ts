import { NetworkInfo, Vif } from '../../drivers/driver';
import { addressOf, AddressLike, ipVersion } from '../../objects/network_info';

/**
 * network_data.json (Nova's netutils.get_network_metadata): one link per interface, the first IPv4
 * and first IPv6 subnet of each as networks, and the DNS servers as services.
 */

interface Link { id: string; vif_id: string; type: string; mtu: number | null; ethernet_mac_address: string }
interface Route { network: string; netmask: string; gateway: string }
interface Service { type: 'dns'; address: string }
type Network = Record<string, unknown>;
export interface NetworkData { links: Link[]; networks: Network[]; services: Service[] }

/** A subnet as network_info may carry it: the declared fields, and Nova's optional ones. */
interface SubnetLike {
  cidr: string;
  gateway?: AddressLike;
  dns?: AddressLike[];
  ips: Array<{ address: string; type?: string }>;
  version?: number;
  routes?: Array<{ cidr: string; gateway: AddressLike }>;
  meta?: Record<string, unknown>;
}

/** Interface types Nova shows as themselves; every other type is a physical-looking 'phy'. */
const EXPOSED_VIF_TYPES = new Set(['bridge', 'dvs', 'hw_veb', 'hyperv', 'ovs', 'tap', 'vhostuser', 'vif']);

function subnetVersion(s: SubnetLike): 4 | 6 {
  if (s.version === 4 || s.version === 6) return s.version;
  return ipVersion(s.cidr || s.ips[0]?.address || '');
}

function firstSubnet(vif: Vif, version: 4 | 6): SubnetLike | undefined {
  return (vif.network.subnets as SubnetLike[]).find((s) => subnetVersion(s) === version);
}

/** Dotted IPv4 netmask, or the IPv6 netmask in its compressed form, from a CIDR prefix. */
export function netmaskOf(cidr: string): string {
  const [addr, lenText] = cidr.split('/');
  const len = Number(lenText);
  if (ipVersion(addr) === 4) {
    const bits = len <= 0 ? 0 : (0xffffffff << (32 - Math.min(len, 32))) >>> 0;
    return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => {
    const n = Math.max(0, Math.min(16, len - i * 16));
    return n === 0 ? 0 : (0xffff << (16 - n)) & 0xffff;
  });
  return compressIpv6(groups);
}

function compressIpv6(groups: number[]): string {
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

function dnsServices(s: SubnetLike): Service[] {
  return (s.dns ?? []).map(addressOf).filter((a): a is string => !!a).map((address) => ({ type: 'dns', address }));
}

function link(vif: Vif, n: number): Link {
  const subnets = vif.network.subnets as SubnetLike[];
  const dhcpServed = subnets.some((s) => s.meta?.dhcp_server);
  const mtu = vif.network.meta?.mtu;
  return {
    id: vif.devname || `interface${n}`,
    vif_id: vif.id,
    type: EXPOSED_VIF_TYPES.has(vif.type) ? vif.type : 'phy',
    mtu: dhcpServed || typeof mtu !== 'number' ? null : mtu,
    ethernet_mac_address: vif.address,
  };
}

function network(vif: Vif, s: SubnetLike, version: 4 | 6, n: number, linkId: string): Network {
  const base = { id: `network${n}`, link: linkId, network_id: vif.network.id };
  const v6Mode = s.meta?.ipv6_address_mode;
  if (!v6Mode && (s.meta?.dhcp_server || s.meta?.enable_dhcp)) return { ...base, type: `ipv${version}_dhcp` };
  const gateway = addressOf(s.gateway);
  const routes: Route[] = gateway ? [{ network: version === 4 ? '0.0.0.0' : '::', netmask: version === 4 ? '0.0.0.0' : '::', gateway }] : [];
  for (const r of s.routes ?? []) {
    const via = addressOf(r.gateway);
    if (via) routes.push({ network: r.cidr.split('/')[0], netmask: netmaskOf(r.cidr), gateway: via });
  }
  return {
    id: base.id,
    type: `ipv${version}${v6Mode ? `_${String(v6Mode)}` : ''}`,
    link: linkId,
    ip_address: s.ips[0].address,
    netmask: netmaskOf(s.cidr),
    routes,
    network_id: vif.network.id,
    services: dnsServices(s),
  };
}

/** The network_data.json document; empty lists for an instance without networks. */
export function networkData(nw: NetworkInfo | null | undefined): NetworkData {
  const out: NetworkData = { links: [], networks: [], services: [] };
  let ifc = -1;
  let net = -1;
  const addServices = (s: SubnetLike) => {
    for (const svc of dnsServices(s)) if (!out.services.some((x) => x.address === svc.address)) out.services.push(svc);
  };
  for (const vif of nw ?? []) {
    if (!vif.network?.subnets?.length) continue;
    const v4 = firstSubnet(vif, 4);
    const v6 = firstSubnet(vif, 6);
    ifc++;
    if (!v4 && !v6) continue;
    const l = link(vif, ifc);
    out.links.push(l);
    for (const [s, version] of [[v4, 4], [v6, 6]] as const) {
      if (!s?.ips?.length) continue;
      out.networks.push(network(vif, s, version, ++net, l.id));
      addServices(s);
    }
  }
  return out;
}
