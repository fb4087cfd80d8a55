import { FastifyInstance } from 'fastify';
import { getUser, listUsers, createUser, updateUser, deleteUser, changePassword, UserChanges } from '../../users';
import { listProjects } from '../../resources';
import { projectIdsForUser } from '../../roles';
import { baseUrl, callerOf, PUBLIC, requestUrl } from '../request';
import { check, passwordChange, queryBool, queryStr, userCreate, userUpdate } from '../validation';
import { collection, projectView, userView } from '../views';

type Params = { user_id: string };
interface UserBody {
  name: string; domain_id?: string; default_project_id?: string | null; enabled?: boolean; password?: string | null;
  [extra: string]: unknown;
}

const KNOWN = new Set(['id', 'name', 'domain_id', 'default_project_id', 'enabled', 'password', 'links', 'options', 'federated']);
/** Attributes Keystone keeps as given (email, description, ...). */
const extraOf = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter(([k]) => !KNOWN.has(k)));
const body = (b: unknown): Record<string, unknown> => ((b as { user?: unknown })?.user ?? {}) as Record<string, unknown>;

/** /v3/users, a user's projects, and self-service password change. */
export function registerUserRoutes(app: FastifyInstance): void {
  app.get('/v3/users', async (req) => {
    callerOf(req).requireAdmin('identity:list_users');
    const q = req.query as Record<string, unknown>;
    const users = await listUsers({ name: queryStr(q.name), domain_id: queryStr(q.domain_id), enabled: queryBool(q.enabled) });
    return collection('users', users.map((u) => userView(u, baseUrl(req))), requestUrl(req));
  });

  app.post('/v3/users', async (req, reply) => {
    const caller = callerOf(req);
    caller.requireAdmin('identity:create_user');
    const v = check<UserBody>(userCreate, body(req.body));
    const u = await createUser({
      name: v.name, domain_id: v.domain_id ?? caller.domainId, password: v.password, enabled: v.enabled,
      default_project_id: v.default_project_id, extra: extraOf(v),
    });
    return reply.code(201).send({ user: userView(u, baseUrl(req)) });
  });

  app.get<{ Params: Params }>('/v3/users/:user_id', async (req) => {
    callerOf(req).requireAdminOrUser('identity:get_user', req.params.user_id);
    return { user: userView(await getUser(req.params.user_id), baseUrl(req)) };
  });

  app.patch<{ Params: Params }>('/v3/users/:user_id', async (req) => {
    callerOf(req).requireAdmin('identity:update_user');
    const v = check<Partial<UserBody>>(userUpdate, body(req.body));
    const changes: UserChanges = { extra: extraOf(v) };
    if (v.name !== undefined) changes.name = v.name;
    if (v.enabled !== undefined) changes.enabled = v.enabled;
    if (v.default_project_id !== undefined) changes.default_project_id = v.default_project_id;
    if (v.password !== undefined) changes.password = v.password;
    return { user: userView(await updateUser(req.params.user_id, changes), baseUrl(req)) };
  });

  app.delete<{ Params: Params }>('/v3/users/:user_id', async (req, reply) => {
    callerOf(req).requireAdmin('identity:delete_user');
    await deleteUser(req.params.user_id);
    return reply.code(204).send();
  });

  // Needs no token: the original password proves the caller, as in Keystone.
  app.post<{ Params: Params }>('/v3/users/:user_id/password', PUBLIC, async (req, reply) => {
    const v = check<{ original_password: string; password: string }>(passwordChange, body(req.body));
    await changePassword(req.params.user_id, v.original_password, v.password);
    return reply.code(204).send();
  });

  app.get<{ Params: Params }>('/v3/users/:user_id/projects', async (req) => {
    callerOf(req).requireAdminOrUser('identity:list_user_projects', req.params.user_id);
    await getUser(req.params.user_id);
    const ids = await projectIdsForUser(req.params.user_id);
    const projects = ids.length ? await listProjects({ ids }) : [];
    return collection('projects', projects.map((p) => projectView(p, baseUrl(req))), requestUrl(req));
  });
}
