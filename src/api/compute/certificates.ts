import { registerPolicies } from '../policy';
import { HttpError } from '../faults';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';

// Nova's os-certificates (15.0 Ocata nova/api/openstack/compute/certificates.py). Nova answers 410 for
// every microversion since 16.0 Pike only because it deleted nova-cert; this build has nova-cert, so
// both routes are served at every microversion it declares.
registerPolicies([
  { name: 'os_compute_api:os-certificates:create', check: 'rule:project_member_or_admin', operations: [{ method: 'POST', path: '/os-certificates' }] },
  { name: 'os_compute_api:os-certificates:show', check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/os-certificates/root' }] },
]);

const view = (data: string, privateKey: string | null = null) => ({ certificate: { data, private_key: privateKey } });

/** /os-certificates: a new key and certificate for the caller, and the CA that signs them. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  // 200, not 201, as in Nova.
  r.post('/os-certificates', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-certificates:create');
      const cert = await d.rt.cert();
      const made = await cert.generate_x509_cert(req.ctx, { user_id: req.ctx.user_id ?? '', project_id: req.ctx.project_id ?? '' });
      return view(made.certificate, made.private_key);
    },
  });

  r.get('/os-certificates/:id', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-certificates:show');
      if (req.params.id !== 'root') throw new HttpError(501, 'Only root certificate can be retrieved.');
      const cert = await d.rt.cert();
      return view(await cert.fetch_ca(req.ctx, { project_id: req.ctx.project_id }));
    },
  });
}
