import { ec2IdToGlanceId } from '../../db/api/ec2_ids';
import { flavorList } from '../../db/api/flavors';
import * as db from '../../db/api/instances';
import { Ec2Error } from '../errors';
import { intParam, required } from '../request';
import { Ec2Action } from './env';
import { reservationItem } from './instance_view';
import { requestedGroupNames } from './security_groups';

/** Where RunInstances keeps a request's ClientToken, so a retry returns the first reservation. */
export const CLIENT_TOKEN_KEY = 'EC2_client_token';

/** The flavor named by InstanceType (flavor names are EC2's instance types here, e.g. m1.small). */
async function flavorIdByName(name: string, projectId: string, isAdmin: boolean): Promise<string> {
  const found = await flavorList({ name, visibleTo: isAdmin ? null : projectId, disabled: false });
  const exact = found.find((f) => f.name === name);
  if (!exact) throw new Ec2Error('InvalidParameterValue', `Invalid value '${name}' for InstanceType: no flavor has this name ('openstack flavor list' shows them).`);
  return exact.flavorid;
}

/**
 * RunInstances: ImageId (ami-...), InstanceType (a flavor name, default [DEFAULT] EC2's m1.small),
 * MinCount/MaxCount, KeyName, UserData (base64), Placement.AvailabilityZone, SecurityGroup.N (names) and
 * SecurityGroupId.N (sg-...; `default` when neither is given), ClientToken. The same
 * ClientToken again answers the reservation it made (Nova's EC2 kept it in system metadata too); two
 * requests racing with one token can still both boot.
 */
export const runInstances: Ec2Action = async (env, ctx, p) => {
  const imageEc2Id = required(p, 'ImageId');
  const minCount = intParam(p, 'MinCount', 1);
  const maxCount = intParam(p, 'MaxCount', minCount);
  if (minCount < 1 || maxCount < minCount) throw new Ec2Error('InvalidParameterValue', `MinCount (${minCount}) must be at least 1 and at most MaxCount (${maxCount}).`);
  const token = p.ClientToken;
  if (token) {
    const mine = await db.instanceGetAll({ project_id: ctx.project_id! }, {});
    const earlier = mine.filter((i) => i.system_metadata[CLIENT_TOKEN_KEY] === token);
    if (earlier.length) return reservationItem(earlier[0].reservation_id, earlier.filter((i) => i.reservation_id === earlier[0].reservation_id));
  }
  const imageRef = await ec2IdToGlanceId(imageEc2Id);
  const flavorRef = await flavorIdByName(p.InstanceType || 'm1.small', ctx.project_id!, ctx.is_admin);
  if (p.KeyName) await env.keypairs.get(ctx, ctx.user_id!, p.KeyName);
  const securityGroups = await requestedGroupNames(env, ctx, p);
  const userData = p.UserData ? p.UserData.replace(/\s/g, '') : undefined;
  const result = await env.compute.create(ctx, {
    name: p['TagSpecification.1.Tag.1.Value'] && p['TagSpecification.1.Tag.1.Key'] === 'Name' ? p['TagSpecification.1.Tag.1.Value'] : imageEc2Id,
    flavorRef, imageRef, key_name: p.KeyName || undefined, user_data: userData, min_count: minCount, max_count: maxCount,
    availability_zone: p['Placement.AvailabilityZone'] || undefined, security_groups: securityGroups,
  });
  const saved = [];
  for (const inst of result.instances) {
    saved.push(token ? await db.instanceUpdate(inst.uuid, { system_metadata: { [CLIENT_TOKEN_KEY]: token } }) : inst);
  }
  return reservationItem(result.reservation_id, saved);
};
