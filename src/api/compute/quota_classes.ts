import { INJECTED_FILE_QUOTAS, NOVA_NETWORK_QUOTAS, QUOTA_RESOURCE_NAMES } from '../../compute/quota_resources';
import { QuotaSetsAPI } from '../../compute/quota_sets';
import { APIVersion } from '../microversion';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/quotas';

const POLICY = 'os_compute_api:os-quota-class-sets';
registerPolicies([
  { name: `${POLICY}:show`, check: 'rule:context_is_admin' },
  { name: `${POLICY}:update`, check: 'rule:context_is_admin' },
]);

/** Resources a quota class shows: server groups from 2.50, which drops nova-network's; 2.57 drops injected files. */
function classResources(v: APIVersion): string[] {
  let dropped = ['server_groups', 'server_group_members'];
  if (v.gte('2.50')) dropped = NOVA_NETWORK_QUOTAS;
  if (v.gte('2.57')) dropped = [...NOVA_NETWORK_QUOTAS, ...INJECTED_FILE_QUOTAS];
  return QUOTA_RESOURCE_NAMES.filter((r) => !dropped.includes(r));
}

function classSet(id: string | undefined, values: Record<string, number>, v: APIVersion) {
  const out: Record<string, unknown> = id === undefined ? {} : { id };
  for (const r of classResources(v)) out[r] = values[r];
  return { quota_class_set: out };
}

/** /os-quota-class-sets/{class}: admins read and set the limits of a quota class (`default` is the defaults). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const quotas = d.rt.shared('quota-sets-api', () => new QuotaSetsAPI(d.compute.quotas));

  r.get('/os-quota-class-sets/:id', {
    handler: async (req) => {
      req.authorize(`${POLICY}:show`, {});
      return classSet(req.params.id, await quotas.classLimits(req.params.id), req.version);
    },
  });

  r.put('/os-quota-class-sets/:id', {
    body: schema.updateQuotaClassSet,
    handler: async (req) => {
      req.authorize(`${POLICY}:update`, {});
      const values = Object.fromEntries(Object.entries(req.body.quota_class_set as Record<string, number | string>).map(([k, v]) => [k, Number(v)]));
      await quotas.classUpdate(req.ctx, req.params.id, values);
      return classSet(undefined, await quotas.classLimits(req.params.id), req.version);
    },
  });
}
