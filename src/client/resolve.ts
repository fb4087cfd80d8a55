import type { ComputeClient } from './compute/client';
import { Flavor } from './compute/flavors';
import { Hypervisor } from './compute/hypervisors';
import { ProxyImage } from './compute/images';
import { Keypair } from './compute/keypairs';
import { Server, ServerSummary } from './compute/servers';
import { ServiceTarget } from './compute/services';
import { CommandError } from './errors';
import { findResource, isUuidLike } from './find';

/** A server found by name or id: the full server when it was fetched by id, else its summary. */
export type FoundServer = Server | ServerSummary;

export function isFullServer(s: FoundServer): s is Server {
  return 'status' in s;
}

/** A server by UUID or exact name (`all_tenants` / `deleted` widen the name search, admins only). */
export function findServer(nova: ComputeClient, nameOrId: string, opts: { allTenants?: boolean; deleted?: boolean } = {}): Promise<FoundServer> {
  return findResource<FoundServer>({
    kind: 'server',
    get: (id) => nova.servers.get(id),
    listByName: (name) => nova.servers.list({
      detailed: false, search: { name, all_tenants: opts.allTenants ? 1 : undefined, deleted: opts.deleted ? 'True' : undefined },
    }),
    nameOf: (s) => s.name,
  }, nameOrId);
}

/** The full server, fetching it when the lookup found only its summary. */
export async function getServer(nova: ComputeClient, nameOrId: string, opts: { allTenants?: boolean } = {}): Promise<Server> {
  const s = await findServer(nova, nameOrId, opts);
  return isFullServer(s) ? s : nova.servers.get(s.id);
}

/** A flavor by id or name, private ones included (novaclient's _find_flavor). */
export function findFlavor(nova: ComputeClient, nameOrId: string): Promise<Flavor> {
  return findResource<Flavor>({
    kind: 'flavor', alphanumIds: true,
    get: (id) => nova.flavors.get(id),
    listByName: () => nova.flavors.list({ isPublic: null }),
    nameOf: (f) => f.name,
  }, nameOrId);
}

export function findKeypair(nova: ComputeClient, name: string): Promise<Keypair> {
  return findResource<Keypair>({
    kind: 'keypair', alphanumIds: true,
    get: (id) => nova.keypairs.get(id),
    listByName: () => nova.keypairs.list(),
    nameOf: (k) => k.name,
  }, name);
}

/** A hypervisor by id (a UUID since 2.53) or exact hypervisor hostname. */
export function findHypervisor(nova: ComputeClient, nameOrId: string): Promise<Hypervisor> {
  return findResource<Hypervisor>({
    kind: 'hypervisor', alphanumIds: true,
    get: (id) => nova.hypervisors.get(id),
    listByName: () => nova.hypervisors.listDetailed(),
    nameOf: (h) => h.hypervisor_hostname,
  }, nameOrId);
}

/**
 * The service a service-enable/disable/force-down/delete argument names: since 2.53 its UUID (a
 * host name is also accepted and means that host's nova-compute); before, a host's nova-compute.
 */
export async function serviceTarget(nova: ComputeClient, arg: string): Promise<ServiceTarget> {
  if (!nova.supports('2.53')) return { host: arg, binary: 'nova-compute' };
  if (isUuidLike(arg)) return { id: arg };
  const found = await nova.services.list({ host: arg, binary: 'nova-compute' });
  if (found.length !== 1) throw new CommandError(`No nova-compute service on host '${arg}': give the service's ID (see 'nova service-list').`);
  return { id: String(found[0].id) };
}

/** An image of the compute image proxy by UUID or exact name (`nova` must be capped at 2.35). */
export function findProxyImage(nova: ComputeClient, nameOrId: string): Promise<ProxyImage> {
  return findResource<ProxyImage>({
    kind: 'image',
    get: (id) => nova.images.get(id),
    listByName: (name) => nova.images.list({ name }),
    nameOf: (i) => i.name,
  }, nameOrId);
}

/** The server of instance-action(-list): since 2.21 an unknown UUID is used as is (the server may be deleted). */
export async function serverIdForActions(nova: ComputeClient, server: string): Promise<string> {
  try {
    return (await findServer(nova, server)).id;
  } catch (e) {
    if (e instanceof CommandError && nova.supports('2.21') && !/^Multiple/.test(e.message)) return server;
    throw e;
  }
}
