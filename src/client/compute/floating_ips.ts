import { ComputeCaller, seg } from './caller';

export interface FloatingIp {
  id: number | string;
  ip: string;
  pool: string | null;
  fixed_ip: string | null;
  instance_id: string | null;
}

/** `/os-floating-ips` and `/os-floating-ip-pools` (nova-network, up to 2.35: give a client capped there). */
export class FloatingIpsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(): Promise<FloatingIp[]> {
    return (await this.c.call<{ floating_ips: FloatingIp[] }>('GET', '/os-floating-ips')).body.floating_ips;
  }

  /** Allocates an address to the project from `pool`, or from the default pool. */
  async create(pool?: string): Promise<FloatingIp> {
    return (await this.c.call<{ floating_ip: FloatingIp }>('POST', '/os-floating-ips', { body: pool ? { pool } : {} })).body.floating_ip;
  }

  async delete(id: number | string): Promise<void> {
    await this.c.call('DELETE', `/os-floating-ips/${seg(id)}`);
  }

  async pools(): Promise<Array<{ name: string }>> {
    return (await this.c.call<{ floating_ip_pools: Array<{ name: string }> }>('GET', '/os-floating-ip-pools')).body.floating_ip_pools;
  }

  /** The server actions `addFloatingIp` / `removeFloatingIp` (up to 2.43). */
  async associate(serverId: string, address: string, fixedAddress?: string): Promise<void> {
    const addFloatingIp: Record<string, string> = { address };
    if (fixedAddress) addFloatingIp.fixed_address = fixedAddress;
    await this.c.call('POST', `/servers/${seg(serverId)}/action`, { body: { addFloatingIp } });
  }

  async disassociate(serverId: string, address: string): Promise<void> {
    await this.c.call('POST', `/servers/${seg(serverId)}/action`, { body: { removeFloatingIp: { address } } });
  }
}
