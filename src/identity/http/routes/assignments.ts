import { FastifyInstance } from 'fastify';
import { DomainRow, ProjectRow, RoleRow, UserRow } from '../../../db/models/identity';
import { assignmentNotFound } from '../../errors';
import { getProject } from '../../resources';
import { addGrant, Assignment, directRoles, getRole, hasGrant, listAssignments, removeGrant } from '../../roles';
import { getUser } from '../../users';
import { baseUrl, callerOf, requestUrl } from '../request';
import { queryBool, queryStr } from '../validation';
import { collection, roleView } from '../views';

type GrantParams = { project_id: string; user_id: string; role_id: string };
type ListParams = { project_id: string; user_id: string };

/** Names of the users, projects, roles and domains that `list` mentions, fetched in four queries. */
async function namesFor(list: Assignment[]) {
  const ids = (k: 'user_id' | 'project_id' | 'role_id') => [...new Set(list.map((a) => a[k]))];
  const users = new Map((await UserRow.findAll({ where: { id: ids('user_id') } })).map((u) => [u.id, u]));
  const projects = new Map((await ProjectRow.findAll({ where: { id: ids('project_id') } })).map((p) => [p.id, p]));
  const roles = new Map((await RoleRow.findAll({ where: { id: ids('role_id') } })).map((r) => [r.id, r]));
  const domainIds = [...new Set([...users.values(), ...projects.values()].map((x) => x.domain_id))];
  const domains = new Map((await DomainRow.findAll({ where: { id: domainIds } })).map((d) => [d.id, d]));
  return { users, projects, roles, domains };
}

function format(a: Assignment, base: string, names?: Awaited<ReturnType<typeof namesFor>>) {
  const grantedRole = a.prior_role_id ?? a.role_id;
  const links: Record<string, string> = { assignment: `${base}/projects/${a.project_id}/users/${a.user_id}/roles/${grantedRole}` };
  if (a.prior_role_id) links.prior_role = `${base}/roles/${a.prior_role_id}/implies/${a.role_id}`;
  if (!names) return { role: { id: a.role_id }, user: { id: a.user_id }, scope: { project: { id: a.project_id } }, links };
  const u = names.users.get(a.user_id);
  const p = names.projects.get(a.project_id);
  const domain = (id?: string) => ({ id: id ?? '', name: (id && names.domains.get(id)?.name) ?? '' });
  return {
    role: { id: a.role_id, name: names.roles.get(a.role_id)?.name ?? '' },
    user: { id: a.user_id, name: u?.name ?? '', domain: domain(u?.domain_id) },
    scope: { project: { id: a.project_id, name: p?.name ?? '', domain: domain(p?.domain_id) } },
    links,
  };
}

/** Grants of roles to users on projects, and GET /v3/role_assignments. */
export function registerAssignmentRoutes(app: FastifyInstance): void {
  const grant = '/v3/projects/:project_id/users/:user_id/roles/:role_id';

  app.put<{ Params: GrantParams }>(grant, async (req, reply) => {
    callerOf(req).requireAdmin('identity:create_grant');
    await addGrant(req.params.user_id, req.params.project_id, req.params.role_id);
    return reply.code(204).send();
  });

  // HEAD comes with GET; both answer 204 when the grant exists.
  app.get<{ Params: GrantParams }>(grant, async (req, reply) => {
    callerOf(req).requireAdmin('identity:check_grant');
    const { user_id, project_id, role_id } = req.params;
    await Promise.all([getUser(user_id), getProject(project_id), getRole(role_id)]);
    if (!(await hasGrant(user_id, project_id, role_id))) throw assignmentNotFound(role_id, user_id, project_id);
    return reply.code(204).send();
  });

  app.delete<{ Params: GrantParams }>(grant, async (req, reply) => {
    callerOf(req).requireAdmin('identity:revoke_grant');
    await removeGrant(req.params.user_id, req.params.project_id, req.params.role_id);
    return reply.code(204).send();
  });

  app.get<{ Params: ListParams }>('/v3/projects/:project_id/users/:user_id/roles', async (req) => {
    callerOf(req).requireAdmin('identity:list_grants');
    await Promise.all([getUser(req.params.user_id), getProject(req.params.project_id)]);
    const roles = await directRoles(req.params.user_id, req.params.project_id);
    return collection('roles', roles.map((r) => roleView(r, baseUrl(req))), requestUrl(req));
  });

  app.get('/v3/role_assignments', async (req) => {
    callerOf(req).requireAdmin('identity:list_role_assignments');
    const q = req.query as Record<string, unknown>;
    const base = baseUrl(req);
    // Only user grants on projects exist here: filters on groups, domains or the system match nothing.
    const unmatched = ['group.id', 'scope.domain.id', 'scope.system', 'scope.OS-INHERIT:inherited_to'].some((k) => q[k] !== undefined);
    const list = unmatched ? [] : await listAssignments({
      user_id: queryStr(q['user.id']), project_id: queryStr(q['scope.project.id']), role_id: queryStr(q['role.id']),
      effective: queryBool(q.effective) ?? false,
    });
    const names = queryBool(q.include_names) ? await namesFor(list) : undefined;
    return collection('role_assignments', list.map((a) => format(a, base, names)), requestUrl(req));
  });
}
