import { Forbidden } from '../../exception';
import { FloatingIpDetail } from '../../network/floating';
import {
  CannotDisassociateAutoAssignedFloatingIP, FloatingIpAssociated, FloatingIpLimitExceeded, FloatingIpNotAssociated, FloatingIpNotFound,
  FloatingIpNotFoundForAddress, FloatingIpPoolNotFound, NoFloatingIpInterface, NoMoreFloatingIps,
} from '../../network/errors';
import { isIPv4 } from '../../network/ipv4';
import { badRequest, conflict, forbidden, notFound } from '../faults';
import { registerPolicies } from '../policy';
import { ApiResponse, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { MAX_PROXY, networkApi } from './networks';
import * as schema from './schemas/network';

const POLICY = 'os_compute_api:os-floating-ips';
const POOLS = 'os_compute_api:os-floating-ip-pools';
registerPolicies([
  { name: `${POLICY}:add`, check: 'rule:project_member_or_admin', operations: [{ method: 'POST', path: '/servers/{server_id}/action (addFloatingIp)' }] },
  { name: `${POLICY}:remove`, check: 'rule:project_member_or_admin', operations: [{ method: 'POST', path: '/servers/{server_id}/action (removeFloatingIp)' }] },
  { name: `${POLICY}:list`, check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/os-floating-ips' }] },
  { name: `${POLICY}:create`, check: 'rule:project_member_or_admin', operations: [{ method: 'POST', path: '/os-floating-ips' }] },
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/os-floating-ips/{floating_ip_id}' }] },
  { name: `${POLICY}:delete`, check: 'rule:project_member_or_admin', operations: [{ method: 'DELETE', path: '/os-floating-ips/{floating_ip_id}' }] },
  { name: POOLS, check: '@', operations: [{ method: 'GET', path: '/os-floating-ip-pools' }] },
]);

/** Nova's _translate_floating_ip_view. */
function view(f: FloatingIpDetail) {
  return { id: f.id, ip: f.address, pool: f.pool, fixed_ip: f.fixed_address, instance_id: f.instance_uuid };
}

function numericId(id: string): number {
  if (!/^\d+$/.test(id)) throw notFound(`Floating IP not found for ID ${id}`);
  return Number(id);
}

/** /os-floating-ips, /os-floating-ip-pools (to 2.35) and the addFloatingIp/removeFloatingIp actions (to 2.43). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const api = () => networkApi(d);
  const floating = () => api().floating;

  r.get('/os-floating-ip-pools', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(POOLS);
      return { floating_ip_pools: (await floating().pools()).map((name) => ({ name })) };
    },
  });

  r.get('/os-floating-ips', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:list`);
      return { floating_ips: (await floating().listForProject(req.ctx.project_id ?? '')).map(view) };
    },
  });

  r.get('/os-floating-ips/:id', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:show`);
      try {
        return { floating_ip: view(await floating().get(req.ctx, numericId(req.params.id))) };
      } catch (e) {
        if (e instanceof FloatingIpNotFound) throw notFound(`Floating IP not found for ID ${req.params.id}`);
        throw e;
      }
    },
  });

  r.post('/os-floating-ips', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:create`);
      const body = req.body as Record<string, unknown> | undefined;
      const pool = body && typeof body === 'object' && typeof body.pool === 'string' ? body.pool : null;
      try {
        const f = await floating().allocate(req.ctx, req.ctx.project_id ?? '', pool);
        return { floating_ip: view(await floating().detail(f)) };
      } catch (e) {
        if (e instanceof NoMoreFloatingIps) throw notFound(pool ? `No more floating IPs in pool ${pool}.` : 'No more floating IPs available.');
        if (e instanceof FloatingIpLimitExceeded) throw forbidden(pool ? `IP allocation over quota in pool ${pool}.` : 'IP allocation over quota.');
        if (e instanceof FloatingIpPoolNotFound) throw notFound(e.message);
        throw e;
      }
    },
  });

  r.delete('/os-floating-ips/:id', {
    max: MAX_PROXY,
    status: 202,
    handler: async (req) => {
      req.authorize(`${POLICY}:delete`);
      let f: FloatingIpDetail;
      try {
        f = await floating().get(req.ctx, numericId(req.params.id));
      } catch (e) {
        if (e instanceof FloatingIpNotFound) throw notFound(`Floating IP not found for ID ${req.params.id}`);
        throw e;
      }
      try {
        await floating().release(req.ctx, f);
      } catch (e) {
        if (e instanceof CannotDisassociateAutoAssignedFloatingIP) throw forbidden('Cannot disassociate auto assigned floating IP');
        if (e instanceof Forbidden) throw forbidden(e.message);
        throw e;
      }
      if (f.instance_uuid) await api().refreshInfoCache(f.instance_uuid);
    },
  });

  r.action('/servers/:server_id', 'addFloatingIp', {
    max: '2.43',
    body: schema.addFloatingIp,
    handler: async (req) => {
      req.authorize(`${POLICY}:add`);
      const { address, fixed_address: wanted } = req.body.addFloatingIp as { address: string; fixed_address?: string };
      const inst = await d.compute.get(req.ctx, req.params.server_id);
      const fixed = (await api().fixedIpsOfInstance(inst.uuid)).map((f) => f.address);
      if (!fixed.length && !inst.network_info?.length) throw badRequest('Instance network is not ready yet');
      if (!fixed.length) throw badRequest('No fixed IPs associated to instance');
      let fixedAddress = wanted;
      if (fixedAddress !== undefined && !fixed.includes(fixedAddress)) throw badRequest('Specified fixed address not assigned to instance');
      fixedAddress ??= fixed.find(isIPv4);
      if (!fixedAddress) {
        throw badRequest(`Unable to associate floating IP ${address} to any fixed IPs for instance ${req.params.server_id}. Instance has no fixed IPv4 addresses to associate.`);
      }
      try {
        await floating().associate(req.ctx, address, fixedAddress);
      } catch (e) {
        if (e instanceof FloatingIpAssociated) throw badRequest('floating IP is already associated');
        if (e instanceof NoFloatingIpInterface) throw badRequest('l3driver call to add floating IP failed');
        if (e instanceof FloatingIpNotFoundForAddress) throw notFound('floating IP not found');
        if (e instanceof Forbidden) throw forbidden(e.message);
        d.log.error(`addFloatingIp ${address} to ${inst.uuid}: ${(e as Error).message}`, { request_id: req.ctx.request_id });
        throw badRequest(`Unable to associate floating IP ${address} to fixed IP ${fixedAddress} for instance ${req.params.server_id}. Error: ${(e as Error).message}`);
      }
      await api().refreshInfoCache(inst.uuid);
      return new ApiResponse(202);
    },
  });

  r.action('/servers/:server_id', 'removeFloatingIp', {
    max: '2.43',
    body: schema.removeFloatingIp,
    handler: async (req) => {
      req.authorize(`${POLICY}:remove`);
      const address = req.body.removeFloatingIp.address as string;
      let f: FloatingIpDetail;
      try {
        f = await floating().getByAddress(req.ctx, address);
      } catch (e) {
        if (e instanceof FloatingIpNotFoundForAddress) throw notFound('floating IP not found');
        throw e;
      }
      const inst = f.instance_uuid ? await d.compute.get(req.ctx, f.instance_uuid) : null;
      if (!inst || !f.fixed_ip_id || inst.uuid !== req.params.server_id) {
        throw conflict(`Floating IP ${address} is not associated with instance ${req.params.server_id}.`);
      }
      try {
        await floating().disassociate(req.ctx, address);
      } catch (e) {
        if (e instanceof FloatingIpNotAssociated) throw badRequest('Floating IP is not associated');
        if (e instanceof CannotDisassociateAutoAssignedFloatingIP) throw forbidden('Cannot disassociate auto assigned floating IP');
        if (e instanceof Forbidden) throw forbidden(e.message);
        throw e;
      }
      await api().refreshInfoCache(inst.uuid);
      return new ApiResponse(202);
    },
  });
}
