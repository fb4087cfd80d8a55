import { ComputeCaller } from './caller';

export interface RateLimitGroup {
  uri: string;
  regex: string;
  limit: Array<{ verb: string; value: number; remaining: number; unit: string; 'next-available': string }>;
}

export interface Limits {
  rate: RateLimitGroup[];
  /** maxTotalInstances, totalInstancesUsed, maxTotalCores ... */
  absolute: Record<string, number>;
}

/** `GET /limits`. */
export class LimitsApi {
  constructor(private readonly c: ComputeCaller) {}

  async get(opts: { reserved?: boolean; tenantId?: string } = {}): Promise<Limits> {
    const query = { reserved: opts.reserved ? 1 : undefined, tenant_id: opts.tenantId };
    return (await this.c.call<{ limits: Limits }>('GET', '/limits', { query })).body.limits;
  }
}
