import { FastifyInstance } from 'fastify';
import { addImpliedRole, createRole, deleteRole, getRole, listImpliedRules, listRoles, updateRole } from '../../roles';
import { baseUrl, callerOf, requestUrl } from '../request';
import { check, queryStr, roleCreate, roleUpdate } from '../validation';
import { collection, roleView } from '../views';

type Params = { role_id: string };
type ImplyParams = { prior_role_id: string; implied_role_id: string };
const body = (b: unknown): Record<string, unknown> => ((b as { role?: unknown })?.role ?? {}) as Record<string, unknown>;
const brief = (r: { id: string; name: string }, base: string) => ({ id: r.id, name: r.name, links: { self: `${base}/roles/${r.id}` } });

/** /v3/roles and role implications. */
export function registerRoleRoutes(app: FastifyInstance): void {
  app.get('/v3/roles', async (req) => {
    callerOf(req).requireAdmin('identity:list_roles');
    const q = req.query as Record<string, unknown>;
    const roles = await listRoles({ name: queryStr(q.name), domain_id: queryStr(q.domain_id) ?? null });
    return collection('roles', roles.map((r) => roleView(r, baseUrl(req))), requestUrl(req));
  });

  app.post('/v3/roles', async (req, reply) => {
    callerOf(req).requireAdmin('identity:create_role');
    const v = check<{ name: string; domain_id?: string | null; description?: string | null }>(roleCreate, body(req.body));
    return reply.code(201).send({ role: roleView(await createRole(v), baseUrl(req)) });
  });

  app.get<{ Params: Params }>('/v3/roles/:role_id', async (req) => {
    callerOf(req).requireAdmin('identity:get_role');
    return { role: roleView(await getRole(req.params.role_id), baseUrl(req)) };
  });

  app.patch<{ Params: Params }>('/v3/roles/:role_id', async (req) => {
    callerOf(req).requireAdmin('identity:update_role');
    const v = check<{ name?: string; description?: string | null }>(roleUpdate, body(req.body));
    return { role: roleView(await updateRole(req.params.role_id, v), baseUrl(req)) };
  });

  app.delete<{ Params: Params }>('/v3/roles/:role_id', async (req, reply) => {
    callerOf(req).requireAdmin('identity:delete_role');
    await deleteRole(req.params.role_id);
    return reply.code(204).send();
  });

  app.put<{ Params: ImplyParams }>('/v3/roles/:prior_role_id/implies/:implied_role_id', async (req, reply) => {
    callerOf(req).requireAdmin('identity:create_implied_role');
    await addImpliedRole(req.params.prior_role_id, req.params.implied_role_id);
    const base = baseUrl(req);
    const [prior, implied] = await Promise.all([getRole(req.params.prior_role_id), getRole(req.params.implied_role_id)]);
    return reply.code(201).send({
      role_inference: { prior_role: brief(prior, base), implies: brief(implied, base) },
      links: { self: `${base}/roles/${prior.id}/implies/${implied.id}` },
    });
  });

  app.get('/v3/role_inferences', async (req) => {
    callerOf(req).requireAdmin('identity:list_role_inference_rules');
    const base = baseUrl(req);
    const rules = await listImpliedRules();
    const roles = new Map((await listRoles()).map((r) => [r.id, r]));
    const byPrior = new Map<string, string[]>();
    for (const r of rules) byPrior.set(r.prior_role_id, [...(byPrior.get(r.prior_role_id) ?? []), r.implied_role_id]);
    const inferences = [...byPrior].filter(([p]) => roles.has(p)).map(([p, implied]) => ({
      prior_role: brief(roles.get(p)!, base),
      implies: implied.filter((i) => roles.has(i)).map((i) => brief(roles.get(i)!, base)),
    }));
    return { role_inferences: inferences, links: { self: requestUrl(req) } };
  });
}
