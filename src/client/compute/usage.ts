import { ComputeCaller, seg } from './caller';

export interface ServerUsage {
  instance_id: string;
  name: string;
  hours: number;
  memory_mb: number;
  local_gb: number;
  vcpus: number;
  flavor: string;
  started_at: string;
  ended_at: string | null;
  state: string;
  uptime: number;
  tenant_id: string;
}

export interface TenantUsage {
  tenant_id: string;
  start: string;
  stop: string;
  total_hours: number;
  total_memory_mb_usage: number;
  total_vcpus_usage: number;
  total_local_gb_usage: number;
  server_usages?: ServerUsage[];
}

/** Python's `datetime.isoformat()` of a UTC time, the format novaclient sends. */
export function usageTime(d: Date): string {
  const iso = d.toISOString().replace(/Z$/, '');
  return d.getUTCMilliseconds() === 0 ? iso.replace(/\.000$/, '') : `${iso}000`;
}

/**
 * `/os-simple-tenant-usage`. Since 2.40 the server pages the server usages; these methods follow
 * the markers and merge the pages back, as novaclient's usage commands do.
 */
export class UsageApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(start: Date, end: Date): Promise<TenantUsage[]> {
    const byTenant = new Map<string, TenantUsage>();
    let marker: string | undefined;
    for (;;) {
      const query = { start: usageTime(start), end: usageTime(end), detailed: 1, marker };
      const page = (await this.c.call<{ tenant_usages: TenantUsage[] }>('GET', '/os-simple-tenant-usage', { query })).body.tenant_usages;
      for (const u of page) {
        const seen = byTenant.get(u.tenant_id);
        if (seen) merge(seen, u);
        else byTenant.set(u.tenant_id, { ...u, server_usages: [...(u.server_usages ?? [])] });
      }
      marker = this.c.supports('2.40') ? lastInstance(page[page.length - 1]) : undefined;
      if (!marker) break;
    }
    return [...byTenant.values()];
  }

  async get(tenantId: string, start: Date, end: Date): Promise<TenantUsage | undefined> {
    let total: TenantUsage | undefined;
    let marker: string | undefined;
    for (;;) {
      const query = { start: usageTime(start), end: usageTime(end), marker };
      const page = (await this.c.call<{ tenant_usage: TenantUsage | Record<string, never> }>('GET', `/os-simple-tenant-usage/${seg(tenantId)}`, { query })).body.tenant_usage;
      if (!('tenant_id' in page)) break;
      if (total) merge(total, page as TenantUsage);
      else total = { ...(page as TenantUsage), server_usages: [...((page as TenantUsage).server_usages ?? [])] };
      marker = this.c.supports('2.40') ? lastInstance(page as TenantUsage) : undefined;
      if (!marker) break;
    }
    return total;
  }
}

function lastInstance(u: TenantUsage | undefined): string | undefined {
  const s = u?.server_usages;
  return s && s.length ? s[s.length - 1].instance_id : undefined;
}

function merge(into: TenantUsage, next: TenantUsage): void {
  into.server_usages = [...(into.server_usages ?? []), ...(next.server_usages ?? [])];
  into.total_hours += next.total_hours;
  into.total_memory_mb_usage += next.total_memory_mb_usage;
  into.total_vcpus_usage += next.total_vcpus_usage;
  into.total_local_gb_usage += next.total_local_gb_usage;
}
