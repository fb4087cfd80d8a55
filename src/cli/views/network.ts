import { ComputeClient } from '../../client/compute/client';
import { FloatingIp } from '../../client/compute/floating_ips';
import { Network } from '../../client/compute/networks';
import { findResource } from '../../client/find';

/** The last microversion of nova-network's proxy APIs (os-networks, os-fixed-ips, os-floating-ips, os-security-groups). */
export const NETWORK_PROXY_MAX_VERSION = '2.35';

/** The compute client at the last version that serves nova-network's APIs (refused when a later one was asked for), as novaclient pins them. */
export function networkProxy(nova: ComputeClient, api: string): ComputeClient {
  return nova.atMost(NETWORK_PROXY_MAX_VERSION, `The Compute API serves ${api} only up to microversion ${NETWORK_PROXY_MAX_VERSION} (deprecated in 2.36): ` +
    `drop --os-compute-api-version or give ${NETWORK_PROXY_MAX_VERSION}.`);
}

/** addFloatingIp / removeFloatingIp left the API in 2.44. */
export function floatingActions(nova: ComputeClient): ComputeClient {
  return nova.atMost('2.43', 'The addFloatingIp and removeFloatingIp server actions exist only up to microversion 2.43: ' +
    'drop --os-compute-api-version or give 2.43.');
}

/** A network by id or label (novaclient's find_resource, networks being named by label). */
export function findNetwork(nova: ComputeClient, ref: string): Promise<Network> {
  return findResource<Network>({
    kind: 'network', alphanumIds: true,
    get: (id) => nova.networks.get(id),
    listByName: () => nova.networks.list(),
    nameOf: (n) => n.label,
  }, ref);
}

export const FLOATING_IP_COLUMNS = ['Id', 'IP', 'Server Id', 'Fixed IP', 'Pool'];

/** novaclient's _print_floating_ip_list reads instance_id as `server_id`. */
export function floatingIpRow(f: FloatingIp): Record<string, unknown> {
  return { id: f.id, ip: f.ip, server_id: f.instance_id, fixed_ip: f.fixed_ip, pool: f.pool };
}
