import { NovaConf } from '../conf/schema';

export type ManagerName = 'FlatManager' | 'FlatDHCPManager' | 'VlanManager';

/**
 * What distinguishes Nova's three network managers (nova/network/manager.py). The rest of the work
 * (allocation, floating IPs, security groups) is shared, as in Nova's NetworkManager base class.
 */
export interface ManagerKind {
  name: ManagerName;
  /** Bridges, gateway addresses and a dnsmasq per network made by nova-network on its host. */
  dhcp: boolean;
  /** One VLAN and bridge per network, networks given to projects on demand. */
  vlan: boolean;
  /** Floating IPs (FlatManager has none in Nova: its floating calls answer nothing). */
  floating: boolean;
  /** Arguments a network cannot be created without (Nova's required_create_args). */
  requiredCreateArgs: Array<'bridge'>;
  /** Addresses reserved at the bottom of each network: network address and gateway (and VlanManager's VPN). */
  bottomReserved: number;
  /** Addresses reserved at the top: the broadcast address. */
  topReserved: number;
  /** Networks an instance of a project gets when it names none: all shared ones, or (VLAN) its project's. */
  projectNetworksOnly: boolean;
}

const KINDS: Record<ManagerName, ManagerKind> = {
  FlatManager: {
    name: 'FlatManager', dhcp: false, vlan: false, floating: false, requiredCreateArgs: ['bridge'],
    bottomReserved: 2, topReserved: 1, projectNetworksOnly: false,
  },
  FlatDHCPManager: {
    name: 'FlatDHCPManager', dhcp: true, vlan: false, floating: true, requiredCreateArgs: ['bridge'],
    bottomReserved: 2, topReserved: 1, projectNetworksOnly: false,
  },
  VlanManager: {
    name: 'VlanManager', dhcp: true, vlan: true, floating: true, requiredCreateArgs: [],
    bottomReserved: 3, topReserved: 1, projectNetworksOnly: true,
  },
};

/** The manager `[DEFAULT] network_manager` names (the class path, or its last part). */
export function managerKind(conf: Pick<NovaConf, 'DEFAULT'> | string): ManagerKind {
  const path = typeof conf === 'string' ? conf : conf.DEFAULT.network_manager;
  const name = path.split('.').pop() as ManagerName;
  const kind = KINDS[name];
  if (!kind) throw new Error(`[DEFAULT] network_manager '${path}' is not one of nova.network.manager.FlatManager, FlatDHCPManager or VlanManager`);
  return kind;
}
