import { FastifyInstance } from 'fastify';
import { getDomain, listDomains } from '../../resources';
import { baseUrl, callerOf, requestUrl } from '../request';
import { queryBool, queryStr } from '../validation';
import { collection, domainView } from '../views';

type Params = { domain_id: string };

/** /v3/domains, read-only: the default domain is made at bootstrap. */
export function registerDomainRoutes(app: FastifyInstance): void {
  app.get('/v3/domains', async (req) => {
    callerOf(req).requireAdmin('identity:list_domains');
    const q = req.query as Record<string, unknown>;
    const domains = await listDomains({ name: queryStr(q.name), enabled: queryBool(q.enabled) });
    return collection('domains', domains.map((d) => domainView(d, baseUrl(req))), requestUrl(req));
  });

  app.get<{ Params: Params }>('/v3/domains/:domain_id', async (req) => {
    callerOf(req).requireAdminOrDomain('identity:get_domain', req.params.domain_id);
    return { domain: domainView(await getDomain(req.params.domain_id), baseUrl(req)) };
  });
}
