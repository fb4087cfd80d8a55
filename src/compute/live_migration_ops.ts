import { RequestContext } from '../context';
import { ImageMeta, LiveMigrationTarget } from '../drivers/driver';
import { MigrationPreCheckError } from '../exception';
import type { ComputeManager } from './manager';
import { ComputeMethods } from './rpcapi';
import { TaskState } from './vm_states';

type Args<K extends keyof ComputeMethods> = Parameters<ComputeMethods[K]>[1];

/**
 * Live migration on the two hosts (Nova's check_can_live_migrate_destination, pre_live_migration,
 * live_migration, post_live_migration_at_destination, rollback_live_migration_at_destination).
 * The conductor has claimed the destination (the source claim is held by the migration); the source
 * drives the move. A refusal before the guest moved leaves it running where it was: the migration
 * goes to `error`, claims go back, and the instance action records the reason.
 */
export class LiveMigrationOps {
  constructor(private m: ComputeManager) {}

  private event(ctx: RequestContext, uuid: string, event: string, result?: 'Success' | 'Error', e?: unknown) {
    const c = this.m.conductor;
    if (!result) return c.action_event_start(ctx, { uuid, request_id: ctx.request_id, event, host: this.m.host }).catch(() => undefined);
    return c.action_event_finish(ctx, { uuid, request_id: ctx.request_id, event, result, traceback: (e as Error)?.stack, details: (e as Error)?.message }).catch(() => undefined);
  }

  /** Destination: can this host take the guest live, and how does the source reach it. */
  async checkDestination(_ctx: RequestContext, a: Args<'check_can_live_migrate_destination'>): Promise<LiveMigrationTarget> {
    const d = this.m.driver;
    if (!d.capabilities.supports_live_migration || !d.liveMigration || !d.liveMigrationTarget) {
      throw new MigrationPreCheckError({ reason: `the ${d.name} driver of ${this.m.host} cannot live-migrate` });
    }
    return { ...(await d.liveMigrationTarget(this.m.di(a.instance))), dest_host: this.m.host };
  }

  /** Destination, before the move. */
  async pre(_ctx: RequestContext, a: Args<'pre_live_migration'>): Promise<void> {
    const inst = a.instance;
    const image: ImageMeta = { id: inst.image_ref, properties: {}, ...(inst.image_meta as object) };
    await this.m.driver.preLiveMigration?.(this.m.di(inst), image, a.block_migration, a.dest);
  }

  /** Source: the move itself, then the destination takes the instance over. */
  async liveMigration(ctx: RequestContext, a: Args<'live_migration'>): Promise<void> {
    const m = this.m;
    const event = 'compute_live_migration';
    const inst = a.instance;
    const mig = a.migration;
    const dest = m.deps.compute.to(a.dest.dest_host);
    await this.event(ctx, inst.uuid, event);
    let block = a.block_migration === true;
    let shared = false;
    try {
      await m.conductor.migration_update(ctx, { id: mig.id, values: { status: 'preparing' } });
      shared = (await m.driver.liveMigrationSharesStorage?.(a.dest)) ?? false;
      if (a.block_migration === 'auto') block = !shared;
      else if (block && shared) throw new MigrationPreCheckError({ reason: `block migration asked for, but ${m.host} and ${a.dest.dest_host} share instance storage` });
      await dest.pre_live_migration(ctx, { instance: inst, block_migration: block, dest: a.dest });
      await m.conductor.migration_update(ctx, { id: mig.id, values: { status: 'running' } });
      await m.driver.liveMigration!(m.di(inst), a.dest, block);
    } catch (e) {
      m.deps.log.warn(`live migration of ${inst.uuid} to ${a.dest.dest_host} failed: ${(e as Error).message}`, { request_id: ctx.request_id });
      await dest.rollback_live_migration_at_destination(ctx, { instance: inst, block_migration: block }).catch(() => undefined);
      await this.event(ctx, inst.uuid, event, 'Error', e);
      await m.conductor.migration_rollback(ctx, { migration_id: mig.id, instance_uuid: inst.uuid, host: m.host, reason: (e as Error).message });
      return;
    }
    try {
      await m.conductor.allocations_remove(ctx, { consumer_id: mig.uuid });
      // The source is clean before the destination takes over (as Nova's _post_live_migration): once
      // the instance shows the new host and no task, nothing of it is left here.
      await m.driver.cleanupLiveMigrationSource?.(m.di(inst), shared);
      await dest.post_live_migration_at_destination(ctx, { instance: inst, migration: mig });
      await this.event(ctx, inst.uuid, event, 'Success');
    } catch (e) {
      await m.fail(ctx, inst, event, e);
    }
  }

  /** Destination: the guest runs here now. */
  async postAtDestination(ctx: RequestContext, a: Args<'post_live_migration_at_destination'>): Promise<void> {
    const m = this.m;
    const moved = await m.conductor.instance_update(ctx, {
      uuid: a.instance.uuid, expected_task_state: [TaskState.MIGRATING],
      updates: { host: m.host, node: a.migration.dest_node },
    });
    const di = m.di(moved);
    await m.driver.postLiveMigrationAtDestination?.(di);
    await m.conductor.instance_update(ctx, { uuid: moved.uuid, updates: { task_state: null, power_state: await m.powerState(di) }, expected_task_state: [TaskState.MIGRATING] });
    await m.conductor.migration_update(ctx, { id: a.migration.id, values: { status: 'completed' } });
  }

  async rollbackAtDestination(_ctx: RequestContext, a: Args<'rollback_live_migration_at_destination'>): Promise<void> {
    await this.m.driver.rollbackLiveMigrationAtDestination?.(this.m.di(a.instance), a.block_migration);
  }
}
