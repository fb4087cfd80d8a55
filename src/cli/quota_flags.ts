import { Flags } from '@oclif/core';
import { ComputeClient } from '../client/compute/client';
import { QUOTA_RESOURCES, QuotaSet, QuotaUpdate } from '../client/compute/quotas';
import { CommandError } from '../client/errors';
import { formatList } from './table';

type Resource = (typeof QUOTA_RESOURCES)[number];

/** One `--<resource>` flag per quota resource (`--key-pairs`, `--server-group-members` ...). */
export const quotaFlags = Object.fromEntries(QUOTA_RESOURCES.map((r) => [
  r.replace(/_/g, '-'), Flags.integer({ description: `New value for the "${r.replace(/_/g, '-')}" quota.` }),
])) as Record<string, ReturnType<typeof Flags.integer>>;

/** Resources the API stopped accepting, and from which microversion. */
const GONE: Array<{ since: string; resources: Resource[]; why: string }> = [
  { since: '2.36', resources: ['floating_ips', 'fixed_ips', 'security_groups', 'security_group_rules'], why: 'network quotas belong to the Networking service' },
  { since: '2.57', resources: ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'], why: 'file injection was removed' },
];

/**
 * The updates the flags ask for; a resource the negotiated version no longer has is an error
 * naming the version (quota classes dropped the network ones at 2.50, not 2.36).
 */
export function quotaUpdates(flags: Record<string, unknown>, nova: ComputeClient, classes = false): QuotaUpdate {
  const out: QuotaUpdate = {};
  for (const r of QUOTA_RESOURCES) {
    const v = flags[r.replace(/_/g, '-')];
    if (typeof v !== 'number') continue;
    for (const g of GONE) {
      const since = classes && g.since === '2.36' ? '2.50' : g.since;
      if (g.resources.includes(r) && nova.supports(since)) {
        throw new CommandError(`--${r.replace(/_/g, '-')} is not accepted since API version ${since} (${g.why}).`);
      }
    }
    out[r] = v;
  }
  if (Object.keys(out).length === 0) throw new CommandError(`Nothing to update: give at least one of ${QUOTA_RESOURCES.map((r) => `--${r.replace(/_/g, '-')}`).join(', ')}.`);
  return out;
}

/** novaclient's _quota_show: one row per known resource the answer has. */
export function quotaTable(q: QuotaSet | Record<string, unknown>): string {
  const detail = QUOTA_RESOURCES.some((r) => q[r] !== null && typeof q[r] === 'object');
  const rows = QUOTA_RESOURCES.filter((r) => r in q).map((r) => {
    const v = q[r] as number | { limit: number; in_use: number; reserved: number };
    return typeof v === 'object' ? { quota: r, limit: v.limit, in_use: v.in_use, reserved: v.reserved } : { quota: r, limit: v };
  });
  return formatList(rows, detail ? ['Quota', 'Limit', 'In Use', 'Reserved'] : ['Quota', 'Limit']);
}
