import { AvailabilityZoneAPI, ZoneInfo } from '../../compute/availability_zones';
import { dbTime } from '../format';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';

registerPolicies([
  { name: 'os_compute_api:os-availability-zone:list', check: '@' },
  { name: 'os_compute_api:os-availability-zone:detail', check: 'rule:context_is_admin' },
]);

function view(z: ZoneInfo) {
  if (!z.hosts) return z;
  const hosts: Record<string, Record<string, unknown>> = {};
  for (const [host, services] of Object.entries(z.hosts)) {
    hosts[host] = Object.fromEntries(Object.entries(services).map(([binary, s]) => [binary, { ...s, updated_at: dbTime(s.updated_at) }]));
  }
  return { ...z, hosts };
}

/** /os-availability-zone: zones and their state; /detail (admins) adds hosts and services. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const zones = d.rt.shared('availability-zone-api', () => new AvailabilityZoneAPI(d.conf, d.compute.hosts));

  r.get('/os-availability-zone', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-availability-zone:list', {});
      return { availabilityZoneInfo: (await zones.summary(req.ctx)).map(view) };
    },
  });

  r.get('/os-availability-zone/detail', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-availability-zone:detail', {});
      return { availabilityZoneInfo: (await zones.detail(req.ctx)).map(view) };
    },
  });
}
