import { randomUUID } from 'node:crypto';
import { RequestContext } from '../context';
import { FlavorObj, flavorGet } from '../db/api/flavors';
import { serverGroupGet } from '../db/api/server_groups';
import { InstanceGroupNotFound, InvalidInput } from '../exception';
import { imageMeta } from '../image/api';
import { Decision } from '../scheduler/filter_scheduler';
import type { ComputeAPI } from './api';
import { BuildRequest } from './build';
import { groupHint, parseZone, stripFlavor } from './create';
import { checkImageFitsFlavor, loadActiveImage } from './image_checks';

/** What an admin asks the scheduler about: a boot's placement inputs, nothing booted. */
export interface DryRunRequest {
  flavorRef: string;
  imageRef?: string;
  availability_zone?: string;
  min_count: number;
  scheduler_hints?: Record<string, unknown>;
  /** Whose boot to decide for (aggregate tenant isolation); the admin's own project when absent. */
  project_id?: string;
}

/**
 * Asks the scheduler where a boot would go, with every filter's host counts and first reasons, as
 * the real boot would be decided (same request, same scheduler process and host states) but with
 * nothing claimed and no instance written. "No valid host" is an answer here, not an error.
 */
export async function scheduleDryRun(api: ComputeAPI, ctx: RequestContext, req: DryRunRequest): Promise<Decision> {
  let flavor: FlavorObj;
  try { flavor = await flavorGet(req.flavorRef); } catch {
    throw new InvalidInput({}, `Flavor ${req.flavorRef} could not be found.`);
  }
  let image: BuildRequest['image'] = { id: '', properties: {} } as unknown as BuildRequest['image'];
  if (req.imageRef) {
    const found = await loadActiveImage(await api.rt.imageService(), ctx, req.imageRef, 'Can not find requested image');
    checkImageFitsFlavor(found, flavor);
    image = imageMeta(found);
  }
  const { zone, forceHost, forceNode } = parseZone(ctx, req.availability_zone);
  const groupUuid = groupHint(req.scheduler_hints);
  const group = groupUuid ? await serverGroupGet(groupUuid) : null;
  if (groupUuid && !group) throw new InstanceGroupNotFound({ group_uuid: groupUuid });
  const uuids = Array.from({ length: req.min_count }, () => randomUUID());
  const request: BuildRequest = {
    instance_uuids: uuids,
    project_id: req.project_id ?? ctx.project_id ?? '', user_id: ctx.user_id ?? '', flavor: stripFlavor(flavor), image,
    availability_zone: zone ?? (api.conf.DEFAULT.default_schedule_zone || null),
    force_hosts: forceHost ? [forceHost] : undefined, force_nodes: forceNode ? [forceNode] : undefined,
    scheduler_hints: req.scheduler_hints ?? {}, retry: { num_attempts: 0, hosts: [] },
    instance_group: group ? { uuid: group.uuid, policy: group.policy, rules: group.rules, members: [...group.members, ...uuids] } : null,
    dry_run: true,
  };
  return (await api.rt.scheduler()).select_destinations(ctx, { request });
}
