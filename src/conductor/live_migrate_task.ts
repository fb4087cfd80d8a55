import { ComputeAPIClient } from '../compute/rpcapi';
import { RequestContext } from '../context';
import * as actions from '../db/api/actions';
import { moveAllocations } from '../db/api/allocations';
import { migrationCreate, migrationUpdate } from '../db/api/migrations';
import { MigrationPreCheckError, NoValidHost } from '../exception';
import { Logger } from '../lib/log';
import { SchedulerMethods } from '../scheduler/rpcapi';
import { groupOf, nodeIdOf, rollbackMigration, specForInstance } from './move_tasks';
import { LiveMigrateRequest } from './rpcapi';

/**
 * The conductor's part of a live migration (Nova's LiveMigrationTask): record the migration, move
 * the source claim to it, schedule and claim a destination (the one asked for, if any), ask that
 * host whether it can take the guest, then let the source move it. A failure before the source
 * starts is undone here: the migration goes to `error`, the claims go back, the guest stays.
 */
export async function liveMigrateInstance(ctx: RequestContext, a: LiveMigrateRequest, deps: { log: Logger; scheduler: SchedulerMethods; compute: ComputeAPIClient }): Promise<void> {
  const inst = a.instance;
  const event = 'conductor_live_migrate_instance';
  await actions.actionEventStart({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, host: null });
  const mig = await migrationCreate({
    instance_uuid: inst.uuid, migration_type: 'live-migration', status: 'accepted',
    source_compute: inst.host, source_node: inst.node, source_node_id: await nodeIdOf(inst.host, inst.node),
    old_instance_type_id: inst.flavor.cur.id, new_instance_type_id: inst.flavor.cur.id, user_id: inst.user_id, project_id: inst.project_id,
  });
  await moveAllocations(inst.uuid, mig.uuid);
  try {
    const spec = specForInstance(inst, { ignore_hosts: [inst.host!], requested_destination: a.host ? { host: a.host } : null, instance_group: await groupOf(inst.uuid) });
    const sel = (await deps.scheduler.select_destinations(ctx, { request: spec })).selections[0];
    const saved = await migrationUpdate(mig.id, { dest_compute: sel.host, dest_node: sel.nodename, dest_node_id: sel.compute_node_id, dest_host: sel.host });
    const dest = await deps.compute.to(sel.host).check_can_live_migrate_destination(ctx, { instance: inst, block_migration: a.block_migration });
    await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' });
    await deps.compute.to(inst.host!).live_migration(ctx, { instance: inst, migration: saved, dest, block_migration: a.block_migration });
  } catch (e) {
    const err = e as Error;
    const why = e instanceof NoValidHost || e instanceof MigrationPreCheckError ? err.message : `Live migration failed: ${err.message}`;
    deps.log.warn(`live migration of ${inst.uuid}: ${why}`, { request_id: ctx.request_id });
    await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Error', traceback: err.stack ?? null, details: why });
    await rollbackMigration(ctx, mig.id, inst.uuid, why, null);
  }
}
