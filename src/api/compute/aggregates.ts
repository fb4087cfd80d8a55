import { AggregateAPI } from '../../compute/aggregate_api';
import { AggregateObj } from '../../db/api/aggregates';
import { APIVersion } from '../microversion';
import { dbTime } from '../format';
import { registerPolicies } from '../policy';
import { ApiResponse, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/aggregates';

const POLICY = 'os_compute_api:os-aggregates';
registerPolicies(['index', 'create', 'show', 'update', 'delete', 'add_host', 'remove_host', 'set_metadata']
  .map((a) => ({ name: `${POLICY}:${a}`, check: 'rule:context_is_admin' })));

/** Nova's aggregate view; `uuid` from 2.41. */
function view(a: AggregateObj, v: APIVersion, full = true): Record<string, unknown> {
  const out: Record<string, unknown> = {
    availability_zone: a.metadata.availability_zone ?? null, created_at: dbTime(a.created_at), deleted: false, deleted_at: null,
    id: a.id, name: a.name, updated_at: dbTime(a.updated_at),
  };
  if (full) { out.hosts = a.hosts; out.metadata = a.metadata; }
  if (v.gte('2.41')) out.uuid = a.uuid;
  return out;
}

/** /os-aggregates: host aggregates and their hosts and metadata (admin). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const aggregates = d.rt.shared('aggregate-api', () => new AggregateAPI(d.conf));

  r.get('/os-aggregates', {
    handler: async (req) => {
      req.authorize(`${POLICY}:index`, {});
      return { aggregates: (await aggregates.list(req.ctx)).map((a) => view(a, req.version)) };
    },
  });

  // Nova answers 200 and, for compatibility, leaves hosts and metadata out of the created aggregate.
  r.post('/os-aggregates', {
    body: schema.create,
    handler: async (req) => {
      req.authorize(`${POLICY}:create`, {});
      const b = req.body.aggregate;
      return { aggregate: view(await aggregates.create(req.ctx, b.name.trim(), b.availability_zone), req.version, false) };
    },
  });

  r.get('/os-aggregates/:id', {
    handler: async (req) => {
      req.authorize(`${POLICY}:show`, {});
      return { aggregate: view(await aggregates.get(req.ctx, req.params.id), req.version) };
    },
  });

  r.put('/os-aggregates/:id', {
    body: schema.update,
    handler: async (req) => {
      req.authorize(`${POLICY}:update`, {});
      const b = req.body.aggregate;
      return { aggregate: view(await aggregates.update(req.ctx, req.params.id, { name: b.name?.trim(), availability_zone: b.availability_zone }), req.version) };
    },
  });

  r.delete('/os-aggregates/:id', {
    handler: async (req) => {
      req.authorize(`${POLICY}:delete`, {});
      await aggregates.delete(req.ctx, req.params.id);
      return new ApiResponse(200);
    },
  });

  r.action('/os-aggregates/:id', 'add_host', {
    body: schema.addHost,
    handler: async (req) => {
      req.authorize(`${POLICY}:add_host`, {});
      return { aggregate: view(await aggregates.addHost(req.ctx, req.params.id, req.body.add_host.host), req.version) };
    },
  });

  r.action('/os-aggregates/:id', 'remove_host', {
    body: schema.removeHost,
    handler: async (req) => {
      req.authorize(`${POLICY}:remove_host`, {});
      return { aggregate: view(await aggregates.removeHost(req.ctx, req.params.id, req.body.remove_host.host), req.version) };
    },
  });

  r.action('/os-aggregates/:id', 'set_metadata', {
    body: schema.setMetadata,
    handler: async (req) => {
      req.authorize(`${POLICY}:set_metadata`, {});
      return { aggregate: view(await aggregates.setMetadata(req.ctx, req.params.id, req.body.set_metadata.metadata), req.version) };
    },
  });
}
