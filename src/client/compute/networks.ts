import { ComputeCaller, seg } from './caller';

/** A nova-network network as /os-networks shows it (admins see every field, others a few). */
export interface Network {
  id: string;
  label: string;
  cidr: string | null;
  cidr_v6?: string | null;
  netmask?: string | null;
  gateway?: string | null;
  broadcast?: string | null;
  dns1?: string | null;
  dns2?: string | null;
  bridge?: string | null;
  vlan?: number | null;
  multi_host?: boolean;
  project_id?: string | null;
  host?: string | null;
  [field: string]: unknown;
}

/** What `network-create` may send (Nova's os-networks create schema). */
export interface NetworkCreate {
  label: string;
  cidr?: string;
  cidr_v6?: string;
  vlan?: number;
  vlan_start?: number;
  /** A string in Nova's schema. */
  vpn_start?: string;
  gateway?: string;
  gateway_v6?: string;
  bridge?: string;
  bridge_interface?: string;
  multi_host?: boolean;
  dns1?: string;
  dns2?: string;
  fixed_cidr?: string;
  project_id?: string;
  mtu?: number;
  enable_dhcp?: boolean;
  dhcp_server?: string;
  share_address?: boolean;
  allowed_start?: string;
  allowed_end?: string;
}

/** `/os-networks` (nova-network, up to 2.35: give a client capped there). */
export class NetworksApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(): Promise<Network[]> {
    return (await this.c.call<{ networks: Network[] }>('GET', '/os-networks')).body.networks;
  }

  async get(id: string): Promise<Network> {
    return (await this.c.call<{ network: Network }>('GET', `/os-networks/${seg(id)}`)).body.network;
  }

  async create(network: NetworkCreate): Promise<Network> {
    return (await this.c.call<{ network: Network }>('POST', '/os-networks', { body: { network } })).body.network;
  }

  async delete(id: string): Promise<void> {
    await this.c.call('DELETE', `/os-networks/${seg(id)}`);
  }

  async associateHost(id: string, host: string): Promise<void> {
    await this.c.call('POST', `/os-networks/${seg(id)}/action`, { body: { associate_host: host } });
  }

  /** Gives the network to the caller's project (`POST /os-networks/add`). */
  async associateProject(id: string): Promise<void> {
    await this.c.call('POST', '/os-networks/add', { body: { id } });
  }

  /** Takes the host, the project or both away from the network. */
  async disassociate(id: string, what: { host: boolean; project: boolean }): Promise<void> {
    const action = what.host && what.project ? 'disassociate' : what.host ? 'disassociate_host' : 'disassociate_project';
    await this.c.call('POST', `/os-networks/${seg(id)}/action`, { body: { [action]: null } });
  }
}

export interface FixedIp {
  address: string;
  cidr: string | null;
  hostname: string | null;
  host: string | null;
  /** 2.4+ */
  reserved?: boolean;
}

/** `/os-fixed-ips` (admin, up to 2.35). */
export class FixedIpsApi {
  constructor(private readonly c: ComputeCaller) {}

  async get(address: string): Promise<FixedIp> {
    return (await this.c.call<{ fixed_ip: FixedIp }>('GET', `/os-fixed-ips/${seg(address)}`)).body.fixed_ip;
  }

  async reserve(address: string): Promise<void> {
    await this.c.call('POST', `/os-fixed-ips/${seg(address)}/action`, { body: { reserve: null } });
  }

  async unreserve(address: string): Promise<void> {
    await this.c.call('POST', `/os-fixed-ips/${seg(address)}/action`, { body: { unreserve: null } });
  }
}
