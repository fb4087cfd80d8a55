import { randomUUID } from 'node:crypto';
import { UniqueConstraintError } from 'sequelize';
import { NovaConf } from '../conf/schema';
import { fixedIpsBulkCreate, fixedIpsDestroyForNetwork } from '../db/api/fixed_ips';
import { networkCreate, networkDestroy, networkGetAll, NetworkObj } from '../db/api/networks';
import { InvalidInput } from '../exception';
import {
  AddressOutOfRange, BridgeInUse, CidrConflict, DuplicateVlan, InvalidAddress, InvalidCidr, IPv6NotSupported, NetworkNotCreated,
} from './errors';
import * as ip from './ipv4';
import { ManagerKind } from './managers';

/** What create_networks takes (Nova's names; os-networks, os-tenant-networks and nova-manage pass subsets). */
export interface CreateNetworksArgs {
  label: string;
  cidr?: string | null;
  cidr_v6?: string | null;
  multi_host?: boolean | null;
  num_networks?: number | null;
  network_size?: number | null;
  gateway?: string | null;
  bridge?: string | null;
  bridge_interface?: string | null;
  dns1?: string | null;
  dns2?: string | null;
  dhcp_server?: string | null;
  enable_dhcp?: boolean | null;
  share_address?: boolean | null;
  allowed_start?: string | null;
  allowed_end?: string | null;
  mtu?: number | null;
  vlan?: number | null;
  vlan_start?: number | null;
  project_id?: string | null;
  uuid?: string | null;
}

const VPN_START = 1000;

/** `name`, or when it is taken the same name with its trailing number counted up (br100 -> br101). */
function nextFreeName(name: string, used: Set<string | null>): string {
  const m = /^(.*?)(\d*)$/.exec(name)!;
  let n = m[2] ? Number(m[2]) : 0;
  let candidate = name;
  while (used.has(candidate)) candidate = `${m[1]}${++n}`;
  return candidate;
}

function parseAddress(text: string): number {
  const n = ip.parseIPv4(text);
  if (n === null) throw new InvalidAddress({ address: text });
  return n;
}

/** Position of an address in a subnet (Nova's _index_of). */
function indexOf(subnet: ip.Cidr, address: string): number {
  const index = parseAddress(address) - subnet.network;
  if (index < 0 || index >= subnet.size) throw new AddressOutOfRange({ address, cidr: ip.formatCidr(subnet) });
  return index;
}

/**
 * Picks the subnets: each wanted one that collides with a network in use moves to the next free
 * subnet of the same size inside the range, or the request fails with Nova's CidrConflict.
 */
export function chooseSubnets(range: ip.Cidr, wanted: ip.Cidr[], used: ip.Cidr[]): ip.Cidr[] {
  const taken = [...used];
  const out: ip.Cidr[] = [];
  for (const s of wanted) {
    let pick: ip.Cidr | undefined = s;
    const clash = taken.find((u) => ip.overlaps(u, pick!));
    if (clash) {
      // A subnet inside a used one is a conflict; one that holds or equals a used one may move on.
      if (ip.contains(clash, pick.network) && ip.contains(clash, ip.broadcast(pick)) && clash.prefix < pick.prefix) {
        throw new CidrConflict({ cidr: ip.formatCidr(pick), other: ip.formatCidr(clash) });
      }
      pick = ip.subnets(range, s.prefix, Number.MAX_SAFE_INTEGER).find((c) => !taken.some((u) => ip.overlaps(u, c)));
      if (!pick) throw new CidrConflict({ cidr: ip.formatCidr(s), other: ip.formatCidr(clash) });
    }
    taken.push(pick);
    out.push(pick);
  }
  return out;
}

/** The usable layout of one subnet: gateway, DHCP server, first DHCP address, reserved addresses. */
export function subnetLayout(subnet: ip.Cidr, kind: ManagerKind, a: Pick<CreateNetworksArgs, 'gateway' | 'dhcp_server' | 'allowed_start' | 'allowed_end'>) {
  let bottom = kind.bottomReserved;
  let top = kind.topReserved;
  let current = ip.nth(subnet, 1);
  if (a.allowed_start) { bottom = indexOf(subnet, a.allowed_start); current = parseAddress(a.allowed_start); }
  if (a.allowed_end) top = subnet.size - 1 - indexOf(subnet, a.allowed_end);
  let gateway: number;
  if (a.gateway) { gateway = parseAddress(a.gateway); } else { gateway = current; current += 1; }
  const dhcpServer = a.dhcp_server ? parseAddress(a.dhcp_server) : gateway;
  let dhcpStart = current;
  current += 1;
  if (dhcpStart === dhcpServer) dhcpStart = current;
  const extra = [gateway, dhcpServer];
  let vpnPrivate: number | null = null;
  if (kind.vlan) {
    vpnPrivate = dhcpStart;
    extra.push(vpnPrivate);
    dhcpStart += 1;
  }
  return { gateway, dhcpServer, dhcpStart, vpnPrivate, bottom, top, extra };
}

/** Nova's create_networks: validates, carves the range, makes the networks and their address rows. */
export async function createNetworks(conf: NovaConf, kind: ManagerKind, args: CreateNetworksArgs): Promise<NetworkObj[]> {
  const d = conf.DEFAULT;
  if (args.cidr_v6 && !args.cidr) throw new IPv6NotSupported();
  const cidrText = args.cidr || d.fixed_range_v4;
  const range = ip.parseCidr(cidrText);
  if (!range) throw new InvalidCidr({ cidr: cidrText });
  const num = args.num_networks || d.num_networks;
  let size = args.network_size || Math.min(Math.floor(range.size / num), d.network_size);
  size = 2 ** Math.ceil(Math.log2(Math.max(4, size)));
  const vlanStart = args.vlan_start || d.vlan_start;

  let bridge = args.bridge || null;
  let bridgeInterface = args.bridge_interface || null;
  if (kind.vlan) {
    bridgeInterface = bridgeInterface || d.vlan_interface || null;
    if (num + vlanStart > 4094) throw new InvalidInput({ reason: 'The sum between the number of networks and the vlan start cannot be greater than 4094' });
    if (args.vlan !== undefined && args.vlan !== null && (args.vlan < 1 || args.vlan > 4094)) {
      throw new InvalidInput({ reason: `The vlan number cannot be ${args.vlan < 1 ? 'less than 1' : 'greater than 4094'}` });
    }
  } else {
    bridge = bridge || d.flat_network_bridge || null;
    bridgeInterface = bridgeInterface || d.flat_interface || null;
  }
  for (const req of kind.requiredCreateArgs) if (!(req === 'bridge' ? bridge : null)) throw new NetworkNotCreated({ req });
  if (range.size < num * size) {
    throw new InvalidInput({ reason: `The network range is not big enough to fit ${num} networks. Network size is ${size}` });
  }

  const existing = await networkGetAll();
  const used = existing.map((n) => (n.cidr ? ip.parseCidr(n.cidr) : null)).filter((c): c is ip.Cidr => !!c);
  const wanted = ip.subnets(range, ip.prefixForSize(size), num);
  if (wanted.length < num) throw new InvalidInput({ reason: `The network range is not big enough to fit ${num} networks. Network size is ${size}` });
  const chosen = chooseSubnets(range, wanted, used);

  if (kind.dhcp && !kind.vlan && bridge) {
    // One dnsmasq per bridge: a DHCP network needs a bridge of its own. The default one moves on to
    // the next free name (br100, br101, ...); a bridge asked for by name must be free.
    const used = new Set(existing.map((n) => n.bridge));
    if (!args.bridge) bridge = nextFreeName(bridge, used);
    const other = existing.find((n) => n.bridge === bridge);
    if (other || num > 1) throw new BridgeInUse({ bridge, network: other ? other.label ?? other.uuid : `${args.label}_0` });
  }
  const usedVlans = existing.map((n) => n.vlan).filter((v): v is number => v !== null);
  if (args.vlan && usedVlans.includes(args.vlan)) throw new DuplicateVlan({ vlan: args.vlan });

  const made: NetworkObj[] = [];
  try {
    for (const [index, subnet] of chosen.entries()) {
      const layout = subnetLayout(subnet, kind, args);
      let vlan: number | null = null;
      let netBridge = bridge;
      if (kind.vlan) {
        vlan = args.vlan || vlanStart + index + existing.length;
        if (usedVlans.includes(vlan)) vlan = Math.max(...usedVlans) + 1;
        usedVlans.push(vlan);
        netBridge = `br${vlan}`;
      }
      const net = await networkCreate({
        uuid: (num === 1 && args.uuid) || randomUUID(), label: num > 1 ? `${args.label}_${index}` : args.label,
        cidr: ip.formatCidr(subnet), netmask: ip.netmask(subnet), broadcast: ip.formatIPv4(ip.broadcast(subnet)),
        gateway: ip.formatIPv4(layout.gateway), dhcp_server: ip.formatIPv4(layout.dhcpServer), dhcp_start: ip.formatIPv4(layout.dhcpStart),
        vpn_private_address: layout.vpnPrivate === null ? null : ip.formatIPv4(layout.vpnPrivate),
        vpn_public_port: kind.vlan ? VPN_START + index + existing.length : null,
        bridge: netBridge, bridge_interface: bridgeInterface, vlan, multi_host: args.multi_host ?? d.multi_host,
        dns1: args.dns1 ?? null, dns2: args.dns2 ?? null, mtu: args.mtu ?? null, enable_dhcp: args.enable_dhcp ?? true,
        share_address: args.share_address ?? d.share_dhcp_address, project_id: args.project_id ?? null, injected: kind.name === 'FlatManager' && d.flat_injected,
      });
      made.push(net);
      const extra = new Set(layout.extra);
      await fixedIpsBulkCreate(ip.addresses(subnet).map((address, i) => ({
        address, network_id: net.id, reserved: i < layout.bottom || subnet.size - i <= layout.top || extra.has(ip.nth(subnet, i)),
      })));
    }
  } catch (e) {
    // Nothing half-made: the networks of this request go with their addresses.
    for (const n of made) {
      await fixedIpsDestroyForNetwork(n.id).catch(() => undefined);
      await networkDestroy(n.id).catch(() => undefined);
    }
    if (e instanceof UniqueConstraintError) throw new DuplicateVlan({ vlan: args.vlan ?? 'in use' });
    throw e;
  }
  return made;
}
