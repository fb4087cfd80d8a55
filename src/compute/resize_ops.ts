import { RequestContext } from '../context';
import { FINAL_STATUSES, MigrationObj } from '../db/api/migrations';
import { FlavorCopy } from '../db/models/instance';
import { InstanceNotFound, UnexpectedTaskStateError } from '../exception';
import { Instance, InstanceUpdate } from '../objects/instance';
import type { ComputeManager } from './manager';
import { ComputeMethods } from './rpcapi';
import { QUOTA_HELD_KEY } from './usage';
import { TaskState, VmState } from './vm_states';

type Args<K extends keyof ComputeMethods> = Parameters<ComputeMethods[K]>[1];

/** The instance columns that follow its flavor. */
export function flavorColumns(f: FlavorCopy): InstanceUpdate {
  return { instance_type_id: f.id, vcpus: f.vcpus, memory_mb: f.memory_mb, root_gb: f.root_gb, ephemeral_gb: f.ephemeral_gb };
}

/** Was the instance powered off when the move started (it then stays off at the end). */
function wasStopped(inst: Instance): boolean {
  return inst.system_metadata.old_vm_state === VmState.STOPPED;
}

/**
 * Cold resize and migration across hosts, Nova's five-step dance: prep_resize (destination, after
 * the conductor's claim there), resize_instance (source: power off, send disks), finish_resize
 * (destination: VERIFY_RESIZE), then confirm (source drops the old guest and its claim) or revert
 * (destination drops the new guest and its claim, source restores). The source claim is held by the
 * migration's uuid meanwhile, as Placement does.
 */
export class ResizeOps {
  constructor(private m: ComputeManager) {}

  private event(ctx: RequestContext, uuid: string, event: string, result?: 'Success' | 'Error', e?: unknown) {
    const c = this.m.conductor;
    if (!result) return c.action_event_start(ctx, { uuid, request_id: ctx.request_id, event, host: this.m.host }).catch(() => undefined);
    return c.action_event_finish(ctx, { uuid, request_id: ctx.request_id, event, result, traceback: (e as Error)?.stack, details: (e as Error)?.message }).catch(() => undefined);
  }

  /** Undo before any disk moved: claims and quota back, instance back to what it was, with a fault. */
  private async rollback(ctx: RequestContext, inst: Instance, mig: MigrationObj, event: string, e: unknown): Promise<void> {
    this.m.deps.log.warn(`${event} of ${inst.uuid} failed on ${this.m.host}: ${(e as Error)?.message}`, { request_id: ctx.request_id });
    await this.event(ctx, inst.uuid, event, 'Error', e);
    await this.m.conductor.migration_rollback(ctx, {
      migration_id: mig.id, instance_uuid: inst.uuid, host: this.m.host,
      reason: `${mig.migration_type === 'resize' ? 'Resize' : 'Migration'} failed on ${this.m.host}: ${(e as Error)?.message ?? e}`,
    });
  }

  /** After the guest moved, failures cannot be undone here: ERROR with a fault, migration in error. */
  private async failMoved(ctx: RequestContext, inst: Instance, mig: MigrationObj, event: string, e: unknown): Promise<void> {
    if (e instanceof InstanceNotFound) return;
    if (!(e instanceof UnexpectedTaskStateError)) await this.m.fail(ctx, inst, event, e, VmState.ERROR);
    await this.m.conductor.migration_update(ctx, { id: mig.id, values: { status: 'error' } }).catch(() => undefined);
  }

  async prepResize(ctx: RequestContext, a: Args<'prep_resize'>): Promise<void> {
    const m = this.m;
    const event = 'compute_prep_resize';
    await this.event(ctx, a.instance.uuid, event);
    try {
      m.need('supports_resize', 'resize');
      const cur = a.instance.flavor.cur;
      const inst = await m.conductor.instance_update(ctx, {
        uuid: a.instance.uuid, expected_task_state: [TaskState.RESIZE_PREP],
        updates: { flavor: { cur, old: cur, new: a.new_flavor }, system_metadata: { old_vm_state: a.instance.vm_state } },
      });
      // How the source reaches this host (its libvirt URI, instances_path): only this host knows.
      const dest = (await m.driver.migrationTarget?.()) ?? {};
      await this.event(ctx, inst.uuid, event, 'Success');
      await m.deps.compute.to(a.migration.source_compute!).resize_instance(ctx, { instance: inst, new_flavor: a.new_flavor, migration: a.migration, dest });
    } catch (e) {
      await this.rollback(ctx, a.instance, a.migration, event, e);
    }
  }

  async resizeInstance(ctx: RequestContext, a: Args<'resize_instance'>): Promise<void> {
    const m = this.m;
    const event = 'compute_resize_instance';
    let inst = a.instance;
    let info: Record<string, unknown>;
    await this.event(ctx, inst.uuid, event);
    try {
      await m.conductor.migration_update(ctx, { id: a.migration.id, values: { status: 'migrating' } });
      inst = await m.conductor.instance_update(ctx, { uuid: inst.uuid, updates: { task_state: TaskState.RESIZE_MIGRATING, progress: 0 }, expected_task_state: [TaskState.RESIZE_PREP] });
      info = await m.driver.migrateDiskAndPowerOff(m.di(inst), { ...a.dest, dest_host: a.migration.dest_compute! }, a.new_flavor, inst.network_info);
    } catch (e) {
      await this.rollback(ctx, inst, a.migration, event, e);
      return;
    }
    try {
      const mig = await m.conductor.migration_update(ctx, { id: a.migration.id, values: { status: 'post-migrating' } });
      inst = await m.conductor.instance_update(ctx, {
        uuid: inst.uuid, expected_task_state: [TaskState.RESIZE_MIGRATING],
        updates: { task_state: TaskState.RESIZE_MIGRATED, host: mig.dest_compute, node: mig.dest_node, power_state: await m.powerState(m.di(inst)) },
      });
      await this.event(ctx, inst.uuid, event, 'Success');
      await m.deps.compute.to(mig.dest_compute!).finish_resize(ctx, { instance: inst, migration: mig, migration_info: info });
    } catch (e) {
      await this.failMoved(ctx, inst, a.migration, event, e);
    }
  }

  async finishResize(ctx: RequestContext, a: Args<'finish_resize'>): Promise<void> {
    const m = this.m;
    const saved = await m.run(ctx, a.instance, {
      event: 'finish_resize', expected: [TaskState.RESIZE_FINISH], errorVmState: VmState.ERROR,
      work: async () => {
        const oldF = a.instance.flavor.old ?? a.instance.flavor.cur;
        const newF = a.instance.flavor.new ?? a.instance.flavor.cur;
        const inst = await m.conductor.instance_update(ctx, {
          uuid: a.instance.uuid, expected_task_state: [TaskState.RESIZE_MIGRATED],
          updates: { task_state: TaskState.RESIZE_FINISH, flavor: { cur: newF, old: oldF, new: newF }, ...flavorColumns(newF) },
        });
        const di = m.di(inst);
        await m.driver.finishMigration(di, a.migration_info, { id: inst.image_ref, properties: {}, ...(inst.image_meta as object) }, oldF.id !== newF.id, !wasStopped(inst), inst.network_info);
        await m.conductor.migration_update(ctx, { id: a.migration.id, values: { status: 'finished' } });
        return { vm_state: VmState.RESIZED, power_state: await m.powerState(di) };
      },
    });
    if (!saved) await m.conductor.migration_update(ctx, { id: a.migration.id, values: { status: 'error' }, expected_status: ['post-migrating', 'migrating'] }).catch(() => undefined);
  }

  async confirmResize(ctx: RequestContext, a: Args<'confirm_resize'>): Promise<void> {
    const m = this.m;
    const event = 'compute_confirm_resize';
    await this.event(ctx, a.instance.uuid, event);
    try {
      await m.driver.confirmMigration(m.di(a.instance), a.instance.network_info);
      await m.conductor.allocations_remove(ctx, { consumer_id: a.migration.uuid });
      await m.conductor.migration_update(ctx, { id: a.migration.id, values: { status: 'confirmed' } });
      const inst = await m.conductor.instance_get(ctx, { uuid: a.instance.uuid });
      await m.conductor.instance_update(ctx, {
        uuid: inst.uuid, expected_vm_state: [VmState.RESIZED],
        updates: {
          flavor: { cur: inst.flavor.cur }, vm_state: wasStopped(inst) ? VmState.STOPPED : VmState.ACTIVE, task_state: null,
          system_metadata: { old_vm_state: null, [QUOTA_HELD_KEY]: null },
        },
      });
      await this.event(ctx, inst.uuid, event, 'Success');
    } catch (e) {
      if (e instanceof InstanceNotFound || e instanceof UnexpectedTaskStateError) return; // deleted meanwhile: the delete asked for this cleanup
      await this.failMoved(ctx, a.instance, a.migration, event, e);
    }
  }

  async revertResize(ctx: RequestContext, a: Args<'revert_resize'>): Promise<void> {
    const m = this.m;
    const event = 'compute_revert_resize';
    await this.event(ctx, a.instance.uuid, event);
    try {
      await m.driver.destroy(m.di(a.instance), a.instance.network_info, true);
      await m.conductor.allocations_remove(ctx, { consumer_id: a.instance.uuid, compute_node_id: a.migration.dest_node_id ?? undefined });
      await this.event(ctx, a.instance.uuid, event, 'Success');
      await m.deps.compute.to(a.migration.source_compute!).finish_revert_resize(ctx, { instance: a.instance, migration: a.migration });
    } catch (e) {
      await this.failMoved(ctx, a.instance, a.migration, event, e);
    }
  }

  async finishRevertResize(ctx: RequestContext, a: Args<'finish_revert_resize'>): Promise<void> {
    const m = this.m;
    const mig = a.migration;
    const saved = await m.run(ctx, a.instance, {
      event: 'finish_revert_resize', expected: [TaskState.RESIZE_REVERTING], errorVmState: VmState.ERROR,
      work: async () => {
        await m.conductor.allocations_move(ctx, { from: mig.uuid, to: a.instance.uuid });
        const oldF = a.instance.flavor.old ?? a.instance.flavor.cur;
        const inst = await m.conductor.instance_update(ctx, {
          uuid: a.instance.uuid, expected_task_state: [TaskState.RESIZE_REVERTING],
          updates: { flavor: { cur: oldF }, ...flavorColumns(oldF), host: mig.source_compute, node: mig.source_node },
        });
        const di = m.di(inst);
        await m.driver.finishRevertMigration(di, inst.network_info, !wasStopped(inst));
        await m.conductor.migration_update(ctx, { id: mig.id, values: { status: 'reverted' } });
        return {
          vm_state: wasStopped(inst) ? VmState.STOPPED : VmState.ACTIVE, power_state: await m.powerState(di),
          system_metadata: { old_vm_state: null, [QUOTA_HELD_KEY]: null },
        };
      },
    });
    if (!saved) {
      const now = await m.conductor.migration_get(ctx, { id: mig.id }).catch(() => null);
      if (now && !FINAL_STATUSES.includes(now.status)) await m.conductor.migration_update(ctx, { id: mig.id, values: { status: 'error' } }).catch(() => undefined);
    }
  }
}
