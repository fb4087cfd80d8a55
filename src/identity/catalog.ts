import { Transaction } from 'sequelize';
import { CatalogServiceRow, EndpointRow, RegionRow } from '../db/models/identity';
import { badRequest, conflict, forbidden, isUniqueViolation, notFound } from './errors';
import { newId } from './ids';

/** Regions, services and endpoints: the service catalog (Keystone's catalog backend, SQL driver). */

export const INTERFACES = ['public', 'internal', 'admin'] as const;
export type Interface = (typeof INTERFACES)[number];

/** Names and descriptions devstack gives the services of each type. */
const SERVICE_NAMES: Record<string, { name: string; description: string }> = {
  identity: { name: 'keystone', description: 'Keystone Identity Service' },
  compute: { name: 'nova', description: 'Nova Compute Service' },
  image: { name: 'glance', description: 'Glance Image Service' },
  ec2: { name: 'ec2', description: 'EC2 Compatibility Layer' },
  metadata: { name: 'nova-metadata', description: 'Nova Metadata Service' },
  network: { name: 'nova-network', description: 'Nova Network Service' },
  volume: { name: 'cinder', description: 'Cinder Volume Service' },
  placement: { name: 'placement', description: 'Placement Service' },
};

export async function getRegion(id: string): Promise<RegionRow> {
  const r = await RegionRow.findByPk(id);
  if (!r) throw notFound('region', id);
  return r;
}

export async function listRegions(filter: { parent_region_id?: string } = {}): Promise<RegionRow[]> {
  const where: Record<string, unknown> = {};
  if (filter.parent_region_id !== undefined) where.parent_region_id = filter.parent_region_id;
  return RegionRow.findAll({ where, order: [['id', 'ASC']] });
}

export async function createRegion(v: { id?: string; description?: string | null; parent_region_id?: string | null }): Promise<RegionRow> {
  const id = v.id ?? newId();
  if (v.parent_region_id) await getRegion(v.parent_region_id);
  if (await RegionRow.findByPk(id)) throw conflict('region', `Duplicate ID, ${id}`);
  try {
    return await RegionRow.create({ id, description: v.description ?? '', parent_region_id: v.parent_region_id ?? null });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('region', `Duplicate ID, ${id}`);
    throw e;
  }
}

export async function ensureRegion(id: string): Promise<RegionRow> {
  return (await RegionRow.findByPk(id)) ?? createRegion({ id }).catch(async (e) => (await RegionRow.findByPk(id)) ?? Promise.reject(e));
}

export async function deleteRegion(id: string): Promise<void> {
  const r = await getRegion(id);
  if (await RegionRow.count({ where: { parent_region_id: id } })) {
    throw forbidden(`Unable to delete region ${id} because it or its child regions have associated endpoints.`);
  }
  if (await EndpointRow.count({ where: { region_id: id } })) {
    throw forbidden(`Unable to delete region ${id} because it or its child regions have associated endpoints.`);
  }
  await r.destroy();
}

export async function getService(id: string): Promise<CatalogServiceRow> {
  const s = await CatalogServiceRow.findByPk(id);
  if (!s) throw notFound('service', id);
  return s;
}

export async function listServices(filter: { type?: string; name?: string } = {}): Promise<CatalogServiceRow[]> {
  const where: Record<string, unknown> = {};
  if (filter.type !== undefined) where.type = filter.type;
  if (filter.name !== undefined) where.name = filter.name;
  return CatalogServiceRow.findAll({ where, order: [['type', 'ASC'], ['name', 'ASC']] });
}

export async function createService(v: { type: string; name?: string | null; description?: string | null; enabled?: boolean }): Promise<CatalogServiceRow> {
  return CatalogServiceRow.create({ id: newId(), type: v.type, name: v.name ?? '', description: v.description ?? '', enabled: v.enabled ?? true });
}

export async function updateService(id: string, changes: { type?: string; name?: string; description?: string; enabled?: boolean }): Promise<CatalogServiceRow> {
  return (await getService(id)).update(changes);
}

/** Deletes a service and its endpoints. */
export async function deleteService(id: string): Promise<void> {
  const s = await getService(id);
  await CatalogServiceRow.sequelize!.transaction(async (transaction: Transaction) => {
    await EndpointRow.destroy({ where: { service_id: id }, transaction });
    await s.destroy({ transaction });
  });
}

export async function getEndpoint(id: string): Promise<EndpointRow> {
  const e = await EndpointRow.findByPk(id);
  if (!e) throw notFound('endpoint', id);
  return e;
}

export async function listEndpoints(filter: { service_id?: string; interface?: string; region_id?: string } = {}): Promise<EndpointRow[]> {
  const where: Record<string, unknown> = {};
  for (const k of ['service_id', 'interface', 'region_id'] as const) if (filter[k] !== undefined) where[k] = filter[k];
  return EndpointRow.findAll({ where, order: [['service_id', 'ASC'], ['interface', 'ASC']] });
}

export interface EndpointValues { service_id: string; interface: string; url: string; region_id?: string | null; enabled?: boolean }

function checkInterface(i: string): void {
  if (!(INTERFACES as readonly string[]).includes(i)) {
    throw badRequest(`Invalid input for field 'interface': '${i}' does not match '^(?:admin|internal|public)$'`);
  }
}

export async function createEndpoint(v: EndpointValues): Promise<EndpointRow> {
  checkInterface(v.interface);
  await getService(v.service_id);
  if (v.region_id) await getRegion(v.region_id);
  return EndpointRow.create({ id: newId(), service_id: v.service_id, interface: v.interface, url: v.url, region_id: v.region_id ?? null, enabled: v.enabled ?? true });
}

export async function updateEndpoint(id: string, changes: Partial<EndpointValues>): Promise<EndpointRow> {
  const e = await getEndpoint(id);
  if (changes.interface !== undefined) checkInterface(changes.interface);
  if (changes.service_id) await getService(changes.service_id);
  if (changes.region_id) await getRegion(changes.region_id);
  return e.update(changes);
}

export async function deleteEndpoint(id: string): Promise<void> {
  await (await getEndpoint(id)).destroy();
}

/**
 * Makes the catalog say that `type` is served at `url` in `regionId`, on the public, internal and
 * admin interfaces: the service is created when missing and stale URLs are replaced.
 */
export async function registerEndpoint(type: string, url: string, regionId: string): Promise<void> {
  await ensureRegion(regionId);
  let [service] = await listServices({ type });
  if (!service) {
    const known = SERVICE_NAMES[type] ?? { name: type, description: `${type} service` };
    service = await createService({ type, name: known.name, description: known.description });
  }
  for (const iface of INTERFACES) {
    const [existing, ...extra] = await listEndpoints({ service_id: service.id, interface: iface, region_id: regionId });
    for (const e of extra) await e.destroy();
    if (!existing) await createEndpoint({ service_id: service.id, interface: iface, url, region_id: regionId });
    else if (existing.url !== url || !existing.enabled) await existing.update({ url, enabled: true });
  }
}

/** A catalog entry as tokens carry it. */
export interface CatalogEntry {
  id: string; type: string; name: string;
  endpoints: Array<{ id: string; interface: string; region: string | null; region_id: string | null; url: string }>;
}

/** The catalog of enabled services that have enabled endpoints. */
export async function buildCatalog(): Promise<CatalogEntry[]> {
  const services = await CatalogServiceRow.findAll({ where: { enabled: true }, order: [['type', 'ASC']] });
  const endpoints = await EndpointRow.findAll({ where: { enabled: true }, order: [['interface', 'ASC']] });
  return services.map((s) => ({
    id: s.id, type: s.type, name: s.name ?? '',
    endpoints: endpoints.filter((e) => e.service_id === s.id)
      .map((e) => ({ id: e.id, interface: e.interface, region: e.region_id, region_id: e.region_id, url: e.url })),
  })).filter((s) => s.endpoints.length > 0);
}
