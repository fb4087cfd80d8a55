import { CommandError } from '../errors';
import { ComputeCaller, seg } from './caller';

export interface Aggregate {
  id: number;
  uuid?: string;
  name: string;
  availability_zone: string | null;
  hosts?: string[];
  metadata?: Record<string, string>;
}

/** `/os-aggregates` and its actions. */
export class AggregatesApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(): Promise<Aggregate[]> {
    return (await this.c.call<{ aggregates: Aggregate[] }>('GET', '/os-aggregates')).body.aggregates;
  }

  async get(id: number | string): Promise<Aggregate> {
    return (await this.c.call<{ aggregate: Aggregate }>('GET', `/os-aggregates/${seg(String(id))}`)).body.aggregate;
  }

  /** An aggregate by id, uuid or name, as novaclient's find_resource does. */
  async find(ref: string): Promise<Aggregate> {
    const all = await this.list();
    const hit = all.find((a) => String(a.id) === ref || a.uuid === ref) ?? all.filter((a) => a.name === ref);
    if (Array.isArray(hit)) {
      if (hit.length === 1) return hit[0];
      if (hit.length > 1) throw new CommandError(`Multiple aggregate matches found for '${ref}', use an ID to be more specific.`);
      throw new CommandError(`No aggregate with a name or ID of '${ref}' exists.`);
    }
    return hit;
  }

  async create(name: string, availabilityZone?: string): Promise<Aggregate> {
    const aggregate: Record<string, string> = { name };
    if (availabilityZone) aggregate.availability_zone = availabilityZone;
    return (await this.c.call<{ aggregate: Aggregate }>('POST', '/os-aggregates', { body: { aggregate } })).body.aggregate;
  }

  async update(id: number, changes: { name?: string; availability_zone?: string }): Promise<Aggregate> {
    return (await this.c.call<{ aggregate: Aggregate }>('PUT', `/os-aggregates/${id}`, { body: { aggregate: changes } })).body.aggregate;
  }

  async delete(id: number): Promise<void> {
    await this.c.call('DELETE', `/os-aggregates/${id}`);
  }

  private async action(id: number, body: unknown): Promise<Aggregate> {
    return (await this.c.call<{ aggregate: Aggregate }>('POST', `/os-aggregates/${id}/action`, { body })).body.aggregate;
  }

  addHost(id: number, host: string): Promise<Aggregate> { return this.action(id, { add_host: { host } }); }
  removeHost(id: number, host: string): Promise<Aggregate> { return this.action(id, { remove_host: { host } }); }
  /** Keys given as null are removed. */
  setMetadata(id: number, metadata: Record<string, string | null>): Promise<Aggregate> { return this.action(id, { set_metadata: { metadata } }); }
}
