import { RequestContext } from '../context';
import * as db from '../db/api/instances';
import { InstanceInvalidState, InstanceTagNotFound, InvalidInput, MetadataItemNotFound } from '../exception';
import { Instance } from '../objects/instance';
import type { ComputeAPI } from './api';
import { checkMetadataQuota } from './create';
import { VmState } from './vm_states';

const { ACTIVE, PAUSED, SUSPENDED, STOPPED } = VmState;
/** States in which metadata and tags may change (Nova's check_instance_state for them). */
const EDITABLE: string[] = [ACTIVE, PAUSED, SUSPENDED, STOPPED];

/** Nova's limit on tags per server (objects.instance.MAX_TAG_COUNT). */
export const MAX_TAG_COUNT = 50;

/** Server metadata and tags: lock and state checks, the metadata_items quota, the 50-tag limit. */
export class MetadataAPI {
  constructor(private api: ComputeAPI) {}

  /** Sets keys (`replace`: the whole set) and returns the metadata as stored. */
  async updateMetadata(ctx: RequestContext, inst: Instance, metadata: Record<string, string>, replace: boolean, action = 'update metadata'): Promise<Record<string, string>> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, action, { vm: EDITABLE, task: [null] });
    const merged = replace ? metadata : { ...inst.metadata, ...metadata };
    await checkMetadataQuota(this.api, inst.project_id, merged);
    return db.instanceMetadataSet(inst.uuid, metadata, replace);
  }

  async deleteMetadata(ctx: RequestContext, inst: Instance, key: string): Promise<void> {
    if (!(key in inst.metadata)) throw new MetadataItemNotFound();
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'delete metadata', { vm: EDITABLE, task: [null] });
    await db.instanceMetadataDelete(inst.uuid, key);
  }

  private checkTaggable(inst: Instance, action: string): void {
    if (!EDITABLE.includes(inst.vm_state)) {
      throw new InstanceInvalidState({ action, instance_uuid: inst.uuid, attr: 'vm_state', state: inst.vm_state });
    }
  }

  /** Adds one tag; false when it was already there. */
  async addTag(_ctx: RequestContext, inst: Instance, tag: string): Promise<boolean> {
    this.checkTaggable(inst, 'update tag');
    if (inst.tags.includes(tag)) return false;
    if (inst.tags.length >= MAX_TAG_COUNT) throw new InvalidInput({}, `The number of tags exceeded the per-server limit ${MAX_TAG_COUNT}`);
    await db.instanceTagAdd(inst.uuid, tag);
    return true;
  }

  async replaceTags(_ctx: RequestContext, inst: Instance, tags: string[]): Promise<string[]> {
    this.checkTaggable(inst, 'update tags');
    return db.instanceTagsSet(inst.uuid, tags);
  }

  async deleteTag(_ctx: RequestContext, inst: Instance, tag: string): Promise<void> {
    this.checkTaggable(inst, 'delete tag');
    if (!(await db.instanceTagDelete(inst.uuid, tag))) throw new InstanceTagNotFound({ instance_id: inst.uuid, tag });
  }

  async deleteAllTags(_ctx: RequestContext, inst: Instance): Promise<void> {
    this.checkTaggable(inst, 'delete tags');
    await db.instanceTagsSet(inst.uuid, []);
  }
}
