import { Ec2Action } from './env';
import { listParam } from '../request';

/** DescribeRegions: this service is one region, named by [identity] region_id's EC2 counterpart `nova`. */
export const describeRegions: Ec2Action = async (env, _ctx, p) => {
  const wanted = listParam(p, 'RegionName');
  const regions = [{ regionName: 'nova', regionEndpoint: env.endpoint() }];
  return { regionInfo: regions.filter((r) => wanted.length === 0 || wanted.includes(r.regionName)) };
};

/** DescribeAvailabilityZones: Nova's zones (the internal one left out), `available` or `unavailable`. */
export const describeAvailabilityZones: Ec2Action = async (env, ctx, p) => {
  const wanted = listParam(p, 'ZoneName');
  const zones = await env.zones.summary(ctx);
  return {
    availabilityZoneInfo: zones.filter((z) => wanted.length === 0 || wanted.includes(z.zoneName))
      .map((z) => ({ zoneName: z.zoneName, zoneState: z.zoneState.available ? 'available' : 'unavailable', regionName: 'nova', messageSet: [] })),
  };
};
