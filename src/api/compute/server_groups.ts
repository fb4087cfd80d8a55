import { ServerGroupObj } from '../../db/api/server_groups';
import { badRequest } from '../faults';
import { q1 } from '../format';
import { APIVersion } from '../microversion';
import { registerPolicies } from '../policy';
import { ApiResponse, ApiRouter } from '../router';
import { toBool } from '../validation';
import { ControllerDeps } from './deps';
import * as schema from './schemas/server_groups';

const POLICY = 'os_compute_api:os-server-groups';
registerPolicies([
  { name: `${POLICY}:create`, check: 'rule:project_member_or_admin' },
  { name: `${POLICY}:delete`, check: 'rule:project_member_or_admin' },
  { name: `${POLICY}:index`, check: 'rule:project_reader_or_admin' },
  { name: `${POLICY}:index:all_projects`, check: 'rule:context_is_admin' },
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin' },
]);

/** Nova's server group view: `policies` and `metadata` before 2.64, `policy` and `rules` since. */
function view(g: ServerGroupObj, v: APIVersion): Record<string, unknown> {
  const out: Record<string, unknown> = { id: g.uuid, name: g.name };
  if (v.gte('2.64')) {
    out.policy = g.policy;
    out.rules = g.rules;
  } else {
    out.policies = [g.policy];
    out.metadata = {};
  }
  out.members = g.members;
  if (v.gte('2.13')) { out.project_id = g.project_id; out.user_id = g.user_id; }
  return out;
}

function pageParam(raw: string | string[] | undefined, name: string, min: number): number | undefined {
  const s = q1(raw);
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s) || Number(s) < min) throw badRequest(`Invalid input for query parameters ${name}. Value: ${s}. '${s}' is not a valid ${name}`);
  return Number(s);
}

/** /os-server-groups: placement policies shared by servers booted with the `group` hint. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const groups = d.compute.serverGroups;

  r.get('/os-server-groups', {
    handler: async (req) => {
      req.authorize(`${POLICY}:index`, { project_id: req.ctx.project_id });
      const q = req.query as Record<string, string | string[] | undefined>;
      const all = q.all_projects !== undefined && toBool(q1(q.all_projects) ?? 'true');
      if (all) req.authorize(`${POLICY}:index:all_projects`, {});
      const page = { limit: pageParam(q.limit, 'limit', 1), offset: pageParam(q.offset, 'offset', 0) };
      return { server_groups: (await groups.list(req.ctx, all, page)).map((g) => view(g, req.version)) };
    },
  });

  r.post('/os-server-groups', {
    body: [{ max: '2.14', schema: schema.create }, { min: '2.15', max: '2.63', schema: schema.createV215 }, { min: '2.64', schema: schema.createV264 }],
    handler: async (req) => {
      req.authorize(`${POLICY}:create`, { project_id: req.ctx.project_id, user_id: req.ctx.user_id });
      const b = req.body.server_group;
      const policy: string = req.version.gte('2.64') ? b.policy : b.policies[0];
      const rules: Record<string, unknown> = {};
      if (b.rules && Object.keys(b.rules).length > 0) {
        if (policy !== 'anti-affinity') throw badRequest(`Only anti-affinity policy supports rules.`);
        rules.max_server_per_host = Number(b.rules.max_server_per_host);
      }
      return { server_group: view(await groups.create(req.ctx, { name: b.name, policy, rules }), req.version) };
    },
  });

  r.get('/os-server-groups/:id', {
    handler: async (req) => {
      const g = await groups.get(req.ctx, req.params.id);
      req.authorize(`${POLICY}:show`, { project_id: g.project_id });
      return { server_group: view(g, req.version) };
    },
  });

  r.delete('/os-server-groups/:id', {
    handler: async (req) => {
      const g = await groups.get(req.ctx, req.params.id);
      req.authorize(`${POLICY}:delete`, { project_id: g.project_id });
      await groups.delete(req.ctx, g.uuid);
      return new ApiResponse(204);
    },
  });
}
