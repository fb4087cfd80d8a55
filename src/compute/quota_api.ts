import { NovaConf } from '../conf/schema';
import { instanceUsage } from '../conductor/manager';
import { quotaLimits, quotaRelease, quotaReserve, quotaUsages } from '../db/api/quotas';
import { TooManyInstances } from '../exception';
import { configuredQuotaDefaults } from './quota_resources';

/** Quota limits and atomic reservations for servers (Nova's quota.py, DbQuotaDriver). */
export class QuotaAPI {
  constructor(private conf: NovaConf) {}

  get noop(): boolean { return this.conf.quota.driver === 'nova.quota.NoopQuotaDriver'; }

  /** Configured defaults by resource name (Nova's names: `injected_file_path_bytes`, not the option's). */
  defaults(): Record<string, number> {
    return configuredQuotaDefaults(this.conf);
  }

  async limits(projectId: string, userId?: string): Promise<Record<string, number>> {
    if (this.noop) return Object.fromEntries(Object.keys(this.defaults()).map((k) => [k, -1]));
    return quotaLimits(projectId, this.defaults(), userId);
  }

  async usage(projectId: string): Promise<Record<string, number>> {
    return quotaUsages(projectId);
  }

  /**
   * Reserves usage for as many instances as allowed between `min` and `max` (Nova builds fewer than
   * max_count when the quota only allows that many, but never fewer than min_count).
   */
  async reserveInstances(projectId: string, per: { vcpus: number; memory_mb: number }, min: number, max: number): Promise<number> {
    if (this.noop) return max;
    const limits = await this.limits(projectId);
    let lastOver: { resource: string; requested: number; used: number; allowed: number } | null = null;
    for (let n = max; n >= min; n--) {
      const deltas = Object.fromEntries(Object.entries(instanceUsage(per)).map(([k, v]) => [k, v * n]));
      const over = await quotaReserve(projectId, deltas, limits);
      if (!over) return n;
      if (!lastOver) lastOver = over;
    }
    const o = lastOver!;
    const unit = o.resource === 'instances' ? min : o.resource === 'cores' ? per.vcpus * min : per.memory_mb * min;
    throw new TooManyInstances({ overs: o.resource, req: unit, used: o.used, allowed: o.allowed });
  }

  async releaseInstances(projectId: string, per: { vcpus: number; memory_mb: number }, n: number): Promise<void> {
    if (this.noop || n === 0) return;
    await quotaRelease(projectId, Object.fromEntries(Object.entries(instanceUsage(per)).map(([k, v]) => [k, v * n])));
  }
}
