import { RequestContext } from '../context';
import { keypairCount } from '../db/api/keypairs';
import * as db from '../db/api/quotas';
import { instanceUsageByUser } from '../db/api/usage';
import { Invalid } from '../exception';
import { QuotaAPI } from './quota_api';
import { QUOTA_RESOURCE_NAMES } from './quota_resources';

export interface QuotaDetail { limit: number; in_use: number; reserved: number }

/** -1 (or less) means unlimited. */
const isUnlimited = (v: number) => v <= -1;
const inf = (v: number) => (isUnlimited(v) ? Infinity : v);

/**
 * Quota sets and quota classes for the admin APIs (Nova's DbQuotaDriver): effective limits of a
 * project or of one of its users, current usage, and updates refused below what is in use unless
 * forced.
 */
export class QuotaSetsAPI {
  constructor(private quotas: QuotaAPI) {}

  /** Limits of a project, or of a user in it (user overrides, then project ones, then defaults). */
  async limits(projectId: string, userId?: string): Promise<Record<string, number>> {
    return this.quotas.limits(projectId, userId);
  }

  /** The `default` quota class over the configured defaults. */
  async defaults(): Promise<Record<string, number>> {
    if (this.quotas.noop) return Object.fromEntries(QUOTA_RESOURCE_NAMES.map((r) => [r, -1]));
    return db.quotaClassLimits('default', this.quotas.defaults());
  }

  /**
   * What is in use: instances, cores and ram from the project's usage counters (or counted for one
   * user); key pairs counted for the user asked about (0 for a whole project: they belong to users);
   * server groups 0 until they exist.
   */
  async usage(projectId: string, userId?: string): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(QUOTA_RESOURCE_NAMES.map((r) => [r, 0]));
    if (userId) {
      Object.assign(out, await instanceUsageByUser(projectId, userId));
      out.key_pairs = await keypairCount(userId);
    } else {
      const counters = await db.quotaUsages(projectId);
      for (const r of ['instances', 'cores', 'ram']) out[r] = counters[r] ?? 0;
    }
    return out;
  }

  async detail(projectId: string, userId?: string): Promise<Record<string, QuotaDetail>> {
    if (this.quotas.noop) return Object.fromEntries(QUOTA_RESOURCE_NAMES.map((r) => [r, { limit: -1, in_use: -1, reserved: -1 }]));
    const [limits, used] = await Promise.all([this.limits(projectId, userId), this.usage(projectId, userId)]);
    return Object.fromEntries(QUOTA_RESOURCE_NAMES.map((r) => [r, { limit: limits[r], in_use: used[r], reserved: 0 }]));
  }

  /**
   * The range each limit may be set within without `force` (Nova's get_settable_quotas): a project
   * limit not below what its users were given nor below its usage; a user limit not below the user's
   * usage nor above what the project has left for it.
   */
  private async settable(projectId: string, userId?: string): Promise<Record<string, { minimum: number; maximum: number }>> {
    const [projectLimits, userSums] = await Promise.all([this.limits(projectId), db.quotaUserLimitSums(projectId)]);
    const out: Record<string, { minimum: number; maximum: number }> = {};
    if (userId) {
      const [userSet, used] = await Promise.all([db.quotaOverrides(projectId, userId), this.usage(projectId, userId)]);
      for (const r of QUOTA_RESOURCE_NAMES) {
        const remains = projectLimits[r] - (userSums[r] ?? 0);
        const own = userSet[r] ?? 0;
        out[r] = { minimum: used[r], maximum: isUnlimited(remains) || isUnlimited(own) ? -1 : remains + own };
      }
    } else {
      const used = await this.usage(projectId);
      for (const r of QUOTA_RESOURCE_NAMES) {
        const limit = projectLimits[r];
        const remains = limit - (userSums[r] ?? 0);
        const givenToUsers = isUnlimited(limit) || isUnlimited(remains) ? -1 : limit - remains;
        out[r] = { minimum: Math.max(givenToUsers, used[r]), maximum: -1 };
      }
    }
    return out;
  }

  /** Sets limits of a project or of one user; without `force`, each must be within its settable range. */
  async update(_ctx: RequestContext, projectId: string, values: Record<string, number>, opts: { userId?: string; force: boolean }): Promise<void> {
    const range = opts.force ? undefined : await this.settable(projectId, opts.userId);
    for (const [resource, limit] of Object.entries(values)) {
      if (!range) continue;
      const { minimum, maximum } = range[resource];
      if (inf(limit) < inf(minimum)) {
        throw new Invalid({}, `Quota limit ${limit} for ${resource} must be greater than or equal to already used and reserved ${minimum}.`);
      }
      if (inf(limit) > inf(maximum)) {
        throw new Invalid({}, `Quota limit ${limit} for ${resource} must be less than or equal to ${maximum}.`);
      }
    }
    for (const [resource, limit] of Object.entries(values)) await db.quotaSet(projectId, resource, limit, opts.userId ?? '');
  }

  /** Drops a project's (or one user's) limits, back to the defaults. */
  async reset(_ctx: RequestContext, projectId: string, userId?: string): Promise<void> {
    await db.quotaDestroyAll(projectId, userId);
  }

  /** A quota class: its own limits over the configured defaults. */
  async classLimits(className: string): Promise<Record<string, number>> {
    return db.quotaClassLimits(className, this.quotas.defaults());
  }

  async classUpdate(_ctx: RequestContext, className: string, values: Record<string, number>): Promise<void> {
    for (const [resource, limit] of Object.entries(values)) await db.quotaClassSet(className, resource, limit);
  }
}
