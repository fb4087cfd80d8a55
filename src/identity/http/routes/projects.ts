import { FastifyInstance } from 'fastify';
import { createProject, deleteProject, getProject, listProjects, updateProject } from '../../resources';
import { baseUrl, callerOf, requestUrl } from '../request';
import { check, projectCreate, projectUpdate, queryBool, queryStr } from '../validation';
import { collection, projectView } from '../views';

type Params = { project_id: string };
interface ProjectBody { name: string; domain_id?: string | null; parent_id?: string | null; description?: string | null; enabled?: boolean; tags?: string[] }

const body = (b: unknown): Record<string, unknown> => ((b as { project?: unknown })?.project ?? {}) as Record<string, unknown>;

/** /v3/projects. */
export function registerProjectRoutes(app: FastifyInstance): void {
  app.get('/v3/projects', async (req) => {
    callerOf(req).requireAdmin('identity:list_projects');
    const q = req.query as Record<string, unknown>;
    const projects = await listProjects({
      name: queryStr(q.name), domain_id: queryStr(q.domain_id), enabled: queryBool(q.enabled), parent_id: queryStr(q.parent_id),
    });
    return collection('projects', projects.map((p) => projectView(p, baseUrl(req))), requestUrl(req));
  });

  app.post('/v3/projects', async (req, reply) => {
    const caller = callerOf(req);
    caller.requireAdmin('identity:create_project');
    const v = check<ProjectBody>(projectCreate, body(req.body));
    // Keystone puts a project without a domain in the parent's domain, else in the caller's.
    const parent = v.parent_id ? await getProject(v.parent_id).catch(() => null) : null;
    const domainId = v.domain_id ?? parent?.domain_id ?? caller.domainId;
    const p = await createProject({
      name: v.name, domain_id: domainId, parent_id: v.parent_id ?? null, description: v.description, enabled: v.enabled, tags: v.tags,
    });
    return reply.code(201).send({ project: projectView(p, baseUrl(req)) });
  });

  app.get<{ Params: Params }>('/v3/projects/:project_id', async (req) => {
    callerOf(req).requireAdminOrProject('identity:get_project', req.params.project_id);
    return { project: projectView(await getProject(req.params.project_id), baseUrl(req)) };
  });

  app.patch<{ Params: Params }>('/v3/projects/:project_id', async (req) => {
    callerOf(req).requireAdmin('identity:update_project');
    const v = check<Partial<ProjectBody>>(projectUpdate, body(req.body));
    const p = await updateProject(req.params.project_id, {
      name: v.name, description: v.description, enabled: v.enabled, tags: v.tags,
    });
    return { project: projectView(p, baseUrl(req)) };
  });

  app.delete<{ Params: Params }>('/v3/projects/:project_id', async (req, reply) => {
    callerOf(req).requireAdmin('identity:delete_project');
    await deleteProject(req.params.project_id);
    return reply.code(204).send();
  });
}
