import { extractPassword, instancePasswordClear } from '../../db/api/instance_password';
import { registerPolicies } from '../policy';
import { ApiResponse, ApiRouter } from '../router';
import { ControllerDeps } from './deps';

// Nova's os-server-password (nova/api/openstack/compute/server_password.py, nova/policies/server_password.py):
// the encrypted password the guest posted to the metadata service, for `nova get-password`.
const POLICY = 'os_compute_api:os-server-password';
registerPolicies([
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/servers/{server_id}/os-server-password' }] },
  { name: `${POLICY}:clear`, check: 'rule:project_member_or_admin', operations: [{ method: 'DELETE', path: '/servers/{server_id}/os-server-password' }] },
]);

/** /servers/{server_id}/os-server-password: show ('' when none) and clear (the guest may then post again). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  r.get('/servers/:server_id/os-server-password', {
    handler: async (req) => {
      const inst = await d.compute.get(req.ctx, req.params.server_id);
      req.authorize(`${POLICY}:show`, { project_id: inst.project_id });
      return { password: extractPassword(inst.system_metadata) ?? '' };
    },
  });

  r.delete('/servers/:server_id/os-server-password', {
    handler: async (req) => {
      const inst = await d.compute.get(req.ctx, req.params.server_id);
      req.authorize(`${POLICY}:clear`, { project_id: inst.project_id });
      await instancePasswordClear(inst.uuid);
      return new ApiResponse(204);
    },
  });
}
