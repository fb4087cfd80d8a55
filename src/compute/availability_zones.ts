import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import type { HostAPI, ServiceView } from './host_api';

/**
 * The availability zone of a service's host: a compute host is in the zone its host aggregates
 * name (`availability_zone` metadata, see `aggregateZonesByHost`), else `default_availability_zone`;
 * other services are in `internal_service_availability_zone`.
 */
export function availabilityZoneOf(conf: NovaConf, service: { binary: string; host: string }, aggregateZones?: Map<string, string>): string {
  if (service.binary !== 'nova-compute') return conf.DEFAULT.internal_service_availability_zone;
  return aggregateZones?.get(service.host) ?? conf.DEFAULT.default_availability_zone;
}

export interface ZoneInfo {
  zoneName: string;
  zoneState: { available: boolean };
  hosts: Record<string, Record<string, { available: boolean; active: boolean; updated_at: string | Date | null }>> | null;
}

/** API services are not hosts of a zone. */
const API_BINARIES = ['nova-osapi_compute', 'nova-metadata'];

/**
 * Zones as Nova lists them (nova/availability_zones.py): a zone is available while one of its
 * services is enabled, and listed as unavailable when all of its services are disabled.
 */
export class AvailabilityZoneAPI {
  constructor(private conf: NovaConf, private hosts: HostAPI) {}

  private split(services: ServiceView[]): { available: string[]; unavailable: string[] } {
    const available = new Set(services.filter((s) => !s.disabled).map((s) => s.zone));
    const unavailable = new Set(services.filter((s) => s.disabled && !available.has(s.zone)).map((s) => s.zone));
    return { available: [...available].sort(), unavailable: [...unavailable].sort() };
  }

  /** Zones with their state, the internal zone left out, no hosts. */
  async summary(ctx: RequestContext): Promise<ZoneInfo[]> {
    const { available, unavailable } = this.split(await this.hosts.serviceList(ctx));
    const internal = this.conf.DEFAULT.internal_service_availability_zone;
    return [
      ...available.filter((z) => z !== internal).map((z) => ({ zoneName: z, zoneState: { available: true }, hosts: null })),
      ...unavailable.filter((z) => z !== internal).map((z) => ({ zoneName: z, zoneState: { available: false }, hosts: null })),
    ];
  }

  /** Every zone; available ones with their hosts and each enabled service's liveness. */
  async detail(ctx: RequestContext): Promise<ZoneInfo[]> {
    const services = await this.hosts.serviceList(ctx);
    const { available, unavailable } = this.split(services);
    const out: ZoneInfo[] = [];
    for (const zone of available) {
      const hosts: NonNullable<ZoneInfo['hosts']> = {};
      for (const s of services) {
        if (s.disabled || s.zone !== zone || API_BINARIES.includes(s.binary)) continue;
        hosts[s.host] ??= {};
        hosts[s.host][s.binary] = { available: s.up, active: !s.disabled, updated_at: s.updated_at };
      }
      out.push({ zoneName: zone, zoneState: { available: true }, hosts });
    }
    for (const zone of unavailable) out.push({ zoneName: zone, zoneState: { available: false }, hosts: null });
    return out;
  }
}
