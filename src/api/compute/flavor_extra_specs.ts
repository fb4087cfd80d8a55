import { FlavorAPI } from '../../compute/flavor_api';
import { badRequest } from '../faults';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/flavors';

const POLICY = 'os_compute_api:os-flavor-extra-specs';
registerPolicies([
  { name: `${POLICY}:index`, check: 'rule:project_reader_or_admin' },
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin' },
  { name: `${POLICY}:create`, check: 'rule:context_is_admin' },
  { name: `${POLICY}:update`, check: 'rule:context_is_admin' },
  { name: `${POLICY}:delete`, check: 'rule:context_is_admin' },
]);

/** /flavors/{flavor_id}/os-extra_specs[/{key}]: readers list and show, admins set and delete. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const flavors = d.rt.shared('flavor-api', () => new FlavorAPI());
  const base = '/flavors/:flavor_id/os-extra_specs';

  r.get(base, {
    handler: async (req) => {
      req.authorize(`${POLICY}:index`, { project_id: req.ctx.project_id });
      return { extra_specs: await flavors.extraSpecs(req.ctx, req.params.flavor_id) };
    },
  });

  // Nova answers 200 (not 201) and echoes the body, numbers included.
  r.post(base, {
    body: schema.createExtraSpecs,
    handler: async (req) => {
      req.authorize(`${POLICY}:create`, {});
      await flavors.setExtraSpecs(req.ctx, req.params.flavor_id, req.body.extra_specs, req.version.gte('2.86'));
      return req.body;
    },
  });

  r.get(`${base}/:key`, {
    handler: async (req) => {
      req.authorize(`${POLICY}:show`, { project_id: req.ctx.project_id });
      const key = req.params.key;
      return { [key]: await flavors.extraSpec(req.ctx, req.params.flavor_id, key) };
    },
  });

  r.put(`${base}/:key`, {
    body: schema.updateExtraSpec,
    handler: async (req) => {
      req.authorize(`${POLICY}:update`, {});
      const body = req.body as Record<string, string | number>;
      if (!(req.params.key in body)) throw badRequest('Request body and URI mismatch');
      await flavors.setExtraSpecs(req.ctx, req.params.flavor_id, body, req.version.gte('2.86'));
      return body;
    },
  });

  r.delete(`${base}/:key`, {
    handler: async (req) => {
      req.authorize(`${POLICY}:delete`, {});
      await flavors.deleteExtraSpec(req.ctx, req.params.flavor_id, req.params.key);
    },
  });
}
