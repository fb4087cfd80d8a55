import { ServerUsage, TenantUsage, TenantUsageAPI } from '../../compute/tenant_usage';
import { MarkerNotFound } from '../../exception';
import { badRequest } from '../faults';
import { dbTime, q1, qAll } from '../format';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/usage';
import { collectionLinks } from './views/links';

const POLICY = 'os_compute_api:os-simple-tenant-usage';
registerPolicies([
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin' },
  { name: `${POLICY}:list`, check: 'rule:context_is_admin' },
]);

function serverView(s: ServerUsage) {
  return { ...s, started_at: dbTime(s.started_at), ended_at: dbTime(s.ended_at) };
}

function tenantView(t: TenantUsage) {
  const out: Record<string, unknown> = { ...t, start: dbTime(t.start), stop: dbTime(t.stop) };
  if (t.server_usages) out.server_usages = t.server_usages.map(serverView);
  return out;
}

/** /os-simple-tenant-usage: every project's usage (admins), or one project's (its readers). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const usage = d.rt.shared('tenant-usage-api', () => new TenantUsageAPI());
  const maxLimit = d.conf.api.max_limit;

  /** Paging arrives with 2.40; before it every usage fits in max_limit. */
  const report = async (req: ApiRequest, tenantId: string | undefined, detailed: boolean) => {
    const paged = req.version.gte('2.40');
    const limit = paged ? Math.min(maxLimit, Number(q1(req.query.limit) ?? maxLimit)) : maxLimit;
    const marker = paged ? q1(req.query.marker) : undefined;
    try {
      return await usage.report(req.ctx, { tenantId, start: qAll(req.query.start)[0], end: qAll(req.query.end)[0], detailed, limit, marker });
    } catch (e) {
      if (e instanceof MarkerNotFound) throw badRequest(e.message);
      throw e;
    }
  };
  const links = (req: ApiRequest, collection: string, servers: ServerUsage[]) => req.version.gte('2.40')
    ? collectionLinks(req.baseUrl, collection, req.query, servers.length, servers[servers.length - 1]?.instance_id, maxLimit)
    : [];

  r.get('/os-simple-tenant-usage', {
    queryParams: schema.usageListQuery,
    handler: async (req) => {
      req.authorize(`${POLICY}:list`);
      const { tenants, servers } = await report(req, undefined, qAll(req.query.detailed)[0] === '1');
      const body: Record<string, unknown> = { tenant_usages: tenants.map(tenantView) };
      const next = links(req, 'os-simple-tenant-usage', servers);
      if (next.length) body.tenant_usages_links = next;
      return body;
    },
  });

  r.get('/os-simple-tenant-usage/:tenant_id', {
    queryParams: schema.usageShowQuery,
    handler: async (req) => {
      const tenantId = req.params.tenant_id;
      req.authorize(`${POLICY}:show`, { project_id: tenantId });
      const { tenants, servers } = await report(req, tenantId, true);
      const body: Record<string, unknown> = { tenant_usage: tenants.length ? tenantView(tenants[0]) : {} };
      const next = links(req, `os-simple-tenant-usage/${tenantId}`, servers);
      if (next.length) body.tenant_usage_links = next;
      return body;
    },
  });
}
