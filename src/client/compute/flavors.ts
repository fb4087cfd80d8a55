import { ComputeCaller, seg } from './caller';
import { Link } from './servers';

export interface Flavor {
  id: string;
  name: string;
  ram: number;
  disk: number;
  vcpus: number;
  /** '' when none before 2.75. */
  swap: number | '';
  'OS-FLV-EXT-DATA:ephemeral': number;
  'OS-FLV-DISABLED:disabled'?: boolean;
  'os-flavor-access:is_public': boolean;
  /** Dropped in 2.102. */
  rxtx_factor?: number;
  /** 2.55+. */
  description?: string | null;
  /** 2.61+. */
  extra_specs?: Record<string, string>;
  links?: Link[];
}

export interface FlavorCreateRequest {
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  /** null: the server makes a UUID. */
  id: string | null;
  ephemeral?: number;
  swap?: number;
  rxtx_factor?: number;
  is_public?: boolean;
  description?: string;
}

export interface FlavorAccess { flavor_id: string; tenant_id: string }

export interface FlavorListOptions {
  /** null lists public and private flavors (admins), false only private ones. */
  isPublic?: boolean | null;
  minDisk?: number;
  minRam?: number;
  marker?: string;
  limit?: number;
  sortKey?: string;
  sortDir?: string;
}

export class FlavorsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(opts: FlavorListOptions = {}): Promise<Flavor[]> {
    const query: Record<string, string | number | undefined> = {
      marker: opts.marker, minDisk: opts.minDisk, minRam: opts.minRam, limit: opts.limit, sort_key: opts.sortKey, sort_dir: opts.sortDir,
    };
    if (opts.isPublic === null) query.is_public = 'None';
    else if (opts.isPublic === false) query.is_public = 'False';
    return (await this.c.call<{ flavors: Flavor[] }>('GET', '/flavors/detail', { query })).body.flavors;
  }

  async get(id: string): Promise<Flavor> {
    return (await this.c.call<{ flavor: Flavor }>('GET', `/flavors/${seg(id)}`)).body.flavor;
  }

  async create(req: FlavorCreateRequest): Promise<Flavor> {
    const flavor: Record<string, unknown> = {
      name: req.name, ram: req.ram, vcpus: req.vcpus, disk: req.disk, id: req.id, swap: req.swap ?? 0,
      'OS-FLV-EXT-DATA:ephemeral': req.ephemeral ?? 0, rxtx_factor: req.rxtx_factor ?? 1.0, 'os-flavor-access:is_public': req.is_public ?? true,
    };
    if (req.description) flavor.description = req.description;
    return (await this.c.call<{ flavor: Flavor }>('POST', '/flavors', { body: { flavor } })).body.flavor;
  }

  /** Changes the description (2.55+). */
  async update(id: string, description: string | null): Promise<Flavor> {
    return (await this.c.call<{ flavor: Flavor }>('PUT', `/flavors/${seg(id)}`, { body: { flavor: { description } } })).body.flavor;
  }

  async delete(id: string): Promise<void> {
    await this.c.call('DELETE', `/flavors/${seg(id)}`);
  }

  async getExtraSpecs(id: string): Promise<Record<string, string>> {
    return (await this.c.call<{ extra_specs: Record<string, string> }>('GET', `/flavors/${seg(id)}/os-extra_specs`)).body.extra_specs;
  }

  async setExtraSpecs(id: string, specs: Record<string, string>): Promise<Record<string, string>> {
    return (await this.c.call<{ extra_specs: Record<string, string> }>('POST', `/flavors/${seg(id)}/os-extra_specs`, { body: { extra_specs: specs } })).body.extra_specs;
  }

  async unsetExtraSpec(id: string, key: string): Promise<void> {
    await this.c.call('DELETE', `/flavors/${seg(id)}/os-extra_specs/${seg(key)}`);
  }

  async listAccess(id: string): Promise<FlavorAccess[]> {
    return (await this.c.call<{ flavor_access: FlavorAccess[] }>('GET', `/flavors/${seg(id)}/os-flavor-access`)).body.flavor_access;
  }

  async addAccess(id: string, tenant: string): Promise<FlavorAccess[]> {
    return this.accessAction(id, 'addTenantAccess', tenant);
  }

  async removeAccess(id: string, tenant: string): Promise<FlavorAccess[]> {
    return this.accessAction(id, 'removeTenantAccess', tenant);
  }

  private async accessAction(id: string, action: string, tenant: string): Promise<FlavorAccess[]> {
    return (await this.c.call<{ flavor_access: FlavorAccess[] }>('POST', `/flavors/${seg(id)}/action`, { body: { [action]: { tenant } } })).body.flavor_access;
  }
}
