import { adminContext } from '../context';
import { InstanceNotFound } from '../exception';
import { DriverInstance } from '../drivers/driver';
import type { ComputeManager } from './manager';

/**
 * Removes guests this host still runs for instances that are deleted (Nova's
 * `_cleanup_running_deleted_instances` with the default action `reap`): what a delete missed
 * because the host was down, or a spawn that finished after its instance was gone.
 * Guests of instances that live elsewhere (the source of a resize) are left alone.
 */
export async function reapDeletedGuests(m: ComputeManager): Promise<string[]> {
  const ctx = adminContext();
  const known = new Set((await m.conductor.instance_get_all_by_host(ctx, { host: m.host })).map((i) => i.uuid));
  const reaped: string[] = [];
  for (const uuid of await m.driver.listInstanceUuids()) {
    if (known.has(uuid)) continue;
    let di: DriverInstance;
    try {
      const inst = await m.conductor.instance_get(ctx, { uuid, read_deleted: 'yes' });
      if (!inst.deleted) continue;
      di = m.di(inst);
    } catch (e) {
      if (!(e instanceof InstanceNotFound)) throw e;
      di = unknownGuest(uuid); // no record at all: nobody owns this guest
    }
    await m.driver.destroy(di, [], true);
    m.deps.log.warn(`destroyed guest of deleted instance ${uuid} on ${m.host}`);
    reaped.push(uuid);
  }
  return reaped;
}

/** What a driver needs to remove a guest no instance record describes. */
function unknownGuest(uuid: string): DriverInstance {
  return {
    uuid, name: uuid, display_name: uuid, hostname: null, project_id: '', user_id: '', image_ref: '', kernel_id: null, ramdisk_id: null,
    key_data: null, user_data: null, metadata: {}, network_info: [], power_state: 0, vm_state: 'deleted', task_state: null, host: null, node: null,
    flavor: { id: 0, flavorid: '', name: '', memory_mb: 0, vcpus: 0, root_gb: 0, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null, extra_specs: {} },
  };
}
