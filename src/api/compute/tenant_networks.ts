import { NetworkObj } from '../../db/api/networks';
import { NovaError } from '../../exception';
import { CidrConflict } from '../../network/errors';
import { parseCidr } from '../../network/ipv4';
import { badRequest, conflict, HttpError } from '../faults';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { MAX_PROXY, networkApi, networkNotFoundAs404 } from './networks';
import * as schema from './schemas/network';

const POLICY = 'os_compute_api:os-tenant-networks';
registerPolicies([
  { name: POLICY, check: 'rule:project_member_or_admin', operations: [{ method: 'POST', path: '/os-tenant-networks' }, { method: 'DELETE', path: '/os-tenant-networks/{network_id}' }] },
  { name: `${POLICY}:list`, check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/os-tenant-networks' }] },
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/os-tenant-networks/{network_id}' }] },
]);

/** Nova's tenant network_dict: id, cidr and label only. */
function tenantNetwork(n: NetworkObj) {
  return { id: n.uuid, cidr: String(n.cidr), label: n.label };
}

/** /os-tenant-networks: a project's own networks (deprecated from 2.36). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const api = () => networkApi(d);

  r.get('/os-tenant-networks', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:list`);
      return { networks: (await api().networks.list(req.ctx)).map(tenantNetwork) };
    },
  });

  r.get('/os-tenant-networks/:id', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:show`);
      return { network: tenantNetwork(await networkNotFoundAs404(() => api().networks.visible(req.ctx, req.params.id))) };
    },
  });

  r.post('/os-tenant-networks', {
    max: MAX_PROXY,
    body: schema.createTenantNetwork,
    handler: async (req) => {
      req.authorize(POLICY);
      const n = req.body.network;
      if (n.cidr && (parseCidr(n.cidr)?.size ?? 0) < 4) throw badRequest('Requested network does not contain enough (2+) usable hosts');
      try {
        const made = await api().networks.create({
          label: n.label, cidr: n.cidr, cidr_v6: n.cidr_v6, project_id: req.ctx.project_id,
          vlan_start: n.vlan_start === undefined ? undefined : Number(n.vlan_start),
          network_size: n.network_size === undefined ? undefined : Number(n.network_size),
          num_networks: n.num_networks === undefined ? undefined : Number(n.num_networks),
        });
        return { network: tenantNetwork(made[0]) };
      } catch (e) {
        if (e instanceof CidrConflict || (e instanceof NovaError && e.code === 409)) throw conflict(e.message);
        if (e instanceof NovaError && e.code === 400) throw badRequest(e.message);
        d.log.error(`os-tenant-networks create failed: ${(e as Error).message}`, { request_id: req.ctx.request_id });
        throw new HttpError(503, 'Create networks failed');
      }
    },
  });

  r.delete('/os-tenant-networks/:id', {
    max: MAX_PROXY,
    status: 202,
    handler: async (req) => {
      req.authorize(POLICY);
      await networkNotFoundAs404(async () => {
        const net = await api().networks.visible(req.ctx, req.params.id);
        await api().networks.delete(req.ctx, { uuid: net.uuid, require_disassociated: false });
      });
    },
  });
}
