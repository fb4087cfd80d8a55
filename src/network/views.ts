import { NetworkObj } from '../db/api/networks';

/** A network as os-networks shows it (Nova's network_dict), every field; the API hides admin ones. */
export interface NetworkView {
  id: string; cidr: string | null; netmask: string | null; gateway: string | null; broadcast: string | null; dns1: string | null;
  dns2: string | null; cidr_v6: string | null; gateway_v6: string | null; label: string | null; netmask_v6: string | null;
  created_at: string | null; updated_at: string | null; deleted_at: null; deleted: boolean; injected: boolean; bridge: string | null;
  vlan: number | null; vpn_public_address: string | null; vpn_public_port: number | null; vpn_private_address: string | null;
  dhcp_start: string | null; project_id: string | null; host: string | null; bridge_interface: string | null; multi_host: boolean;
  priority: number | null; rxtx_base: number | null; mtu: number | null; dhcp_server: string | null; enable_dhcp: boolean;
  share_address: boolean;
}

export const NETWORK_USER_FIELDS = ['id', 'cidr', 'netmask', 'gateway', 'broadcast', 'dns1', 'dns2', 'cidr_v6', 'gateway_v6', 'label', 'netmask_v6'] as const;

const time = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().replace(/\.(\d{3})Z$/, '.$1000') : null);

export function networkView(n: NetworkObj): NetworkView {
  return {
    id: n.uuid, cidr: n.cidr, netmask: n.netmask, gateway: n.gateway, broadcast: n.broadcast, dns1: n.dns1, dns2: n.dns2,
    cidr_v6: n.cidr_v6, gateway_v6: n.gateway_v6, label: n.label, netmask_v6: n.netmask_v6,
    created_at: time(n.created_at), updated_at: time(n.updated_at), deleted_at: null, deleted: false, injected: !!n.injected,
    bridge: n.bridge, vlan: n.vlan, vpn_public_address: n.vpn_public_address, vpn_public_port: n.vpn_public_port,
    vpn_private_address: n.vpn_private_address, dhcp_start: n.dhcp_start, project_id: n.project_id, host: n.host,
    bridge_interface: n.bridge_interface, multi_host: !!n.multi_host, priority: n.priority, rxtx_base: n.rxtx_base, mtu: n.mtu,
    dhcp_server: n.dhcp_server, enable_dhcp: !!n.enable_dhcp, share_address: !!n.share_address,
  };
}
