import { FastifyInstance } from 'fastify';
import {
  createEndpoint, createRegion, createService, deleteEndpoint, deleteRegion, deleteService, getEndpoint, getRegion, getService,
  listEndpoints, listRegions, listServices, updateEndpoint, updateService,
} from '../../catalog';
import { baseUrl, callerOf, requestUrl } from '../request';
import { check, endpointCreate, endpointUpdate, queryStr, regionCreate, serviceCreate, serviceUpdate } from '../validation';
import { collection, endpointView, regionView, serviceView } from '../views';

type Id = { id: string };
const member = (b: unknown, key: string): Record<string, unknown> => ((b as Record<string, unknown>)?.[key] ?? {}) as Record<string, unknown>;
interface EndpointBody { interface?: string; service_id?: string; url?: string; region_id?: string | null; region?: string | null; enabled?: boolean }

/** /v3/regions, /v3/services and /v3/endpoints: the catalog as admins edit it. */
export function registerCatalogRoutes(app: FastifyInstance): void {
  // Keystone lets any authenticated user read regions.
  app.get('/v3/regions', async (req) => {
    callerOf(req);
    const regions = await listRegions({ parent_region_id: queryStr((req.query as Record<string, unknown>).parent_region_id) });
    return collection('regions', regions.map((r) => regionView(r, baseUrl(req))), requestUrl(req));
  });
  app.get<{ Params: Id }>('/v3/regions/:id', async (req) => {
    callerOf(req);
    return { region: regionView(await getRegion(req.params.id), baseUrl(req)) };
  });
  app.post('/v3/regions', async (req, reply) => {
    callerOf(req).requireAdmin('identity:create_region');
    const v = check<{ id?: string; description?: string | null; parent_region_id?: string | null }>(regionCreate, member(req.body, 'region'));
    return reply.code(201).send({ region: regionView(await createRegion(v), baseUrl(req)) });
  });
  app.delete<{ Params: Id }>('/v3/regions/:id', async (req, reply) => {
    callerOf(req).requireAdmin('identity:delete_region');
    await deleteRegion(req.params.id);
    return reply.code(204).send();
  });

  app.get('/v3/services', async (req) => {
    callerOf(req).requireAdmin('identity:list_services');
    const q = req.query as Record<string, unknown>;
    const services = await listServices({ type: queryStr(q.type), name: queryStr(q.name) });
    return collection('services', services.map((s) => serviceView(s, baseUrl(req))), requestUrl(req));
  });
  app.post('/v3/services', async (req, reply) => {
    callerOf(req).requireAdmin('identity:create_service');
    const v = check<{ type: string; name?: string; description?: string | null; enabled?: boolean }>(serviceCreate, member(req.body, 'service'));
    return reply.code(201).send({ service: serviceView(await createService(v), baseUrl(req)) });
  });
  app.get<{ Params: Id }>('/v3/services/:id', async (req) => {
    callerOf(req).requireAdmin('identity:get_service');
    return { service: serviceView(await getService(req.params.id), baseUrl(req)) };
  });
  app.patch<{ Params: Id }>('/v3/services/:id', async (req) => {
    callerOf(req).requireAdmin('identity:update_service');
    const v = check<{ type?: string; name?: string; description?: string; enabled?: boolean }>(serviceUpdate, member(req.body, 'service'));
    return { service: serviceView(await updateService(req.params.id, v), baseUrl(req)) };
  });
  app.delete<{ Params: Id }>('/v3/services/:id', async (req, reply) => {
    callerOf(req).requireAdmin('identity:delete_service');
    await deleteService(req.params.id);
    return reply.code(204).send();
  });

  app.get('/v3/endpoints', async (req) => {
    callerOf(req).requireAdmin('identity:list_endpoints');
    const q = req.query as Record<string, unknown>;
    const endpoints = await listEndpoints({ service_id: queryStr(q.service_id), interface: queryStr(q.interface), region_id: queryStr(q.region_id) });
    return collection('endpoints', endpoints.map((e) => endpointView(e, baseUrl(req))), requestUrl(req));
  });
  app.post('/v3/endpoints', async (req, reply) => {
    callerOf(req).requireAdmin('identity:create_endpoint');
    const v = check<Required<Pick<EndpointBody, 'interface' | 'service_id' | 'url'>> & EndpointBody>(endpointCreate, member(req.body, 'endpoint'));
    const e = await createEndpoint({ service_id: v.service_id, interface: v.interface, url: v.url, region_id: v.region_id ?? v.region ?? null, enabled: v.enabled });
    return reply.code(201).send({ endpoint: endpointView(e, baseUrl(req)) });
  });
  app.get<{ Params: Id }>('/v3/endpoints/:id', async (req) => {
    callerOf(req).requireAdmin('identity:get_endpoint');
    return { endpoint: endpointView(await getEndpoint(req.params.id), baseUrl(req)) };
  });
  app.patch<{ Params: Id }>('/v3/endpoints/:id', async (req) => {
    callerOf(req).requireAdmin('identity:update_endpoint');
    const v = check<EndpointBody>(endpointUpdate, member(req.body, 'endpoint'));
    const changes: Record<string, unknown> = {};
    for (const k of ['interface', 'service_id', 'url', 'enabled'] as const) if (v[k] !== undefined) changes[k] = v[k];
    if (v.region_id !== undefined || v.region !== undefined) changes.region_id = v.region_id ?? v.region ?? null;
    return { endpoint: endpointView(await updateEndpoint(req.params.id, changes), baseUrl(req)) };
  });
  app.delete<{ Params: Id }>('/v3/endpoints/:id', async (req, reply) => {
    callerOf(req).requireAdmin('identity:delete_endpoint');
    await deleteEndpoint(req.params.id);
    return reply.code(204).send();
  });
}
