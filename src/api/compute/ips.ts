import { Instance } from '../../objects/instance';
import { HttpError } from '../faults';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { loadServer } from './servers_common';

registerPolicies([
  { name: 'os_compute_api:ips:index', check: 'rule:project_reader_or_admin' },
  { name: 'os_compute_api:ips:show', check: 'rule:project_reader_or_admin' },
]);

/** Addresses by network label, fixed then floating, as Nova's get_networks_for_instance. */
export function addressesByNetwork(inst: Instance): Record<string, Array<{ version: number; addr: string }>> {
  const out: Record<string, Array<{ version: number; addr: string }>> = {};
  const floating: Record<string, Array<{ version: number; addr: string }>> = {};
  const version = (a: string) => (a.includes(':') ? 6 : 4);
  for (const vif of inst.network_info ?? []) {
    const label = vif.network.label;
    out[label] ??= [];
    floating[label] ??= [];
    for (const subnet of vif.network.subnets ?? []) {
      for (const ip of subnet.ips ?? []) {
        out[label].push({ version: version(ip.address), addr: ip.address });
        for (const f of ip.floating_ips ?? []) floating[label].push({ version: version(f), addr: f });
      }
    }
  }
  for (const label of Object.keys(out)) out[label].push(...floating[label]);
  return out;
}

/** /servers/{id}/ips and /servers/{id}/ips/{network}. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  r.get('/servers/:server_id/ips', {
    handler: async (req) => ({ addresses: addressesByNetwork(await loadServer(req, d, 'os_compute_api:ips:index')) }),
  });
  r.get('/servers/:server_id/ips/:network', {
    handler: async (req) => {
      const networks = addressesByNetwork(await loadServer(req, d, 'os_compute_api:ips:show'));
      const label = req.params.network;
      if (!(label in networks)) throw new HttpError(404, 'Instance is not a member of specified network');
      return { [label]: networks[label] };
    },
  });
}
