import { INJECTED_FILE_QUOTAS, NOVA_NETWORK_QUOTAS, QUOTA_RESOURCE_NAMES } from '../../compute/quota_resources';
import { QuotaSetsAPI } from '../../compute/quota_sets';
import { qAll } from '../format';
import { APIVersion } from '../microversion';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiRouter } from '../router';
import { toBool } from '../validation';
import { ControllerDeps } from './deps';
import * as schema from './schemas/quotas';

const POLICY = 'os_compute_api:os-quota-sets';
registerPolicies([
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin' },
  { name: `${POLICY}:detail`, check: 'rule:project_reader_or_admin' },
  { name: `${POLICY}:defaults`, check: '@' },
  { name: `${POLICY}:update`, check: 'rule:context_is_admin' },
  { name: `${POLICY}:delete`, check: 'rule:context_is_admin' },
]);

/** Resources a quota set shows: 2.36 drops nova-network's, 2.57 the injected file ones. */
export function quotaSetResources(v: APIVersion): string[] {
  const dropped = v.gte('2.57') ? [...NOVA_NETWORK_QUOTAS, ...INJECTED_FILE_QUOTAS] : v.gte('2.36') ? NOVA_NETWORK_QUOTAS : [];
  return QUOTA_RESOURCE_NAMES.filter((r) => !dropped.includes(r));
}

function quotaSet<T>(id: string | undefined, values: Record<string, T>, resources: string[]) {
  const out: Record<string, unknown> = id === undefined ? {} : { id };
  for (const r of resources) if (r in values) out[r] = values[r];
  return { quota_set: out };
}

/** The first `?user_id=` given, as Nova reads it. */
const userOf = (req: ApiRequest) => qAll(req.query.user_id)[0] || undefined;

/** /os-quota-sets/{project_id}: limits (readers of the project), defaults (anyone), update and reset (admins). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const quotas = d.rt.shared('quota-sets-api', () => new QuotaSetsAPI(d.compute.quotas));

  r.get('/os-quota-sets/:project_id', {
    queryParams: schema.userQuery,
    handler: async (req) => {
      const id = req.params.project_id;
      req.authorize(`${POLICY}:show`, { project_id: id });
      return quotaSet(id, await quotas.limits(id, userOf(req)), quotaSetResources(req.version));
    },
  });

  r.get('/os-quota-sets/:project_id/defaults', {
    handler: async (req) => {
      const id = req.params.project_id;
      req.authorize(`${POLICY}:defaults`, { project_id: id });
      return quotaSet(id, await quotas.defaults(), quotaSetResources(req.version));
    },
  });

  r.get('/os-quota-sets/:project_id/detail', {
    queryParams: schema.userQuery,
    handler: async (req) => {
      const id = req.params.project_id;
      req.authorize(`${POLICY}:detail`, { project_id: id });
      return quotaSet(id, await quotas.detail(id, userOf(req)), quotaSetResources(req.version));
    },
  });

  r.put('/os-quota-sets/:project_id', {
    body: schema.updateQuotaSet,
    queryParams: schema.userQuery,
    handler: async (req) => {
      const id = req.params.project_id;
      req.authorize(`${POLICY}:update`, { project_id: id });
      const { force, ...asked } = req.body.quota_set as Record<string, number | string | boolean | null>;
      const values: Record<string, number> = {};
      for (const [k, v] of Object.entries(asked)) if (v !== null && v !== '') values[k] = Number(v);
      const userId = userOf(req);
      await quotas.update(req.ctx, id, values, { userId, force: force === undefined ? false : toBool(force) });
      return quotaSet(undefined, await quotas.limits(id, userId), quotaSetResources(req.version));
    },
  });

  r.delete('/os-quota-sets/:project_id', {
    status: 202,
    queryParams: schema.userQuery,
    handler: async (req) => {
      const id = req.params.project_id;
      req.authorize(`${POLICY}:delete`, { project_id: id });
      await quotas.reset(req.ctx, id, userOf(req));
    },
  });
}
