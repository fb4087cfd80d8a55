import { RequestContext } from '../context';
import { InstanceNotFound } from '../exception';
import { imageMeta } from '../image/api';
import type { ComputeManager } from './manager';
import { PowerState } from './power_state';
import { ComputeMethods } from './rpcapi';
import { deleteImageQuietly, snapshotInto } from './snapshot';
import { TaskState, VmState } from './vm_states';

type Args<K extends keyof ComputeMethods> = Parameters<ComputeMethods[K]>[1];

const SHELVE_KEYS = { shelved_at: null, shelved_image_id: null, shelved_host: null };

/**
 * Shelve (snapshot, power off, and with `shelved_offload_time` = 0 offload at once: guest and claim
 * gone from the host), and unshelve (power on where it still is, or spawn from the shelved image on
 * the host the conductor chose, then delete that image).
 */
export class ShelveOps {
  constructor(private m: ComputeManager) {}

  async shelveInstance(ctx: RequestContext, a: Args<'shelve_instance'>): Promise<void> {
    const m = this.m;
    const saved = await m.run(ctx, a.instance, {
      event: 'shelve_instance', expected: [TaskState.SHELVING_IMAGE_UPLOADING, TaskState.SHELVING_IMAGE_PENDING_UPLOAD],
      work: async (di) => {
        m.need('supports_snapshot', 'shelve');
        await snapshotInto(m, ctx, a.instance, a.image_id, { pending: TaskState.SHELVING_IMAGE_PENDING_UPLOAD, uploading: TaskState.SHELVING_IMAGE_UPLOADING }, [TaskState.SHELVING]);
        await m.driver.powerOff(di);
        return {
          vm_state: VmState.SHELVED, power_state: await m.powerState(di), task_state: a.offload ? TaskState.SHELVING_OFFLOADING : null,
          system_metadata: { shelved_at: new Date().toISOString(), shelved_image_id: a.image_id, shelved_host: m.host },
        };
      },
    });
    if (!saved) {
      await deleteImageQuietly(m, ctx, a.image_id);
      return;
    }
    if (a.offload) await this.shelveOffloadInstance(ctx, { instance: saved });
  }

  async shelveOffloadInstance(ctx: RequestContext, a: Args<'shelve_offload_instance'>): Promise<void> {
    const m = this.m;
    await m.run(ctx, a.instance, {
      event: 'shelve_offload_instance', expected: [TaskState.SHELVING_OFFLOADING],
      work: async (di) => {
        await m.driver.destroy(di, di.network_info, true);
        // The claim goes with the guest; quota usage stays (the server still exists).
        await m.conductor.allocations_remove(ctx, { consumer_id: di.uuid });
        return { vm_state: VmState.SHELVED_OFFLOADED, power_state: PowerState.NOSTATE, host: null, node: null };
      },
    });
  }

  async unshelveInstance(ctx: RequestContext, a: Args<'unshelve_instance'>): Promise<void> {
    const m = this.m;
    const offloaded = a.instance.vm_state === VmState.SHELVED_OFFLOADED;
    const imageId = a.instance.system_metadata.shelved_image_id;
    const saved = await m.run(ctx, a.instance, {
      event: 'unshelve_instance', expected: [TaskState.SPAWNING], errorVmState: a.instance.vm_state,
      work: async () => {
        const inst = await m.conductor.instance_update(ctx, { uuid: a.instance.uuid, updates: { task_state: TaskState.SPAWNING }, expected_task_state: [TaskState.UNSHELVING] });
        const di = m.di(inst);
        if (await m.driver.instanceExists(di)) {
          await m.driver.powerOn(di, di.network_info);
        } else {
          const images = await m.deps.images();
          const image = imageMeta(await images.get(ctx, imageId ?? inst.image_ref));
          await m.driver.spawn({ instance: di, image_meta: image, admin_password: null, injected_files: [] });
        }
        return { vm_state: VmState.ACTIVE, power_state: await m.powerState(di), launched_at: new Date().toISOString(), system_metadata: SHELVE_KEYS };
      },
    });
    if (saved) {
      await deleteImageQuietly(m, ctx, imageId);
      return;
    }
    if (!offloaded) return;
    // A failed spawn leaves the server offloaded again, with nothing left on this host.
    try {
      const now = await m.conductor.instance_get(ctx, { uuid: a.instance.uuid });
      await m.driver.destroy(m.di(now), now.network_info, true).catch(() => undefined);
      await m.conductor.allocations_remove(ctx, { consumer_id: now.uuid, compute_node_id: a.compute_node_id });
      await m.conductor.instance_update(ctx, { uuid: now.uuid, updates: { host: null, node: null, power_state: PowerState.NOSTATE }, expected_vm_state: [VmState.SHELVED_OFFLOADED] });
    } catch (e) {
      if (!(e instanceof InstanceNotFound)) m.deps.log.warn(`cleaning up failed unshelve of ${a.instance.uuid}: ${(e as Error).message}`);
    }
  }
}
