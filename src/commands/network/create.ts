import { Args, Flags } from '@oclif/core';
import { ClientCommand } from '../../cli/client_command';
import { networkProxy } from '../../cli/views/network';
import { Network, NetworkCreate } from '../../client/compute/networks';
import { CommandError } from '../../client/errors';

/** novaclient's T/F options: 'T' or anything oslo's bool_from_string calls true. */
const tf = (v: string | undefined): boolean | undefined => (v === undefined ? undefined : /^(t|true|on|y|yes|1)$/i.test(v.trim()));
const TF = "<'T'|'F'>";

export default class NetworkCreateCommand extends ClientCommand {
  static summary = 'Create a network.';
  static description = 'The Compute API takes it only up to microversion 2.35. novaclient\'s --uuid and --priority are left out: the API refuses them.';
  static aliases = ['network-create'];
  static args = { label: Args.string({ description: 'Label for network.', required: true }) };
  static flags = {
    'fixed-range-v4': Flags.string({ helpValue: '<x.x.x.x/yy>', description: 'IPv4 subnet (ex: 10.0.0.0/8).' }),
    'fixed-range-v6': Flags.string({ description: 'IPv6 subnet (ex: fe80::/64).' }),
    vlan: Flags.integer({ helpValue: '<vlan id>', description: 'The vlan ID to be assigned to the project.' }),
    'vlan-start': Flags.integer({ helpValue: '<vlan start>', description: 'First vlan ID to be assigned to the project. Subsequent vlan IDs will be assigned incrementally.' }),
    vpn: Flags.integer({ helpValue: '<vpn start>', description: 'vpn start' }),
    gateway: Flags.string({ description: 'gateway' }),
    'gateway-v6': Flags.string({ description: 'IPv6 gateway' }),
    bridge: Flags.string({ helpValue: '<bridge>', description: 'VIFs on this network are connected to this bridge.' }),
    'bridge-interface': Flags.string({ helpValue: '<bridge interface>', description: 'The bridge is connected to this interface.' }),
    'multi-host': Flags.string({ helpValue: TF, description: 'Multi host' }),
    dns1: Flags.string({ helpValue: '<DNS Address>', description: 'First DNS.' }),
    dns2: Flags.string({ helpValue: '<DNS Address>', description: 'Second DNS.' }),
    'fixed-cidr': Flags.string({ helpValue: '<x.x.x.x/yy>', description: 'IPv4 subnet for fixed IPs (ex: 10.20.0.0/16).' }),
    'project-id': Flags.string({ helpValue: '<project id>', description: 'Project ID.' }),
    mtu: Flags.integer({ description: 'MTU for network.' }),
    'enable-dhcp': Flags.string({ helpValue: TF, description: 'Enable dhcp.' }),
    'dhcp-server': Flags.string({ description: 'Dhcp-server (defaults to gateway address).' }),
    'share-address': Flags.string({ helpValue: TF, description: 'Share address.' }),
    'allowed-start': Flags.string({ description: 'Start of allowed addresses for instances.' }),
    'allowed-end': Flags.string({ description: 'End of allowed addresses for instances.' }),
  };

  async run(): Promise<Network> {
    const { args, flags } = await this.parse(NetworkCreateCommand);
    if (!flags['fixed-range-v4'] && !flags['fixed-range-v6']) throw new CommandError('Must specify either fixed_range_v4 or fixed_range_v6');
    const nova = networkProxy(await this.connect(flags), 'os-networks');
    const request: NetworkCreate = {
      label: args.label, cidr: flags['fixed-range-v4'], cidr_v6: flags['fixed-range-v6'], vlan: flags.vlan, vlan_start: flags['vlan-start'],
      vpn_start: flags.vpn === undefined ? undefined : String(flags.vpn), gateway: flags.gateway, gateway_v6: flags['gateway-v6'], bridge: flags.bridge, bridge_interface: flags['bridge-interface'],
      multi_host: tf(flags['multi-host']), dns1: flags.dns1, dns2: flags.dns2, fixed_cidr: flags['fixed-cidr'],
      project_id: flags['project-id'], mtu: flags.mtu, enable_dhcp: tf(flags['enable-dhcp']),
      dhcp_server: flags['dhcp-server'], share_address: tf(flags['share-address']), allowed_start: flags['allowed-start'], allowed_end: flags['allowed-end'],
    };
    const sent = Object.fromEntries(Object.entries(request).filter(([, v]) => v !== undefined)) as NetworkCreate;
    const network = await nova.networks.create(sent);
    this.printDict(network);
    return network;
  }
}
