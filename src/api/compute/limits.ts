import { QuotaSetsAPI } from '../../compute/quota_sets';
import { q1 } from '../format';
import { APIVersion } from '../microversion';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/quotas';

registerPolicies([
  { name: 'os_compute_api:limits', check: '@' },
  { name: 'os_compute_api:limits:other_project', check: 'rule:context_is_admin' },
]);

/** Absolute limit names of each quota resource (Nova's views/limits.py). */
const LIMIT_NAMES: Record<string, string[]> = {
  ram: ['maxTotalRAMSize'],
  instances: ['maxTotalInstances'],
  cores: ['maxTotalCores'],
  key_pairs: ['maxTotalKeypairs'],
  floating_ips: ['maxTotalFloatingIps'],
  metadata_items: ['maxServerMeta', 'maxImageMeta'],
  injected_files: ['maxPersonality'],
  injected_file_content_bytes: ['maxPersonalitySize'],
  security_groups: ['maxSecurityGroups'],
  security_group_rules: ['maxSecurityGroupRules'],
  server_groups: ['maxServerGroups'],
  server_group_members: ['maxServerGroupMembers'],
};
const USED_NAMES: Record<string, string> = {
  totalRAMUsed: 'ram', totalCoresUsed: 'cores', totalInstancesUsed: 'instances', totalFloatingIpsUsed: 'floating_ips',
  totalSecurityGroupsUsed: 'security_groups', totalServerGroupsUsed: 'server_groups',
};

/** 2.36 drops nova-network's limits, 2.57 the personality ones; 2.39 drops maxImageMeta. */
function absolute(v: APIVersion, quotas: Record<string, { limit: number; in_use: number }>): Record<string, number> {
  const dropped = ['floating_ips', 'security_groups', 'security_group_rules'];
  const filtered = v.gte('2.57') ? [...dropped, 'injected_files', 'injected_file_content_bytes'] : v.gte('2.36') ? dropped : [];
  const out: Record<string, number> = {};
  for (const [resource, names] of Object.entries(LIMIT_NAMES)) {
    if (filtered.includes(resource) || !quotas[resource]) continue;
    for (const name of names) if (!(name === 'maxImageMeta' && v.gte('2.39'))) out[name] = quotas[resource].limit;
  }
  for (const [name, resource] of Object.entries(USED_NAMES)) {
    if (!filtered.includes(resource) && quotas[resource]) out[name] = quotas[resource].in_use;
  }
  return out;
}

/** GET /limits: the caller's project limits and usage; admins may ask for another with `?tenant_id=`. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const quotas = d.rt.shared('quota-sets-api', () => new QuotaSetsAPI(d.compute.quotas));

  r.get('/limits', {
    queryParams: schema.limitsQuery,
    handler: async (req) => {
      req.authorize('os_compute_api:limits', {});
      let projectId = req.ctx.project_id ?? '';
      if (req.query.tenant_id !== undefined) {
        projectId = q1(req.query.tenant_id) ?? '';
        req.authorize('os_compute_api:limits:other_project');
      }
      return { limits: { rate: [], absolute: absolute(req.version, await quotas.detail(projectId)) } };
    },
  });
}
