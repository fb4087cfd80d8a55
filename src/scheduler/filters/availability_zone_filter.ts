import { HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Passes hosts in the requested availability zone (any host when none is requested). */
export class AvailabilityZoneFilter implements HostFilter {
  readonly name = 'AvailabilityZoneFilter';
  readonly runOncePerRequest = true;
  hostPasses(host: Args[0], spec: Args[1]): true | string {
    if (!spec.availability_zone) return true;
    return host.availability_zone === spec.availability_zone ? true : `in zone ${host.availability_zone}, not ${spec.availability_zone}`;
  }
}
