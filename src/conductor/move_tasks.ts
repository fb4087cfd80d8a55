import { BuildRequest } from '../compute/build';
import { ComputeAPIClient } from '../compute/rpcapi';
import { flavorUsage, heldUsage, QUOTA_HELD_KEY } from '../compute/usage';
import { TaskState, VmState } from '../compute/vm_states';
import { RequestContext } from '../context';
import * as actions from '../db/api/actions';
import { moveAllocations, release } from '../db/api/allocations';
import { computeNodeGetAll } from '../db/api/compute_nodes';
import * as instances from '../db/api/instances';
import { FINAL_STATUSES, migrationCreate, migrationGet, migrationUpdate } from '../db/api/migrations';
import { quotaRelease } from '../db/api/quotas';
import { serverGroupGet, serverGroupsOfInstances } from '../db/api/server_groups';
import { InstanceNotFound, NoValidHost } from '../exception';
import { Logger } from '../lib/log';
import { Instance } from '../objects/instance';
import { SchedulerMethods } from '../scheduler/rpcapi';
import { MigrateRequest } from './rpcapi';

/** A scheduling request for one existing instance (Nova keeps a RequestSpec; we rebuild it from the instance). */
export function specForInstance(inst: Instance, overrides: Partial<BuildRequest> = {}): BuildRequest {
  return {
    instance_uuids: [inst.uuid], project_id: inst.project_id, user_id: inst.user_id, flavor: inst.flavor.cur,
    image: { id: inst.image_ref, properties: {}, ...(inst.image_meta as object) },
    availability_zone: inst.system_metadata.pinned_availability_zone || null,
    scheduler_hints: {}, retry: { num_attempts: 1, hosts: [] }, ...overrides,
  };
}

/** The server group of an instance being moved, so its policy holds at the destination too. */
export async function groupOf(uuid: string): Promise<BuildRequest['instance_group']> {
  const groupUuid = (await serverGroupsOfInstances([uuid])).get(uuid)?.[0];
  const g = groupUuid ? await serverGroupGet(groupUuid) : null;
  return g ? { uuid: g.uuid, policy: g.policy, rules: g.rules, members: g.members } : null;
}

export async function nodeIdOf(host: string | null, node: string | null): Promise<number | null> {
  if (!host) return null;
  const nodes = await computeNodeGetAll(node ? { host, hypervisor_hostname: node } : { host });
  return nodes[0]?.id ?? null;
}

async function recordFailure(ctx: RequestContext, uuid: string, event: string, e: unknown, host: string | null): Promise<void> {
  const err = e as Error & { code?: number };
  await actions.faultCreate({ instance_uuid: uuid, code: err.code ?? 500, message: err.message, details: err.stack ?? null, host });
  await actions.actionEventFinish({ instance_uuid: uuid, request_id: ctx.request_id, event, result: 'Error', traceback: err.stack ?? null, details: err.message });
}

/** See ConductorMethods.migration_rollback. Safe to call twice: a finished migration is left alone. */
export async function rollbackMigration(_ctx: RequestContext, migrationId: number, uuid: string, reason: string, host: string | null): Promise<void> {
  const mig = await migrationGet(migrationId);
  if (FINAL_STATUSES.includes(mig.status)) return;
  await migrationUpdate(mig.id, { status: 'error' }, [mig.status]);
  if (mig.dest_node_id !== null) await release(uuid, mig.dest_node_id);
  await moveAllocations(mig.uuid, uuid);
  let inst: Instance;
  try { inst = await instances.instanceGet(uuid); } catch (e) {
    // Deleted meanwhile: its delete may have run before the claims moved back, so release them here.
    if (e instanceof InstanceNotFound) { await release(uuid); await release(mig.uuid); return; }
    throw e;
  }
  const held = heldUsage(inst);
  const cur = flavorUsage(inst.flavor.cur);
  await quotaRelease(inst.project_id, { cores: Math.max(0, held.cores - cur.cores), ram: Math.max(0, held.ram - cur.ram) });
  await instances.instanceUpdate(uuid, {
    task_state: null, host: mig.source_compute, node: mig.source_node, flavor: { cur: inst.flavor.cur },
    system_metadata: { [QUOTA_HELD_KEY]: null },
  });
  await actions.faultCreate({ instance_uuid: uuid, code: 500, message: reason, host });
}

/**
 * The conductor's part of cold moves and unshelve (Nova's ComputeTaskManager.migrate_server and
 * unshelve_instance): schedule with claims, record the migration, then hand over to the hosts.
 */
export class MoveTasks {
  constructor(private log: Logger, private scheduler: SchedulerMethods, private compute: ComputeAPIClient) {}

  async migrateServer(ctx: RequestContext, a: MigrateRequest): Promise<void> {
    const inst = a.instance;
    const event = 'conductor_migrate_server';
    await actions.actionEventStart({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, host: null });

    const mig = await migrationCreate({
      instance_uuid: inst.uuid, migration_type: a.migration_type, status: 'pre-migrating',
      source_compute: inst.host, source_node: inst.node, source_node_id: await nodeIdOf(inst.host, inst.node),
      old_instance_type_id: inst.flavor.cur.id, new_instance_type_id: a.flavor.id, user_id: inst.user_id, project_id: inst.project_id,
    });
    // The source claim now belongs to the migration; the instance claims the destination.
    await moveAllocations(inst.uuid, mig.uuid);
    try {
      const spec = specForInstance(inst, { flavor: a.flavor, ignore_hosts: a.ignore_hosts, requested_destination: a.requested_destination ?? null, instance_group: await groupOf(inst.uuid) });
      const sel = (await this.scheduler.select_destinations(ctx, { request: spec })).selections[0];
      const saved = await migrationUpdate(mig.id, { dest_compute: sel.host, dest_node: sel.nodename, dest_node_id: sel.compute_node_id, dest_host: sel.host });
      await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' });
      await this.compute.to(sel.host).prep_resize(ctx, { instance: inst, new_flavor: a.flavor, migration: saved });
    } catch (e) {
      const why = e instanceof NoValidHost ? (e as Error).message : `Migration failed: ${(e as Error).message}`;
      this.log.warn(`${a.migration_type} of ${inst.uuid}: ${why}`, { request_id: ctx.request_id });
      await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Error', traceback: (e as Error).stack ?? null });
      await rollbackMigration(ctx, mig.id, inst.uuid, why, null);
    }
  }

  async unshelveInstance(ctx: RequestContext, a: { instance: Instance; availability_zone?: string | null; host?: string }): Promise<void> {
    const inst = a.instance;
    const event = 'conductor_unshelve_instance';
    await actions.actionEventStart({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, host: null });
    if (inst.vm_state === VmState.SHELVED && inst.host) {
      // Still on its host, powered off: that host just starts it again.
      await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' });
      await this.compute.to(inst.host).unshelve_instance(ctx, { instance: inst, node: inst.node!, compute_node_id: (await nodeIdOf(inst.host, inst.node)) ?? 0 });
      return;
    }
    try {
      const zone = a.availability_zone !== undefined ? a.availability_zone : inst.system_metadata.pinned_availability_zone || null;
      const spec = specForInstance(inst, { availability_zone: zone, requested_destination: a.host ? { host: a.host } : null, instance_group: await groupOf(inst.uuid) });
      const sel = (await this.scheduler.select_destinations(ctx, { request: spec })).selections[0];
      let placed: Instance;
      try {
        placed = await instances.instanceUpdate(inst.uuid, { host: sel.host, node: sel.nodename, availability_zone: zone ?? sel.availability_zone }, { expectedTaskState: [TaskState.UNSHELVING] });
      } catch (e) {
        await release(inst.uuid);
        throw e;
      }
      await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' });
      await this.compute.to(sel.host).unshelve_instance(ctx, { instance: placed, node: sel.nodename, compute_node_id: sel.compute_node_id });
    } catch (e) {
      if (e instanceof InstanceNotFound) return;
      this.log.warn(`unshelve of ${inst.uuid} failed: ${(e as Error).message}`, { request_id: ctx.request_id });
      await recordFailure(ctx, inst.uuid, event, e, null);
      await instances.instanceUpdate(inst.uuid, { task_state: null }, { expectedTaskState: [TaskState.UNSHELVING] }).catch(() => undefined);
    }
  }
}
