import { NetworkAPI } from '../../network/api';
import { NetworkInUse, NetworkNotFound, NetworkNotFoundForUUID, NoMoreNetworks } from '../../network/errors';
import { parseCidr } from '../../network/ipv4';
import { NETWORK_USER_FIELDS, networkView, NetworkView } from '../../network/views';
import { RequestContext } from '../../context';
import { NetworkObj } from '../../db/api/networks';
import { badRequest, notFound } from '../faults';
import { registerPolicies } from '../policy';
import { ApiResponse, ApiRouter } from '../router';
import { toBool } from '../validation';
import { ControllerDeps } from './deps';
import * as schema from './schemas/network';

/** The last microversion of the proxy APIs (Nova's MAX_PROXY_API_SUPPORT_VERSION); 2.36 deprecated them. */
export const MAX_PROXY = '2.35';

const POLICY = 'os_compute_api:os-networks';
const ASSOCIATE = 'os_compute_api:os-networks-associate';
registerPolicies([
  { name: POLICY, check: 'rule:context_is_admin', operations: [{ method: 'POST', path: '/os-networks' }, { method: 'DELETE', path: '/os-networks/{network_id}' }] },
  { name: `${POLICY}:list`, check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/os-networks' }] },
  { name: `${POLICY}:show`, check: 'rule:project_reader_or_admin', operations: [{ method: 'GET', path: '/os-networks/{network_id}' }] },
  { name: ASSOCIATE, check: 'rule:context_is_admin', operations: [{ method: 'POST', path: '/os-networks/{network_id}/action' }] },
]);

/** The NetworkAPI of this process (shared by the nova-network controllers). */
export function networkApi(d: ControllerDeps): NetworkAPI {
  return d.rt.shared('network-api', () => new NetworkAPI(d.rt, d.log.child('network-api')));
}

/** Nova's network_dict: the user fields, and the admin fields for admins. */
export function networkDict(ctx: RequestContext, n: NetworkObj): Partial<NetworkView> {
  const full = networkView(n);
  if (ctx.is_admin) return full;
  return Object.fromEntries(NETWORK_USER_FIELDS.map((k) => [k, full[k]])) as Partial<NetworkView>;
}

/** Nova answers "Network not found" for any unknown network of these APIs. */
export async function networkNotFoundAs404<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof NetworkNotFound) throw notFound('Network not found');
    throw e;
  }
}

/** /os-networks (admin network management, deprecated from 2.36) and its association actions. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const api = () => networkApi(d);

  r.get('/os-networks', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:list`);
      return { networks: (await api().networks.list(req.ctx)).map((n) => networkDict(req.ctx, n)) };
    },
  });

  r.get('/os-networks/:id', {
    max: MAX_PROXY,
    handler: async (req) => {
      req.authorize(`${POLICY}:show`);
      return { network: networkDict(req.ctx, await networkNotFoundAs404(() => api().networks.visible(req.ctx, req.params.id))) };
    },
  });

  r.post('/os-networks', {
    max: MAX_PROXY,
    body: schema.createNetwork,
    handler: async (req) => {
      req.authorize(POLICY);
      const n = req.body.network;
      const bool = (v: unknown) => (v === undefined ? undefined : toBool(v));
      const made = await api().networks.create({
        label: n.label, cidr: n.cidr, cidr_v6: n.cidr_v6, multi_host: bool(n.multi_host), gateway: n.gateway, bridge: n.bridge,
        bridge_interface: n.bridge_interface, dns1: n.dns1, dns2: n.dns2, dhcp_server: n.dhcp_server, allowed_start: n.allowed_start,
        allowed_end: n.allowed_end, enable_dhcp: bool(n.enable_dhcp), share_address: bool(n.share_address), project_id: n.project_id,
        mtu: n.mtu === undefined ? undefined : Number(n.mtu), vlan: n.vlan === undefined ? undefined : Number(n.vlan),
        vlan_start: n.vlan_start === undefined ? undefined : Number(n.vlan_start), num_networks: 1,
        // Nova makes the whole CIDR one network.
        network_size: n.cidr ? parseCidr(n.cidr)?.size : undefined,
      });
      return { network: networkDict(req.ctx, made[0]) };
    },
  });

  r.post('/os-networks/add', {
    max: MAX_PROXY,
    status: 202,
    body: schema.addNetworkToProject,
    handler: async (req) => {
      req.authorize(POLICY);
      try {
        await api().networks.addToProject(req.ctx, req.ctx.project_id ?? '', req.body.id);
      } catch (e) {
        if (e instanceof NoMoreNetworks || e instanceof NetworkNotFoundForUUID) throw badRequest(e.message);
        throw e;
      }
    },
  });

  r.delete('/os-networks/:id', {
    max: MAX_PROXY,
    status: 202,
    handler: async (req) => {
      req.authorize(POLICY);
      await networkNotFoundAs404(async () => {
        const net = await api().networks.get(req.params.id);
        if (net.project_id !== null) throw new NetworkInUse({ network_id: req.params.id });
        await api().networks.delete(req.ctx, { uuid: net.uuid });
      });
    },
  });

  const association = (name: string, rule: string, changes: (body: Record<string, unknown>) => { host?: string | null; project?: string | null }) =>
    r.action('/os-networks/:id', name, {
      max: MAX_PROXY,
      body: name === 'associate_host' ? schema.associateHost : undefined,
      handler: async (req) => {
        req.authorize(rule);
        await networkNotFoundAs404(() => api().networks.associate(req.ctx, req.params.id, changes(req.body)));
        return new ApiResponse(202);
      },
    });
  association('disassociate', POLICY, () => ({ host: null, project: null }));
  association('disassociate_host', ASSOCIATE, () => ({ host: null }));
  association('disassociate_project', ASSOCIATE, () => ({ project: null }));
  association('associate_host', ASSOCIATE, (b) => ({ host: b.associate_host as string }));
}
