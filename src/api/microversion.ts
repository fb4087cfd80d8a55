import { InvalidAPIVersionString, InvalidGlobalAPIVersion } from '../exception';

/** A Compute API microversion, e.g. 2.47. */
export class APIVersion {
  constructor(readonly major: number, readonly minor: number) {}

  static parse(text: string): APIVersion {
    const m = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(text.trim());
    if (!m) throw new InvalidAPIVersionString({ version: text });
    return new APIVersion(Number(m[1]), Number(m[2]));
  }

  cmp(o: APIVersion | string): number {
    const v = typeof o === 'string' ? APIVersion.parse(o) : o;
    return this.major - v.major || this.minor - v.minor;
  }
  gte(o: APIVersion | string): boolean { return this.cmp(o) >= 0; }
  lt(o: APIVersion | string): boolean { return this.cmp(o) < 0; }
  /** True when min <= this <= max (either bound may be omitted). */
  within(min?: string, max?: string): boolean {
    return (!min || this.gte(min)) && (!max || this.cmp(max) <= 0);
  }
  toString(): string { return `${this.major}.${this.minor}`; }
}

export const MIN_VERSION = new APIVersion(2, 1);
/** The newest microversion this project implements for every resource it serves. */
export const MAX_VERSION = new APIVersion(2, 96);

/**
 * The version a request asks for: `OpenStack-API-Version: compute X.Y`, else the legacy
 * `X-OpenStack-Nova-API-Version: X.Y`, else the minimum. `latest` is the maximum.
 */
export function negotiate(headers: Record<string, string | string[] | undefined>): APIVersion {
  let requested: string | undefined;
  const modern = headers['openstack-api-version'];
  if (modern) {
    for (const part of (Array.isArray(modern) ? modern.join(',') : modern).split(',')) {
      const [service, version] = part.trim().split(/\s+/, 2);
      if (service?.toLowerCase() === 'compute' && version) requested = version;
    }
  }
  if (!requested) {
    const legacy = headers['x-openstack-nova-api-version'];
    if (legacy) requested = Array.isArray(legacy) ? legacy[legacy.length - 1] : legacy;
  }
  if (!requested) return MIN_VERSION;
  if (requested.trim().toLowerCase() === 'latest') return MAX_VERSION;
  const v = APIVersion.parse(requested);
  if (v.lt(MIN_VERSION) || v.cmp(MAX_VERSION) > 0) {
    throw new InvalidGlobalAPIVersion({ req_ver: v.toString(), min_ver: MIN_VERSION.toString(), max_ver: MAX_VERSION.toString() });
  }
  return v;
}
