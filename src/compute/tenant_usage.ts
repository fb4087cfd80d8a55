import { RequestContext } from '../context';
import { flavorGetById } from '../db/api/flavors';
import { instancesActiveInWindow, UsageInstance } from '../db/api/usage';
import { FlavorNotFound, Invalid, InvalidStrTime } from '../exception';

/**
 * Simple tenant usage (Nova's simple_tenant_usage.py): for a time window, the hours each instance
 * ran and its size, summed per project into memory_mb×hours, local_gb×hours, vcpus×hours and hours.
 */

export interface ServerUsage {
  instance_id: string;
  name: string;
  tenant_id: string;
  flavor: string;
  hours: number;
  memory_mb: number;
  local_gb: number;
  vcpus: number;
  started_at: Date;
  ended_at: Date | null;
  state: string;
  uptime: number;
}

export interface TenantUsage {
  tenant_id: string;
  start: Date;
  stop: Date;
  total_hours: number;
  total_memory_mb_usage: number;
  total_local_gb_usage: number;
  total_vcpus_usage: number;
  server_usages?: ServerUsage[];
}

const HOUR_MS = 3600_000;

/** Hours of [launched, terminated) inside [start, stop]; 0 for an instance never launched. */
export function hoursInWindow(launched: Date | null, terminated: Date | null, start: Date, stop: Date): number {
  if (terminated && terminated < start) return 0;
  if (!launched || launched > stop) return 0;
  const from = Math.max(launched.getTime(), start.getTime());
  const to = terminated ? Math.min(stop.getTime(), terminated.getTime()) : stop.getTime();
  return (to - from) / HOUR_MS;
}

/** The sizes an instance is billed by: its own flavor copy, or for deleted ones the flavor row. */
export interface UsageFlavor { name: string; memory_mb: number; root_gb: number; ephemeral_gb: number; vcpus: number }

/**
 * Sums usage per project, in the order projects first appear. Instances without a flavor are left
 * out, as Nova leaves out those whose flavor it cannot load. `detailed` keeps each server's usage
 * in its project; all server usages are returned either way (they page the answer).
 */
export function summarizeUsage(
  instances: Array<UsageInstance & { usageFlavor: UsageFlavor | null }>, start: Date, stop: Date, now: Date, detailed: boolean,
): { tenants: TenantUsage[]; servers: ServerUsage[] } {
  const tenants = new Map<string, TenantUsage>();
  const servers: ServerUsage[] = [];
  for (const inst of instances) {
    const f = inst.usageFlavor;
    if (!f || !inst.launched_at) continue;
    const hours = hoursInWindow(inst.launched_at, inst.terminated_at, start, stop);
    const ended = inst.terminated_at;
    const usage: ServerUsage = {
      instance_id: inst.uuid, name: inst.display_name, tenant_id: inst.project_id, flavor: f.name, hours,
      memory_mb: f.memory_mb, local_gb: f.root_gb + f.ephemeral_gb, vcpus: f.vcpus,
      started_at: inst.launched_at, ended_at: ended, state: ended ? 'terminated' : inst.vm_state,
      uptime: Math.trunc(((ended ?? now).getTime() - inst.launched_at.getTime()) / 1000),
    };
    let t = tenants.get(usage.tenant_id);
    if (!t) {
      t = { tenant_id: usage.tenant_id, start, stop, total_hours: 0, total_memory_mb_usage: 0, total_local_gb_usage: 0, total_vcpus_usage: 0 };
      if (detailed) t.server_usages = [];
      tenants.set(usage.tenant_id, t);
    }
    t.total_local_gb_usage += usage.local_gb * hours;
    t.total_vcpus_usage += usage.vcpus * hours;
    t.total_memory_mb_usage += usage.memory_mb * hours;
    t.total_hours += hours;
    t.server_usages?.push(usage);
    servers.push(usage);
  }
  return { tenants: [...tenants.values()], servers };
}

const TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})([T ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$/;

/**
 * A window bound as Nova parses it: "YYYY-MM-DDTHH:MM:SS[.ffffff]" or "YYYY-MM-DD HH:MM:SS.ffffff",
 * read as UTC; absent means now.
 */
export function parseUsageTime(text: string | undefined, now: Date): Date {
  if (!text) return now;
  const m = TIME.exec(text);
  const bad = () => new InvalidStrTime({ reason: 'Datetime is in invalid format' });
  if (!m || (m[4] === ' ' && m[8] === undefined)) throw bad();
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[5], m[6], m[7]].map(Number);
  const ms = m[8] ? Number(m[8].padEnd(6, '0')) / 1000 : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) + ms);
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw bad();
  return date;
}

export interface UsageQuery { tenantId?: string; start?: string; end?: string; detailed: boolean; limit: number; marker?: string }

export class TenantUsageAPI {
  /** Usage over [start, end] (end no later than now), per project, with every server's usage. */
  async report(_ctx: RequestContext, q: UsageQuery, now = new Date()): Promise<{ tenants: TenantUsage[]; servers: ServerUsage[] }> {
    const start = parseUsageTime(q.start, now);
    let stop = parseUsageTime(q.end, now);
    if (!(start < stop)) throw new Invalid({}, 'Invalid start time. The start time cannot occur after the end time.');
    if (stop > now) stop = now;
    const found = await instancesActiveInWindow(start, stop, { projectId: q.tenantId, limit: q.limit, marker: q.marker });
    const byId = new Map<number, UsageFlavor | null>();
    const withFlavors = [];
    for (const inst of found) withFlavors.push({ ...inst, usageFlavor: inst.flavor ?? (inst.deleted ? await this.flavorById(inst.instance_type_id, byId) : null) });
    return summarizeUsage(withFlavors, start, stop, now, q.detailed);
  }

  private async flavorById(id: number | null, cache: Map<number, UsageFlavor | null>): Promise<UsageFlavor | null> {
    if (id === null) return null;
    if (!cache.has(id)) {
      try { cache.set(id, await flavorGetById(id)); } catch (e) {
        if (!(e instanceof FlavorNotFound)) throw e;
        cache.set(id, null);
      }
    }
    return cache.get(id)!;
  }
}
