import { RequestContext } from '../context';
import { Instance } from '../objects/instance';
import type { ComputeManager } from './manager';

/** The task states one image upload steps through (createImage and shelve use different names). */
export interface UploadStates { pending: string; uploading: string }

/**
 * Has the driver write the guest's disk into image `imageId` (created queued by the API), moving the
 * task state to `pending`, then `uploading` once data flows, each by compare-and-swap so a delete
 * that arrives meanwhile stops the upload.
 */
export async function snapshotInto(m: ComputeManager, ctx: RequestContext, inst: Instance, imageId: string, states: UploadStates, expectedBefore: Array<string | null>): Promise<void> {
  const images = await m.deps.images();
  await m.conductor.instance_update(ctx, { uuid: inst.uuid, updates: { task_state: states.pending }, expected_task_state: expectedBefore });
  await m.driver.snapshot(m.di(inst), {
    image_id: imageId,
    upload: async (data, meta) => {
      await m.conductor.instance_update(ctx, { uuid: inst.uuid, updates: { task_state: states.uploading }, expected_task_state: [states.pending] });
      await images.update(ctx, imageId, { disk_format: meta.disk_format, container_format: meta.container_format });
      await images.upload(ctx, imageId, data);
    },
  });
}

/** Removes an image a failed snapshot left behind (Nova's delete_image_on_error); gone already is fine. */
export async function deleteImageQuietly(m: ComputeManager, ctx: RequestContext, imageId: string | null | undefined): Promise<void> {
  if (!imageId) return;
  try {
    await (await m.deps.images()).delete(ctx, imageId);
  } catch (e) {
    m.deps.log.debug(`image ${imageId} not deleted: ${(e as Error).message}`);
  }
}
