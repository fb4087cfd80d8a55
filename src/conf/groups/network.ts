import { opt } from '../opt';

export const NETWORK_MANAGERS = [
  'nova.network.manager.FlatManager',
  'nova.network.manager.FlatDHCPManager',
  'nova.network.manager.VlanManager',
] as const;

/**
 * nova-network's options, all in [DEFAULT] with Nova's names (nova/conf/network.py and floating_ips.py
 * of 15.0 Ocata; fixed_range_v4 and floating_range from nova-manage and the Essex flags). Spread into
 * DEFAULT by the schema. `network_namespace` is ours.
 */
export const networkDefaults = {
  network_manager: opt.str('nova.network.manager.FlatDHCPManager', 'nova-network manager: FlatManager (no bridge, no DHCP: addresses are injected), FlatDHCPManager (a bridge and dnsmasq per network) or VlanManager (a VLAN, a bridge and dnsmasq per project network).', { choices: NETWORK_MANAGERS }),
  flat_network_bridge: opt.str('br100', 'Bridge of flat networks when os-networks create names none (Nova: no default; devstack used br100).'),
  flat_interface: opt.str('', 'Interface enslaved to the bridge of flat networks (empty: none; the bridge then only links guests and the gateway).'),
  flat_injected: opt.bool(false, 'FlatManager: mark networks `injected` so the compute driver writes the address into the guest.'),
  vlan_interface: opt.str('', 'VlanManager: the trunk interface on which the vlan<N> interfaces are made (or the network\'s bridge_interface).'),
  vlan_start: opt.int(100, 'VlanManager: first VLAN id given to networks.', { min: 1, max: 4094 }),
  num_networks: opt.int(1, 'Networks made by one create request when it names no count.', { min: 1 }),
  network_size: opt.int(256, 'Addresses per network when a create request names no size.', { min: 4 }),
  fixed_range_v4: opt.str('10.0.0.0/8', 'Range networks are carved from when a create request names no cidr.', { deprecatedNames: ['fixed_range'] }),
  public_interface: opt.str('eth0', 'Interface that carries floating IP addresses (bound as /32) and the SNAT of guests\' traffic.'),
  floating_range: opt.str('172.24.4.0/24', 'Floating IP addresses put in default_floating_pool when the pool is empty at start (empty: none). Network and broadcast addresses are left out.'),
  default_floating_pool: opt.str('nova', 'Pool that floating IPs are allocated from when the request names none.'),
  auto_assign_floating_ip: opt.bool(false, 'Allocate and associate a floating IP to every new instance.'),
  multi_host: opt.bool(false, 'Default multi_host of new networks: every compute host runs nova-network and is the gateway, DHCP server and firewall of its own guests.'),
  dhcp_lease_time: opt.int(86400, 'Lifetime of DHCP leases, seconds.', { min: 1 }),
  dhcp_domain: opt.str('novalocal', 'Domain of the guests\' hostnames in dnsmasq host entries.'),
  dhcpbridge: opt.str('', 'Program dnsmasq runs on lease changes (--dhcp-script). Empty: none; nova-network reads dnsmasq\'s lease file to track leases instead.'),
  dns_server: opt.multi([], 'DNS servers dnsmasq forwards to (repeatable). None: dnsmasq answers only for the guests\' own names.'),
  share_dhcp_address: opt.bool(false, 'multi_host networks: every host serves DHCP from the same address (the gateway) instead of one address per host.'),
  force_dhcp_release: opt.bool(true, 'Send a DHCP release (dhcp_release of dnsmasq-utils) when an address is deallocated, so it can be handed out again at once.'),
  routing_source_ip: opt.str('$my_ip', 'Source address of guests\' traffic leaving by public_interface (SNAT).'),
  metadata_host: opt.str('$my_ip', 'Address of the metadata service; 169.254.169.254:80 is DNATed to it (REDIRECT when 127.0.0.1).'),
  metadata_port: opt.int(8775, 'Port of the metadata service.', { min: 1, max: 65535 }),
  allow_same_net_traffic: opt.bool(true, 'Guests of one network reach each other whatever their security groups say.'),
  networks_path: opt.str('$state_path/networks', 'Where nova-network keeps dnsmasq files (hosts, options, leases, pid) and its record of what it set up.'),
  create_unique_mac_address_attempts: opt.int(5, 'Attempts to draw a MAC address no other interface has.', { min: 1 }),
  network_namespace: opt.str('', 'Run every command of nova-network (ip, iptables, dnsmasq, dhcp_release) inside this network namespace (`ip netns exec NAME`), which must exist. Empty: the host\'s own namespace, as Nova did. The libvirt driver then plugs guest NICs into the bridges in that namespace (it moves each tap there once QEMU has opened it). For tests, and to try nova-network without touching the host.'),
};
