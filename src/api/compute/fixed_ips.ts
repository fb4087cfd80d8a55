import { instancesBrief } from '../../db/api/fixed_ips';
import { FixedIpInvalid, FixedIpNotFoundForAddress } from '../../network/errors';
import { badRequest, notFound } from '../faults';
import { registerPolicies } from '../policy';
import { ApiResponse, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { MAX_PROXY, networkApi } from './networks';
import * as schema from './schemas/network';

const POLICY = 'os_compute_api:os-fixed-ips';
registerPolicies([{ name: POLICY, check: 'rule:context_is_admin', operations: [{ method: 'GET', path: '/os-fixed-ips/{fixed_ip}' }, { method: 'POST', path: '/os-fixed-ips/{fixed_ip}/action' }] }]);

/** /os-fixed-ips (admin): show a fixed IP, reserve and unreserve it (deprecated from 2.36). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const api = () => networkApi(d);

  r.get('/os-fixed-ips/:address', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(POLICY);
      const { fixed, network } = await api().fixedIp(req.params.address);
      const inst = fixed.instance_uuid ? (await instancesBrief([fixed.instance_uuid])).get(fixed.instance_uuid) : undefined;
      const live = inst && !inst.deleted ? inst : undefined;
      const out: Record<string, unknown> = {
        cidr: network?.cidr ?? null, address: fixed.address, hostname: live?.hostname ?? null, host: live?.host ?? null,
      };
      if (req.version.gte('2.4')) out.reserved = fixed.reserved;
      return { fixed_ip: out };
    },
  });

  const reserve = (name: 'reserve' | 'unreserve') => r.action('/os-fixed-ips/:address', name, {
    max: MAX_PROXY,
    body: name === 'reserve' ? schema.reserveFixedIp : schema.unreserveFixedIp,
    handler: async (req) => {
      req.authorize(POLICY);
      try {
        await api().setReserved(req.params.address, name === 'reserve');
      } catch (e) {
        if (e instanceof FixedIpNotFoundForAddress) throw notFound(`Fixed IP ${req.params.address} not found`);
        if (e instanceof FixedIpInvalid) throw badRequest(`Fixed IP ${req.params.address} not valid`);
        throw e;
      }
      return new ApiResponse(202);
    },
  });
  reserve('reserve');
  reserve('unreserve');
}
