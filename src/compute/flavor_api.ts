import { randomUUID } from 'node:crypto';
import { RequestContext } from '../context';
import * as db from '../db/api/flavors';
import { FlavorObj } from '../db/api/flavors';
import { Conflict, FlavorExtraSpecsNotFound, InvalidInput, NotFound } from '../exception';
import { checkExtraSpec } from './extra_spec_validators';

/** Largest value of Nova's integer columns (nova/db/constants.py MAX_INT) and of its float columns. */
const MAX_INT = 0x7fffffff;
const SQL_SP_FLOAT_MAX = 3.40282e38;

export interface FlavorCreateRequest {
  name: string;
  id?: string | number | null;
  ram: number | string;
  vcpus: number | string;
  disk: number | string;
  ephemeral?: number | string;
  swap?: number | string;
  rxtx_factor?: number | string;
  is_public?: boolean;
  description?: string | null;
}

export interface FlavorListQuery {
  /** Admins only: true (default), false, or null for every flavor. */
  is_public?: boolean | null;
  min_memory_mb?: number;
  min_root_gb?: number;
  sortKey?: string;
  sortDir?: 'asc' | 'desc';
  limit?: number;
  marker?: string;
}

export interface FlavorWithAccess extends FlavorObj { projects: string[] }

function checkInteger(value: number | string, name: string, min: number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw new InvalidInput({ reason: `${name} must be an integer` });
  if (n < min) throw new InvalidInput({ reason: `${name} must be >= ${min}` });
  if (n > MAX_INT) throw new InvalidInput({ reason: `${name} must be <= ${MAX_INT}` });
  return n;
}

/**
 * Flavors, their extra specs and their access lists (Nova's compute/flavors.py and the Flavor
 * object). Private flavors are visible to admins and to the projects given access.
 */
export class FlavorAPI {
  /** The projects whose private flavors `ctx` may see: none for admins (they see all). */
  private visibleTo(ctx: RequestContext): string | undefined {
    return ctx.is_admin ? undefined : (ctx.project_id ?? '');
  }

  async list(ctx: RequestContext, q: FlavorListQuery): Promise<FlavorObj[]> {
    const filters: db.FlavorFilters = ctx.is_admin
      ? { is_public: q.is_public === undefined ? true : q.is_public, accessProject: ctx.project_id }
      : { visibleTo: this.visibleTo(ctx), is_public: true, accessProject: ctx.project_id, disabled: false };
    filters.min_memory_mb = q.min_memory_mb;
    filters.min_root_gb = q.min_root_gb;
    return db.flavorList(filters, { sortKey: q.sortKey, sortDir: q.sortDir, limit: q.limit, marker: q.marker });
  }

  /** A flavor by its API id; FlavorNotFound when absent or private and not shared with the caller. */
  async get(ctx: RequestContext, flavorid: string): Promise<FlavorObj> {
    return db.flavorGet(flavorid, this.visibleTo(ctx));
  }

  async create(_ctx: RequestContext, r: FlavorCreateRequest): Promise<FlavorObj> {
    const rxtx = Number(r.rxtx_factor ?? 1.0);
    if (!Number.isFinite(rxtx) || rxtx <= 0 || rxtx > SQL_SP_FLOAT_MAX) {
      throw new InvalidInput({ reason: "'rxtx_factor' argument must be a float between 0 and 3.40282e+38" });
    }
    return db.flavorCreate({
      // An id that is omitted, null or empty is generated, as Nova does.
      flavorid: r.id === undefined || r.id === null || r.id === '' ? randomUUID() : String(r.id),
      name: r.name.trim(),
      memory_mb: checkInteger(r.ram, 'ram', 1),
      vcpus: checkInteger(r.vcpus, 'vcpus', 1),
      root_gb: checkInteger(r.disk, 'disk', 0),
      ephemeral_gb: checkInteger(r.ephemeral ?? 0, 'ephemeral', 0),
      swap: checkInteger(r.swap ?? 0, 'swap', 0),
      rxtx_factor: rxtx,
      vcpu_weight: null,
      is_public: r.is_public ?? true,
      description: r.description ?? null,
    });
  }

  async updateDescription(_ctx: RequestContext, flavorid: string, description: string | null): Promise<FlavorObj> {
    return db.flavorUpdateDescription(flavorid, description);
  }

  async delete(_ctx: RequestContext, flavorid: string): Promise<void> {
    await db.flavorDestroy(flavorid);
  }

  // ---- extra specs ----

  async extraSpecs(ctx: RequestContext, flavorid: string): Promise<Record<string, string>> {
    return (await this.get(ctx, flavorid)).extra_specs;
  }

  async extraSpec(ctx: RequestContext, flavorid: string, key: string): Promise<string> {
    const specs = await this.extraSpecs(ctx, flavorid);
    if (!Object.prototype.hasOwnProperty.call(specs, key)) throw new FlavorExtraSpecsNotFound({ flavor_id: flavorid, extra_specs_key: key });
    return specs[key];
  }

  /**
   * Adds or replaces extra specs. Numbers are kept as their text; from 2.86 (`validateKnown`) keys in
   * a namespace Nova knows must be known and have valid values.
   */
  async setExtraSpecs(ctx: RequestContext, flavorid: string, specs: Record<string, string | number>, validateKnown: boolean): Promise<void> {
    const text: Record<string, string> = {};
    for (const [key, value] of Object.entries(specs)) {
      const v = String(value);
      if (typeof value === 'number' && v.length > 255) {
        throw new InvalidInput({}, `extra_specs value has ${v.length} characters, more than 255.`);
      }
      if (validateKnown) checkExtraSpec(key, v);
      text[key] = v;
    }
    const flavor = await this.get(ctx, flavorid);
    await db.flavorExtraSpecsSet(flavor.id, text);
  }

  async deleteExtraSpec(ctx: RequestContext, flavorid: string, key: string): Promise<void> {
    const flavor = await this.get(ctx, flavorid);
    if (!(await db.flavorExtraSpecDelete(flavor.id, key))) {
      throw new FlavorExtraSpecsNotFound({ flavor_id: flavorid, extra_specs_key: key });
    }
  }

  // ---- access ----

  async withAccess(ctx: RequestContext, flavorid: string): Promise<FlavorWithAccess> {
    const flavor = await this.get(ctx, flavorid);
    return { ...flavor, projects: await db.flavorAccessList(flavor.id) };
  }

  /** Projects given a private flavor; public flavors have no list (404, as Nova answers). */
  async accessList(ctx: RequestContext, flavorid: string): Promise<FlavorWithAccess> {
    const flavor = await this.withAccess(ctx, flavorid);
    if (flavor.is_public) throw new NotFound({}, 'Access list not available for public flavors.');
    return flavor;
  }

  /** `refusePublic`: from 2.7, adding a project to a public flavor is a conflict. */
  async addAccess(ctx: RequestContext, flavorid: string, projectId: string, refusePublic: boolean): Promise<FlavorWithAccess> {
    const flavor = await this.get(ctx, flavorid);
    if (refusePublic && flavor.is_public) throw new Conflict({}, 'Can not add access to a public flavor.');
    await db.flavorAccessAdd(flavor.id, flavor.flavorid, projectId);
    return this.withAccess(ctx, flavorid);
  }

  async removeAccess(ctx: RequestContext, flavorid: string, projectId: string): Promise<FlavorWithAccess> {
    const flavor = await this.get(ctx, flavorid);
    await db.flavorAccessRemove(flavor.id, flavor.flavorid, projectId);
    return this.withAccess(ctx, flavorid);
  }
}
