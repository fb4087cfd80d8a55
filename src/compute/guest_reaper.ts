import { adminContext } from '../context';
import { InstanceNotFound } from '../exception';
import { DriverInstance } from '../drivers/driver';
import type { ComputeManager } from './manager';

/**
 * Removes guests this host still runs for instances that are deleted (Nova's
 * `_cleanup_running_deleted_instances` with the default action `reap`): what a delete missed
 * because the host was down, or a spawn that finished after its instance was gone.
 * Only guests of deleted instances that lived on this host go. A guest no instance record names is
 * left alone, as in Nova: hypervisors are shared (another cloud, another compute service, or an
 * operator's own guest on the same libvirtd), and destroying what we do not own is not ours to do.
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
      if (!inst.deleted || inst.host !== m.host) continue;
      di = m.di(inst);
    } catch (e) {
      if (e instanceof InstanceNotFound) continue;
      throw e;
    }
    await m.driver.destroy(di, [], true);
    m.deps.log.warn(`destroyed guest of deleted instance ${uuid} on ${m.host}`);
    reaped.push(uuid);
  }
  return reaped;
}
