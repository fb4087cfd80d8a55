import { FlavorAPI } from '../../compute/flavor_api';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/flavors';
import { flavorAccessBody } from './views/flavors';

const POLICY = 'os_compute_api:os-flavor-access';
registerPolicies([
  { name: POLICY, check: 'rule:context_is_admin' },
  { name: `${POLICY}:add_tenant_access`, check: 'rule:context_is_admin' },
  { name: `${POLICY}:remove_tenant_access`, check: 'rule:context_is_admin' },
]);

/** /flavors/{id}/os-flavor-access and the addTenantAccess/removeTenantAccess actions (admin). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const flavors = d.rt.shared('flavor-api', () => new FlavorAPI());

  r.get('/flavors/:flavor_id/os-flavor-access', {
    handler: async (req) => {
      req.authorize(POLICY);
      return flavorAccessBody(await flavors.accessList(req.ctx, req.params.flavor_id));
    },
  });

  r.action('/flavors/:flavor_id', 'addTenantAccess', {
    body: schema.addTenantAccess,
    handler: async (req) => {
      req.authorize(`${POLICY}:add_tenant_access`, {});
      const tenant = req.body.addTenantAccess.tenant;
      return flavorAccessBody(await flavors.addAccess(req.ctx, req.params.flavor_id, tenant, req.version.gte('2.7')));
    },
  });

  r.action('/flavors/:flavor_id', 'removeTenantAccess', {
    body: schema.removeTenantAccess,
    handler: async (req) => {
      req.authorize(`${POLICY}:remove_tenant_access`, {});
      const tenant = req.body.removeTenantAccess.tenant;
      return flavorAccessBody(await flavors.removeAccess(req.ctx, req.params.flavor_id, tenant));
    },
  });
}
