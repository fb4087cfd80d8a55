import { fixedIpsByInstance } from '../db/api/fixed_ips';
import { floatingIpsByFixedIps } from '../db/api/floating_ips';
import { networkGetAll, NetworkObj } from '../db/api/networks';
import { vifsByInstance } from '../db/api/virtual_interfaces';
import { NetworkInfo, Vif } from '../drivers/driver';
import { ManagerKind } from './managers';

/** The tap device name of a VIF, as Nova's network model derives it (`tap` + the first 11 of its uuid). */
export function tapName(vifUuid: string): string {
  return `tap${vifUuid}`.slice(0, 14);
}

/**
 * An instance's network_info from the database (Nova's get_instance_nw_info): one VIF per interface,
 * with its network's bridge (the libvirt driver plugs the NIC into it), VLAN, subnet, gateway, DNS,
 * DHCP server, fixed addresses and the floating addresses pointed at them.
 */
export async function instanceNetworkInfo(instanceUuid: string, kind: ManagerKind): Promise<NetworkInfo> {
  const [vifs, fixed] = await Promise.all([vifsByInstance(instanceUuid), fixedIpsByInstance(instanceUuid)]);
  if (!vifs.length) return [];
  const floating = await floatingIpsByFixedIps(fixed.map((f) => f.id));
  const networks = new Map<number, NetworkObj>((await networkGetAll({ id: [...new Set(vifs.map((v) => v.network_id))] })).map((n) => [n.id, n]));
  const out: NetworkInfo = [];
  for (const vif of vifs) {
    const net = networks.get(vif.network_id);
    if (!net) continue;
    const ips = fixed.filter((f) => f.virtual_interface_id === vif.id).map((f) => ({
      address: f.address, type: 'fixed' as const, floating_ips: floating.filter((fl) => fl.fixed_ip_id === f.id).map((fl) => fl.address),
    }));
    const dns = [net.dns1, net.dns2].filter((d): d is string => !!d);
    const entry: Vif = {
      id: vif.uuid, address: vif.address, type: 'bridge', devname: tapName(vif.uuid), vlan: net.vlan,
      network: {
        id: net.uuid, bridge: net.bridge, label: net.label ?? '',
        subnets: [{ cidr: net.cidr ?? '', gateway: net.gateway ?? undefined, dns, ips }],
        meta: {
          tenant_id: net.project_id, multi_host: net.multi_host, injected: net.injected, dhcp_server: kind.dhcp ? net.dhcp_server : null,
          should_create_bridge: kind.dhcp, should_create_vlan: kind.vlan, bridge_interface: net.bridge_interface, vlan: net.vlan, mtu: net.mtu,
        },
      },
      meta: {},
    };
    out.push(entry);
  }
  return out;
}
