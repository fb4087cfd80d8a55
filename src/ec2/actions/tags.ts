import { RequestContext } from '../../context';
import { instanceEc2Id } from '../../db/api/ec2_ids';
import * as db from '../../db/api/instances';
import { Instance } from '../../objects/instance';
import { Ec2Error } from '../errors';
import { filtersParam, listParam, matchesFilter, structListParam } from '../request';
import { Ec2Action, Ec2Env } from './env';
import { instanceByEc2Id } from './instances';

/**
 * Tags of instances are the server's metadata (key -> value), as Nova's EC2 API kept them, so
 * `openstack server show` and the metadata service see them too. Other resource kinds have no tags here.
 */
async function taggedInstances(env: Ec2Env, ctx: RequestContext, ids: string[]): Promise<Instance[]> {
  if (ids.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter ResourceId.1');
  const out: Instance[] = [];
  for (const id of ids) {
    if (!id.startsWith('i-')) throw new Ec2Error('InvalidParameterValue', `Tags are supported on instances only: '${id}' is not an instance id.`);
    out.push(await instanceByEc2Id(env, ctx, id));
  }
  return out;
}

export const createTags: Ec2Action = async (env, ctx, p) => {
  const tags = structListParam(p, 'Tag');
  if (tags.length === 0) throw new Ec2Error('MissingParameter', 'The request must contain the parameter Tag.1.Key');
  const metadata: Record<string, string> = {};
  for (const t of tags) {
    if (!t.Key) throw new Ec2Error('InvalidParameterValue', 'Tag keys cannot be empty.');
    if (t.Key.startsWith('aws:')) throw new Ec2Error('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved: ${t.Key}`);
    metadata[t.Key] = t.Value ?? '';
  }
  for (const inst of await taggedInstances(env, ctx, listParam(p, 'ResourceId'))) {
    await env.compute.data.updateMetadata(ctx, inst, metadata, false);
  }
  return { return: true };
};

/** DeleteTags: a tag given with a Value goes only when the value matches; with none, whatever its value. */
export const deleteTags: Ec2Action = async (env, ctx, p) => {
  const tags = structListParam(p, 'Tag');
  for (const inst of await taggedInstances(env, ctx, listParam(p, 'ResourceId'))) {
    const doomed = tags.length === 0 ? Object.keys(inst.metadata)
      : tags.filter((t) => t.Key && t.Key in inst.metadata && (t.Value === undefined || inst.metadata[t.Key] === t.Value)).map((t) => t.Key);
    for (const key of doomed) await env.compute.data.deleteMetadata(ctx, inst, key);
  }
  return { return: true };
};

/** DescribeTags: the project's instance tags; filters resource-id, resource-type, key, value. */
export const describeTags: Ec2Action = async (_env, ctx, p) => {
  const filters = filtersParam(p);
  for (const f of filters) {
    if (!['resource-id', 'resource-type', 'key', 'value'].includes(f.name)) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
  }
  const instances = await db.instanceGetAll({ project_id: ctx.project_id! }, { sortKeys: ['created_at', 'id'], sortDirs: ['asc', 'asc'] });
  const items = [];
  for (const inst of instances) {
    const resourceId = instanceEc2Id(inst);
    if (!matchesFilter(filters, 'resource-id', resourceId) || !matchesFilter(filters, 'resource-type', 'instance')) continue;
    for (const [key, value] of Object.entries(inst.metadata).sort(([a], [b]) => a.localeCompare(b))) {
      if (matchesFilter(filters, 'key', key) && matchesFilter(filters, 'value', value)) items.push({ resourceId, resourceType: 'instance', key, value });
    }
  }
  return { tagSet: items };
};
