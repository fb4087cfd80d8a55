import { MigrationFilters, MigrationObj } from '../../db/api/migrations';
import { HttpError } from '../faults';
import { dbTime, q1 } from '../format';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { changesWindow, nextLink, queryLimit, rejectUnknown } from './query_params';
import { loadServer, targetOf } from './servers_common';

const MANAGER = 'rule:project_manager_or_admin';
registerPolicies([
  { name: 'os_compute_api:os-migrations:index', check: MANAGER },
  { name: 'os_compute_api:os-migrations:index:all_projects', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-migrations:index:host', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:servers:migrations:index', check: MANAGER },
  { name: 'os_compute_api:servers:migrations:index:host', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:servers:migrations:show', check: 'rule:context_is_admin' },
]);

const LIVE_IN_PROGRESS = ['queued', 'preparing', 'running', 'post-migrating'];

/** One row of GET /os-migrations, with the fields each microversion added. */
function osMigration(req: ApiRequest, m: MigrationObj, withHost: boolean): Record<string, unknown> {
  const v = req.version;
  const out: Record<string, unknown> = {
    created_at: dbTime(m.created_at), dest_compute: m.dest_compute, dest_host: m.dest_host, dest_node: m.dest_node, id: m.id,
    instance_uuid: m.instance_uuid, new_instance_type_id: m.new_instance_type_id, old_instance_type_id: m.old_instance_type_id,
    source_compute: m.source_compute, source_node: m.source_node, status: m.status, updated_at: dbTime(m.updated_at),
  };
  if (!withHost) for (const k of ['dest_compute', 'dest_host', 'dest_node', 'source_compute', 'source_node']) out[k] = null;
  if (v.gte('2.23')) {
    out.migration_type = m.migration_type;
    if (m.migration_type === 'live-migration' && LIVE_IN_PROGRESS.includes(m.status)) {
      const self = `${req.baseUrl}/servers/${m.instance_uuid}/migrations/${m.id}`;
      out.links = [{ rel: 'self', href: self }, { rel: 'bookmark', href: self.replace(/\/v2(\.1)?\//, '/') }];
    }
  }
  if (v.gte('2.59')) out.uuid = m.uuid;
  if (v.gte('2.80')) { out.user_id = m.user_id; out.project_id = m.project_id; }
  return out;
}

/** One migration of GET /servers/{id}/migrations (live migrations in progress, as Nova shows). */
function serverMigration(req: ApiRequest, m: MigrationObj, withHost: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    created_at: dbTime(m.created_at), dest_compute: withHost ? m.dest_compute : null, dest_host: withHost ? m.dest_host : null,
    dest_node: withHost ? m.dest_node : null, disk_processed_bytes: null, disk_remaining_bytes: null, disk_total_bytes: null, id: m.id,
    memory_processed_bytes: null, memory_remaining_bytes: null, memory_total_bytes: null, server_uuid: m.instance_uuid,
    source_compute: withHost ? m.source_compute : null, source_node: withHost ? m.source_node : null, status: m.status, updated_at: dbTime(m.updated_at),
  };
  if (req.version.gte('2.59')) out.uuid = m.uuid;
  if (req.version.gte('2.80')) { out.user_id = m.user_id; out.project_id = m.project_id; }
  return out;
}

/** GET /os-migrations (admin or project manager) and GET /servers/{id}/migrations[/{id}]. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  r.get('/os-migrations', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-migrations:index');
      const v = req.version;
      const f: MigrationFilters = {};
      const project = v.gte('2.80') ? q1(req.query.project_id) : undefined;
      if (!project || project !== req.ctx.project_id) req.authorize('os_compute_api:os-migrations:index:all_projects');
      const withHost = req.can('os_compute_api:os-migrations:index:host');
      for (const k of ['host', 'instance_uuid', 'source_compute', 'status', 'migration_type'] as const) {
        const val = q1(req.query[k]);
        if (val !== undefined) f[k] = val;
      }
      if (project) f.project_id = project;
      if (v.gte('2.80') && q1(req.query.user_id)) f.user_id = q1(req.query.user_id);
      let limit = d.conf.api.max_limit;
      const opts: { limit?: number; marker?: string } = {};
      if (v.gte('2.59')) {
        rejectUnknown(req, ['hidden', 'host', 'instance_uuid', 'source_compute', 'status', 'migration_type', 'limit', 'marker', 'changes-since',
          ...(v.gte('2.66') ? ['changes-before'] : []), ...(v.gte('2.80') ? ['user_id', 'project_id'] : [])]);
        limit = queryLimit(req, limit);
        Object.assign(opts, { limit, marker: q1(req.query.marker) });
        const window = changesWindow(req, v.gte('2.66'));
        f.changes_since = window.since;
        f.changes_before = window.before;
      }
      const list = await d.compute.migrations(f, opts);
      const out: Record<string, unknown> = { migrations: list.map((m) => osMigration(req, m, withHost)) };
      if (v.gte('2.59') && limit > 0 && list.length === limit) out.migrations_links = [nextLink(req, 'os-migrations', list[list.length - 1].uuid)];
      return out;
    },
  });

  r.get('/servers/:server_id/migrations', {
    min: '2.23',
    handler: async (req) => {
      const inst = await loadServer(req, d, 'os_compute_api:servers:migrations:index');
      const withHost = req.can('os_compute_api:servers:migrations:index:host', targetOf(inst));
      const live = await d.compute.migrationsInProgress(inst, 'live-migration');
      return { migrations: live.map((m) => serverMigration(req, m, withHost)) };
    },
  });

  r.get('/servers/:server_id/migrations/:migration_id', {
    min: '2.23',
    handler: async (req) => {
      const inst = await loadServer(req, d, 'os_compute_api:servers:migrations:show');
      const id = req.params.migration_id;
      const m = await d.compute.migration(inst, id).catch(() => null);
      if (!m) throw new HttpError(404, `In-progress live migration ${id} is not found for server ${inst.uuid}.`);
      if (m.migration_type !== 'live-migration') throw new HttpError(404, `Migration ${id} for server ${inst.uuid} is not live-migration.`);
      if (!LIVE_IN_PROGRESS.includes(m.status)) throw new HttpError(404, `Live migration ${id} for server ${inst.uuid} is not in progress.`);
      return { migration: serverMigration(req, m, true) };
    },
  });
}
