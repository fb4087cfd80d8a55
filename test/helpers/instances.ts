import { randomUUID } from 'node:crypto';
import { flavorGet } from '../../src/db/api/flavors';
import { instanceCreate, instanceGet, instanceSoftDestroy, instanceUpdate } from '../../src/db/api/instances';
import { Instance } from '../../src/objects/instance';

/**
 * Puts an instance row straight into the database (for usage and quota tests that need no build):
 * `flavorid` names one of the flavors, `launched`/`terminated` set the usage window, `deleted`
 * soft-deletes the row afterwards.
 */
export async function insertInstance(o: {
  project: string; user?: string; flavorid?: string; name?: string; launched?: Date | null; terminated?: Date | null;
  deleted?: boolean; vmState?: string;
}): Promise<Instance> {
  const flavor = await flavorGet(o.flavorid ?? '1');
  const { created_at: _c, updated_at: _u, disabled: _d, ...copy } = flavor;
  const uuid = randomUUID();
  await instanceCreate({
    uuid, display_name: o.name ?? `vm-${uuid.slice(0, 8)}`, project_id: o.project, user_id: o.user ?? 'someone',
    vm_state: o.vmState ?? 'active', reservation_id: `r-${uuid.slice(0, 8)}`, flavor: { cur: copy }, instance_type_id: flavor.id,
    memory_mb: flavor.memory_mb, vcpus: flavor.vcpus, root_gb: flavor.root_gb, ephemeral_gb: flavor.ephemeral_gb,
    launched_at: o.launched === undefined ? new Date().toISOString() : o.launched?.toISOString() ?? null,
  });
  if (o.terminated !== undefined) await instanceUpdate(uuid, { terminated_at: o.terminated?.toISOString() ?? null });
  if (o.deleted) await instanceSoftDestroy(uuid);
  return instanceGet(uuid, { readDeleted: 'yes' });
}
