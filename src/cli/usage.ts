import { Flags } from '@oclif/core';
import { CommandError } from '../client/errors';

export const rangeFlags = {
  start: Flags.string({ description: 'Usage range start date ex 2012-01-20. (default: 4 weeks ago)' }),
  end: Flags.string({ description: 'Usage range end date, ex 2012-01-20. (default: tomorrow)' }),
};

function day(s: string, what: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.getUTCDate() !== Number(m![3]) || d.getUTCMonth() !== Number(m![2]) - 1) throw new CommandError(`Invalid ${what} date '${s}': use YYYY-MM-DD, e.g. 2012-01-20.`);
  return d;
}

/** The usage window: given days, else 4 weeks ago until tomorrow (now-relative, as novaclient). */
export function usageRange(flags: { start?: string; end?: string }, now = new Date()): { start: Date; end: Date } {
  const start = flags.start ? day(flags.start, 'start') : new Date(now.getTime() - 28 * 86400_000);
  const end = flags.end ? day(flags.end, 'end') : new Date(now.getTime() + 86400_000);
  return { start, end };
}

export const ymd = (d: Date): string => d.toISOString().slice(0, 10);

/** The table fields novaclient prints for a tenant's usage. */
export function usageRow(u: { tenant_id: string; server_usages?: unknown[]; total_memory_mb_usage: number; total_vcpus_usage: number; total_local_gb_usage: number }) {
  return {
    tenant_id: u.tenant_id, servers: String((u.server_usages ?? []).length), 'ram_mib-hours': u.total_memory_mb_usage.toFixed(2),
    cpu_hours: u.total_vcpus_usage.toFixed(2), 'disk_gib-hours': u.total_local_gb_usage.toFixed(2),
  };
}
