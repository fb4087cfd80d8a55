import { RequestContext } from '../context';
import { imageMeta } from '../image/api';
import type { ComputeManager } from './manager';
import { PowerState } from './power_state';
import { ResizeOps } from './resize_ops';
import { ComputeMethods } from './rpcapi';
import { ShelveOps } from './shelve_ops';
import { deleteImageQuietly, snapshotInto } from './snapshot';
import { TaskState, VmState } from './vm_states';

type M = ComputeMethods;
type Args<K extends keyof M> = Parameters<M[K]>[1];

/**
 * Instance operations that replace or move disks and images: rebuild, snapshot, rescue here;
 * resize/migrate and shelve in their own files. Kept apart from the manager's power actions.
 */
export class MoveOps implements Pick<M, 'rescue_instance' | 'unrescue_instance' | 'rebuild_instance' | 'snapshot_instance' |
  'prep_resize' | 'resize_instance' | 'finish_resize' | 'confirm_resize' | 'revert_resize' | 'finish_revert_resize' |
  'shelve_instance' | 'shelve_offload_instance' | 'unshelve_instance'> {
  private resize: ResizeOps;
  private shelve: ShelveOps;

  constructor(private m: ComputeManager) {
    this.resize = new ResizeOps(m);
    this.shelve = new ShelveOps(m);
  }

  async rebuild_instance(ctx: RequestContext, a: Args<'rebuild_instance'>): Promise<void> {
    const m = this.m;
    await m.run(ctx, a.instance, {
      event: 'rebuild_instance', expected: [TaskState.REBUILD_SPAWNING], errorVmState: VmState.ERROR,
      work: async (di) => {
        const image = imageMeta(await (await m.deps.images()).get(ctx, a.image_ref));
        await m.conductor.instance_update(ctx, { uuid: di.uuid, updates: { task_state: TaskState.REBUILD_SPAWNING }, expected_task_state: [TaskState.REBUILDING] });
        const req = { instance: di, image_meta: image, admin_password: a.admin_password, injected_files: [] };
        if (m.driver.rebuild) {
          await m.driver.rebuild(req);
        } else {
          await m.driver.destroy(di, di.network_info, !a.preserve_ephemeral);
          await m.driver.spawn(req);
        }
        // A stopped server stays stopped after a rebuild, as in Nova.
        if (a.orig_vm_state === VmState.STOPPED) await m.driver.powerOff(di);
        return {
          vm_state: a.orig_vm_state === VmState.STOPPED ? VmState.STOPPED : VmState.ACTIVE,
          power_state: await m.powerState(di), launched_at: new Date().toISOString(),
        };
      },
    });
  }

  async snapshot_instance(ctx: RequestContext, a: Args<'snapshot_instance'>): Promise<void> {
    const m = this.m;
    const saved = await m.run(ctx, a.instance, {
      event: 'snapshot_instance', expected: [TaskState.IMAGE_UPLOADING, TaskState.IMAGE_PENDING_UPLOAD],
      work: async () => {
        m.need('supports_snapshot', 'snapshot');
        await m.conductor.instance_update(ctx, { uuid: a.instance.uuid, updates: { task_state: TaskState.IMAGE_SNAPSHOT }, expected_task_state: [TaskState.IMAGE_SNAPSHOT_PENDING] });
        await snapshotInto(m, ctx, a.instance, a.image_id, { pending: TaskState.IMAGE_PENDING_UPLOAD, uploading: TaskState.IMAGE_UPLOADING }, [TaskState.IMAGE_SNAPSHOT]);
      },
    });
    if (!saved) await deleteImageQuietly(m, ctx, a.image_id);
  }

  async rescue_instance(ctx: RequestContext, a: Args<'rescue_instance'>): Promise<void> {
    const m = this.m;
    await m.run(ctx, a.instance, {
      event: 'rescue_instance', expected: [TaskState.RESCUING],
      work: async (di) => {
        m.need('supports_rescue', 'rescue');
        const ref = a.rescue_image_ref ?? a.instance.image_ref;
        const image = imageMeta(await (await m.deps.images()).get(ctx, ref));
        await m.driver.rescue(di, di.network_info, image, a.rescue_password);
        return { vm_state: VmState.RESCUED, power_state: await m.powerState(di), system_metadata: { old_vm_state: a.instance.vm_state } };
      },
    });
  }

  async unrescue_instance(ctx: RequestContext, a: Args<'unrescue_instance'>): Promise<void> {
    const m = this.m;
    await m.run(ctx, a.instance, {
      event: 'unrescue_instance', expected: [TaskState.UNRESCUING],
      work: async (di) => {
        await m.driver.unrescue(di, di.network_info);
        const power = await m.powerState(di);
        return { vm_state: power === PowerState.SHUTDOWN ? VmState.STOPPED : VmState.ACTIVE, power_state: power, system_metadata: { old_vm_state: null } };
      },
    });
  }

  prep_resize(ctx: RequestContext, a: Args<'prep_resize'>): Promise<void> { return this.resize.prepResize(ctx, a); }
  resize_instance(ctx: RequestContext, a: Args<'resize_instance'>): Promise<void> { return this.resize.resizeInstance(ctx, a); }
  finish_resize(ctx: RequestContext, a: Args<'finish_resize'>): Promise<void> { return this.resize.finishResize(ctx, a); }
  confirm_resize(ctx: RequestContext, a: Args<'confirm_resize'>): Promise<void> { return this.resize.confirmResize(ctx, a); }
  revert_resize(ctx: RequestContext, a: Args<'revert_resize'>): Promise<void> { return this.resize.revertResize(ctx, a); }
  finish_revert_resize(ctx: RequestContext, a: Args<'finish_revert_resize'>): Promise<void> { return this.resize.finishRevertResize(ctx, a); }
  shelve_instance(ctx: RequestContext, a: Args<'shelve_instance'>): Promise<void> { return this.shelve.shelveInstance(ctx, a); }
  shelve_offload_instance(ctx: RequestContext, a: Args<'shelve_offload_instance'>): Promise<void> { return this.shelve.shelveOffloadInstance(ctx, a); }
  unshelve_instance(ctx: RequestContext, a: Args<'unshelve_instance'>): Promise<void> { return this.shelve.unshelveInstance(ctx, a); }
}
