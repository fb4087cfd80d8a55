import { FlavorAPI, FlavorListQuery } from '../../compute/flavor_api';
import { MarkerNotFound } from '../../exception';
import { badRequest } from '../faults';
import { q1 } from '../format';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiRouter } from '../router';
import { toBool } from '../validation';
import { ControllerDeps } from './deps';
import * as schema from './schemas/flavors';
import { flavorDetail, flavorSummary } from './views/flavors';
import { collectionLinks } from './views/links';

registerPolicies([
  { name: 'os_compute_api:os-flavor-manage:create', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-flavor-manage:update', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-flavor-manage:delete', check: 'rule:context_is_admin' },
]);

const EXTRA_SPECS_INDEX = 'os_compute_api:os-flavor-extra-specs:index';

const BOOL_STRINGS = /^(1|t|true|on|y|yes|0|f|false|off|n|no)$/i;

/** Nova's _parse_is_public: "none" lists every flavor; otherwise a strict boolean. */
function parseIsPublic(v: string | undefined): boolean | null {
  if (v === undefined) return true;
  if (v.toLowerCase() === 'none') return null;
  if (!BOOL_STRINGS.test(v)) throw badRequest(`Invalid is_public filter [${v}]`);
  return toBool(v);
}

function parseMin(req: ApiRequest, name: 'minRam' | 'minDisk'): number | undefined {
  const v = q1(req.query[name]);
  if (v === undefined) return undefined;
  if (!/^\s*[-+]?\d+\s*$/.test(v)) throw badRequest(`Invalid ${name} filter [${v}]`);
  return Number(v);
}

/** The extra specs are in flavor bodies from 2.61 when the caller may read them. */
function showsExtraSpecs(req: ApiRequest): boolean {
  return req.version.gte('2.61') && req.can(EXTRA_SPECS_INDEX, { project_id: req.ctx.project_id });
}

/** /flavors: list, detail, show, and for admins create, update (2.55) and delete. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const flavors = d.rt.shared('flavor-api', () => new FlavorAPI());
  const maxLimit = d.conf.api.max_limit;

  const list = async (req: ApiRequest) => {
    const query: FlavorListQuery = {
      is_public: req.ctx.is_admin ? parseIsPublic(q1(req.query.is_public)) : true,
      min_memory_mb: parseMin(req, 'minRam'),
      min_root_gb: parseMin(req, 'minDisk'),
      sortKey: q1(req.query.sort_key) || 'flavorid',
      sortDir: (q1(req.query.sort_dir) || 'asc') as 'asc' | 'desc',
      limit: Math.min(maxLimit, Number(q1(req.query.limit) ?? maxLimit)),
      marker: q1(req.query.marker),
    };
    try {
      return await flavors.list(req.ctx, query);
    } catch (e) {
      if (e instanceof MarkerNotFound) throw badRequest(`marker [${query.marker}] not found`);
      throw e;
    }
  };
  const listQuery = [{ max: '2.74', schema: schema.listQuery }, { min: '2.75', schema: schema.listQueryV275 }];
  const withLinks = (req: ApiRequest, collection: string, items: Array<{ flavorid: string }>, body: Record<string, unknown>) => {
    const links = collectionLinks(req.baseUrl, collection, req.query, items.length, items[items.length - 1]?.flavorid, maxLimit);
    if (links.length) body.flavors_links = links;
    return body;
  };

  r.get('/flavors', {
    queryParams: listQuery,
    handler: async (req) => {
      const found = await list(req);
      return withLinks(req, 'flavors', found, { flavors: found.map((f) => flavorSummary(f, req.version, req.baseUrl)) });
    },
  });

  r.get('/flavors/detail', {
    queryParams: listQuery,
    handler: async (req) => {
      const found = await list(req);
      const specs = showsExtraSpecs(req);
      return withLinks(req, 'flavors/detail', found, { flavors: found.map((f) => flavorDetail(f, req.version, req.baseUrl, specs)) });
    },
  });

  r.get('/flavors/:flavor_id', {
    handler: async (req) => {
      const f = await flavors.get(req.ctx, req.params.flavor_id);
      return { flavor: flavorDetail(f, req.version, req.baseUrl, showsExtraSpecs(req)) };
    },
  });

  r.post('/flavors', {
    body: [{ max: '2.54', schema: schema.createFlavor }, { min: '2.55', schema: schema.createFlavorV255 }],
    handler: async (req) => {
      req.authorize('os_compute_api:os-flavor-manage:create', {});
      const b = req.body.flavor;
      const f = await flavors.create(req.ctx, {
        name: b.name, id: b.id, ram: b.ram, vcpus: b.vcpus, disk: b.disk, ephemeral: b['OS-FLV-EXT-DATA:ephemeral'],
        swap: b.swap, rxtx_factor: b.rxtx_factor,
        is_public: b['os-flavor-access:is_public'] === undefined ? true : toBool(b['os-flavor-access:is_public']),
        description: req.version.gte('2.55') ? b.description ?? null : null,
      });
      return { flavor: flavorDetail(f, req.version, req.baseUrl, showsExtraSpecs(req)) };
    },
  });

  r.put('/flavors/:flavor_id', {
    min: '2.55',
    body: schema.updateFlavor,
    handler: async (req) => {
      req.authorize('os_compute_api:os-flavor-manage:update', {});
      const f = await flavors.updateDescription(req.ctx, req.params.flavor_id, req.body.flavor.description);
      return { flavor: flavorDetail(f, req.version, req.baseUrl, showsExtraSpecs(req)) };
    },
  });

  r.delete('/flavors/:flavor_id', {
    status: 202,
    handler: async (req) => {
      req.authorize('os_compute_api:os-flavor-manage:delete', {});
      await flavors.delete(req.ctx, req.params.flavor_id);
    },
  });
}
