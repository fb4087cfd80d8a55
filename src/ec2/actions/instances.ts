import { RequestContext } from '../../context';
import { instanceEc2Id, instanceUuidForEc2Id } from '../../db/api/ec2_ids';
import * as db from '../../db/api/instances';
import { InstanceNotFound } from '../../exception';
import { Instance } from '../../objects/instance';
import { Ec2Error } from '../errors';
import { Ec2Params, filtersParam, listParam, matchesFilter, required } from '../request';
import { XmlValue } from '../xml';
import { Ec2Action, Ec2Env } from './env';
import { ec2State, reservationSet } from './instance_view';

function notFound(ec2id: string): Ec2Error {
  return new Ec2Error('InvalidInstanceID.NotFound', `The instance ID '${ec2id}' does not exist`);
}

/** The caller's instance behind `i-...` (terminated ones too when `withDeleted`), or InvalidInstanceID.NotFound. */
export async function instanceByEc2Id(env: Ec2Env, ctx: RequestContext, ec2id: string, withDeleted = false): Promise<Instance> {
  if (!/^i-[0-9a-f]{8,16}$/.test(ec2id)) throw new Ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${ec2id}" (expected i-xxxxxxxx)`);
  try {
    const uuid = await instanceUuidForEc2Id(ec2id);
    const inst = await env.compute.get(ctx, uuid, { readDeleted: withDeleted ? 'yes' : 'no' });
    // EC2 shows a project's own instances, admins included.
    if (inst.project_id !== ctx.project_id) throw notFound(ec2id);
    return inst;
  } catch (e) {
    if (e instanceof InstanceNotFound) throw notFound(ec2id);
    throw e;
  }
}

async function instancesByIds(env: Ec2Env, ctx: RequestContext, p: Ec2Params, withDeleted = false): Promise<Instance[]> {
  const ids = listParam(p, 'InstanceId');
  if (ids.length === 0) required(p, 'InstanceId.1');
  const out: Instance[] = [];
  for (const id of ids) out.push(await instanceByEc2Id(env, ctx, id, withDeleted));
  return out;
}

/**
 * DescribeInstances: the project's instances grouped by reservation. Instances named by InstanceId
 * are shown even when terminated; filters: instance-id, instance-state-name, instance-type, key-name,
 * availability-zone, reservation-id, tag:KEY, tag-key.
 */
export const describeInstances: Ec2Action = async (env, ctx, p) => {
  const ids = listParam(p, 'InstanceId');
  const filters = filtersParam(p);
  const instances = ids.length
    ? await instancesByIds(env, ctx, p, true)
    : await db.instanceGetAll({ project_id: ctx.project_id! }, { sortKeys: ['created_at', 'id'], sortDirs: ['asc', 'asc'] });
  const known = new Set(['instance-id', 'instance-state-name', 'instance-state-code', 'instance-type', 'key-name', 'availability-zone', 'reservation-id', 'tag-key']);
  for (const f of filters) {
    if (!known.has(f.name) && !f.name.startsWith('tag:')) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid`);
  }
  const shown = instances.filter((i) => {
    const state = ec2State(i);
    if (!matchesFilter(filters, 'instance-id', instanceEc2Id(i)) || !matchesFilter(filters, 'instance-state-name', state.name)
      || !matchesFilter(filters, 'instance-state-code', String(state.code)) || !matchesFilter(filters, 'instance-type', i.flavor.cur?.name)
      || !matchesFilter(filters, 'key-name', i.key_name) || !matchesFilter(filters, 'availability-zone', i.availability_zone)
      || !matchesFilter(filters, 'reservation-id', i.reservation_id)) return false;
    if (filters.some((f) => f.name === 'tag-key') && !Object.keys(i.metadata).some((k) => matchesFilter(filters, 'tag-key', k))) return false;
    return filters.filter((f) => f.name.startsWith('tag:')).every((f) => matchesFilter([f], f.name, i.metadata[f.name.slice(4)]));
  });
  return { reservationSet: await reservationSet(shown) };
};

/** `<instancesSet>` of state changes: what each instance was and what it is becoming. */
function stateChanges(changes: Array<{ inst: Instance; current: { code: number; name: string } }>): Record<string, XmlValue> {
  return { instancesSet: changes.map(({ inst, current }) => ({ instanceId: instanceEc2Id(inst), currentState: current, previousState: ec2State(inst) })) };
}

/** TerminateInstances: deletes through the Compute service; already terminated ones are reported as such. */
export const terminateInstances: Ec2Action = async (env, ctx, p) => {
  const changes = [];
  for (const inst of await instancesByIds(env, ctx, p, true)) {
    if (!inst.deleted) await env.compute.delete(ctx, inst);
    const now = await db.instanceGet(inst.uuid, { readDeleted: 'yes' });
    changes.push({ inst, current: ec2State(now) });
  }
  return stateChanges(changes);
};

export const stopInstances: Ec2Action = async (env, ctx, p) => {
  const changes = [];
  for (const inst of await instancesByIds(env, ctx, p)) {
    await env.compute.actions.stop(ctx, inst);
    changes.push({ inst, current: ec2State(await db.instanceGet(inst.uuid)) });
  }
  return stateChanges(changes);
};

export const startInstances: Ec2Action = async (env, ctx, p) => {
  const changes = [];
  for (const inst of await instancesByIds(env, ctx, p)) {
    await env.compute.actions.start(ctx, inst);
    changes.push({ inst, current: ec2State(await db.instanceGet(inst.uuid)) });
  }
  return stateChanges(changes);
};

/** RebootInstances: a soft reboot of each (EC2 answers only `true`). */
export const rebootInstances: Ec2Action = async (env, ctx, p) => {
  for (const inst of await instancesByIds(env, ctx, p)) await env.compute.actions.reboot(ctx, inst, 'SOFT');
  return { return: true };
};

/** GetConsoleOutput: the guest's console log, base64 as EC2 sends it. */
export const getConsoleOutput: Ec2Action = async (env, ctx, p) => {
  const inst = await instanceByEc2Id(env, ctx, required(p, 'InstanceId'));
  const text = await env.compute.actions.consoleOutput(ctx, inst);
  return { instanceId: instanceEc2Id(inst), timestamp: new Date().toISOString(), output: Buffer.from(text, 'utf8').toString('base64') };
};
