import { RequestContext } from '../context';
import { FlavorObj, flavorGet } from '../db/api/flavors';
import { computeNodeGetAll } from '../db/api/compute_nodes';
import * as db from '../db/api/instances';
import { keypairGet } from '../db/api/keypairs';
import { migrationByInstanceAndStatus, migrationUpdate } from '../db/api/migrations';
import { quotaRelease, quotaReserve } from '../db/api/quotas';
import {
  CannotMigrateToSameHost, CannotResizeDisk, CannotResizeToSameFlavor, ComputeHostNotFound, InstanceInvalidState,
  InstanceNotReady, InvalidInput, KeypairNotFound, MigrationNotFoundByStatus, ServiceUnavailable, TooManyInstances, UnshelveInstanceInvalidState,
} from '../exception';
import { Image, imageMeta } from '../image/api';
import { Instance, InstanceUpdate } from '../objects/instance';
import type { ComputeAPI } from './api';
import { requireCapability } from './capabilities';
import { checkMetadataQuota, stripFlavor } from './create';
import { checkImageFitsFlavor, imageSystemMetadata, loadActiveImage, snapshotImageMeta } from './image_checks';
import { flavorUsage, growth, QUOTA_HELD_KEY, resizeHold } from './usage';
import { TaskState, VmState } from './vm_states';

const { ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR, RESCUED, RESIZED, SHELVED, SHELVED_OFFLOADED } = VmState;

export interface RebuildRequest {
  imageRef: string;
  adminPass: string;
  name?: string;
  description?: string | null;
  metadata?: Record<string, string>;
  /** undefined: keep; null: remove the key pair (2.54). */
  key_name?: string | null;
  /** undefined: keep; null: remove (2.57). */
  user_data?: string | null;
  hostname?: string;
  preserve_ephemeral?: boolean;
  access_ip_v4?: string;
  access_ip_v6?: string;
}

/** Moves, images, rescue and shelve on the API side: checks, quota, task state, then the cast. */
export class MoveAPI {
  constructor(private api: ComputeAPI) {}

  // ---- rebuild ----

  async rebuild(ctx: RequestContext, inst: Instance, r: RebuildRequest): Promise<Instance> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'rebuild', { vm: [ACTIVE, STOPPED, ERROR] });
    const image = await loadActiveImage(await this.api.rt.imageService(), ctx, r.imageRef, 'Cannot find image for rebuild');
    checkImageFitsFlavor(image, inst.flavor.cur);
    if (r.metadata) await checkMetadataQuota(this.api, inst.project_id, r.metadata);
    const updates: InstanceUpdate = { image_ref: image.id, image_meta: imageMeta(image) as unknown as Record<string, unknown>, progress: 0,
      kernel_id: image.properties.kernel_id ?? null, ramdisk_id: image.properties.ramdisk_id ?? null };
    if (r.name !== undefined) updates.display_name = r.name;
    if (r.description !== undefined) updates.display_description = r.description;
    if (r.hostname !== undefined) updates.hostname = r.hostname;
    if (r.access_ip_v4 !== undefined) updates.access_ip_v4 = r.access_ip_v4;
    if (r.access_ip_v6 !== undefined) updates.access_ip_v6 = r.access_ip_v6;
    if (r.user_data !== undefined) {
      if (r.user_data !== null && !/^[A-Za-z0-9+/]*={0,2}$/.test(r.user_data.replace(/\s/g, ''))) throw new InvalidInput({}, 'User data needs to be valid base 64.');
      updates.user_data = r.user_data;
    }
    if (r.key_name !== undefined) {
      updates.key_name = r.key_name;
      updates.key_data = null;
      if (r.key_name !== null) {
        try { updates.key_data = (await keypairGet(ctx.user_id!, r.key_name)).public_key; } catch (e) {
          if (e instanceof KeypairNotFound) throw new InvalidInput({}, 'Invalid key_name provided.');
          throw e;
        }
      }
    }
    // The new image's properties replace the old ones in system metadata.
    const sys: Record<string, string | null> = Object.fromEntries(Object.keys(inst.system_metadata).filter((k) => k.startsWith('image_')).map((k) => [k, null]));
    Object.assign(sys, imageSystemMetadata(image));
    updates.system_metadata = sys;
    const saved = await this.api.startAction(ctx, inst, 'rebuild', { vm: [ACTIVE, STOPPED, ERROR] }, TaskState.REBUILDING, updates);
    if (r.metadata) await db.instanceMetadataSet(inst.uuid, r.metadata, true);
    await (await this.api.toHost(saved)).rebuild_instance(ctx, {
      instance: saved, image_ref: image.id, admin_password: r.adminPass, preserve_ephemeral: r.preserve_ephemeral ?? false, orig_vm_state: inst.vm_state,
    });
    return saved;
  }

  // ---- resize and cold migrate ----

  private async checkMovable(ctx: RequestContext, inst: Instance, action: string): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, action, { vm: [ACTIVE, STOPPED] });
    if (!inst.host) throw new InstanceNotReady({ instance_id: inst.uuid });
    if (!(await this.api.hostIsUp(inst.host))) throw new ServiceUnavailable();
  }

  async resize(ctx: RequestContext, inst: Instance, flavorRef: string): Promise<void> {
    await this.checkMovable(ctx, inst, 'resize');
    await requireCapability(inst, 'supports_resize', 'resize');
    const cur = inst.flavor.cur;
    let next: FlavorObj;
    // An unknown or disabled flavor is a bad request here (Nova's resize maps FlavorNotFound to 400).
    try { next = await flavorGet(flavorRef, ctx.is_admin ? undefined : ctx.project_id); } catch {
      throw new InvalidInput({}, `Flavor ${flavorRef} could not be found.`);
    }
    if (next.id === cur.id) throw new CannotResizeToSameFlavor();
    if (next.disabled) throw new InvalidInput({}, `Flavor ${flavorRef} could not be found.`);
    if (next.root_gb === 0 && cur.root_gb !== 0) throw new CannotResizeDisk({ reason: 'Resize to zero disk flavor is not allowed.' });
    const img = inst.image_meta as Partial<Image>;
    checkImageFitsFlavor({ min_ram: Number(img.min_ram ?? 0), min_disk: Number(img.min_disk ?? 0), size: null }, next);
    // Quota: the bigger flavor is held until the resize is confirmed or reverted.
    const delta = growth(cur, next);
    const over = this.api.quotas.noop ? null : await quotaReserve(inst.project_id, delta, await this.api.quotas.limits(inst.project_id));
    if (over) throw new TooManyInstances({ overs: over.resource, req: over.requested, used: over.used, allowed: over.allowed });
    const giveBack = () => quotaRelease(inst.project_id, delta).catch(() => undefined);
    let saved: Instance;
    try {
      saved = await this.api.startAction(ctx, inst, 'resize', { vm: [ACTIVE, STOPPED] }, TaskState.RESIZE_PREP,
        { progress: 0, system_metadata: { [QUOTA_HELD_KEY]: resizeHold(cur, next) } });
    } catch (e) { await giveBack(); throw e; }
    const ignore = this.api.conf.DEFAULT.allow_resize_to_same_host ? [] : [inst.host!];
    await this.cast(saved, () => this.api.rt.conductor().then((c) => c.migrate_server(ctx, { instance: saved, flavor: stripFlavor(next), migration_type: 'resize', ignore_hosts: ignore })), giveBack);
  }

  /** Cold migration (admin): same flavor, another host (optionally a given one, 2.56). */
  async migrate(ctx: RequestContext, inst: Instance, host?: string | null): Promise<void> {
    await this.checkMovable(ctx, inst, 'migrate');
    await requireCapability(inst, 'supports_resize', 'migrate');
    if (host) {
      if (host === inst.host) throw new CannotMigrateToSameHost();
      if ((await computeNodeGetAll({ host })).length === 0) throw new InvalidInput({}, `Compute host ${host} could not be found.`);
    }
    const saved = await this.api.startAction(ctx, inst, 'migrate', { vm: [ACTIVE, STOPPED] }, TaskState.RESIZE_PREP, { progress: 0 });
    await this.cast(saved, () => this.api.rt.conductor().then((c) => c.migrate_server(ctx, {
      instance: saved, flavor: inst.flavor.cur, migration_type: 'migration', ignore_hosts: [inst.host!], requested_destination: host ? { host } : null,
    })));
  }

  /** Live migration (admin): the running (or paused) guest moves to `host`, or where the scheduler picks. */
  async liveMigrate(ctx: RequestContext, inst: Instance, host: string | null, blockMigration: boolean | 'auto'): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'os-migrateLive', { vm: [ACTIVE, PAUSED] });
    if (!inst.host) throw new InstanceNotReady({ instance_id: inst.uuid });
    await requireCapability(inst, 'supports_live_migration', 'live migration');
    if (host) {
      if (host === inst.host) throw new CannotMigrateToSameHost();
      if ((await computeNodeGetAll({ host })).length === 0) throw new ComputeHostNotFound({ host });
    }
    const saved = await this.api.startAction(ctx, inst, 'live-migration', { vm: [ACTIVE, PAUSED] }, TaskState.MIGRATING);
    await this.cast(saved, () => this.api.rt.conductor().then((c) => c.live_migrate_instance(ctx, { instance: saved, host, block_migration: blockMigration })));
  }

  /** Sends the work; if it cannot even be sent, the task state and quota go back. */
  private async cast(inst: Instance, send: () => Promise<void>, undo?: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (e) {
      await undo?.();
      await db.instanceUpdate(inst.uuid, { task_state: null, system_metadata: { [QUOTA_HELD_KEY]: null } }).catch(() => undefined);
      throw e;
    }
  }

  private async finishedMigration(inst: Instance) {
    const mig = await migrationByInstanceAndStatus(inst.uuid, ['finished']);
    if (!mig) throw new MigrationNotFoundByStatus({ instance_id: inst.uuid, status: 'finished' });
    return mig;
  }

  async confirmResize(ctx: RequestContext, inst: Instance): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'confirmResize', { vm: [RESIZED] });
    const mig = await migrationUpdate((await this.finishedMigration(inst)).id, { status: 'confirming' }, ['finished']);
    const now = flavorUsage(inst.flavor.cur);
    await quotaRelease(inst.project_id, growth(inst.flavor.cur, inst.flavor.old ?? inst.flavor.cur));
    await db.instanceUpdate(inst.uuid, { system_metadata: { [QUOTA_HELD_KEY]: JSON.stringify(now) } });
    await this.api.record(ctx, inst, 'confirmResize');
    await (await this.api.rt.compute()).to(mig.source_compute!).confirm_resize(ctx, { instance: inst, migration: mig });
  }

  async revertResize(ctx: RequestContext, inst: Instance): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'revertResize', { vm: [RESIZED] });
    const finished = await this.finishedMigration(inst);
    const saved = await this.api.startAction(ctx, inst, 'revertResize', { vm: [RESIZED] }, TaskState.RESIZE_REVERTING);
    let mig;
    try {
      mig = await migrationUpdate(finished.id, { status: 'reverting' }, ['finished']);
    } catch (e) {
      await db.instanceUpdate(inst.uuid, { task_state: null }).catch(() => undefined);
      throw new InstanceInvalidState({ action: 'revertResize', instance_uuid: inst.uuid }, (e as Error).message);
    }
    const old = inst.flavor.old ?? inst.flavor.cur;
    await quotaRelease(inst.project_id, growth(old, inst.flavor.cur));
    await db.instanceUpdate(inst.uuid, { system_metadata: { [QUOTA_HELD_KEY]: JSON.stringify(flavorUsage(old)) } });
    await (await this.api.rt.compute()).to(mig.dest_compute!).revert_resize(ctx, { instance: saved, migration: mig });
  }

  // ---- images ----

  /** createImage: a queued image now, the upload by the host (no lock check, as Nova). */
  async snapshot(ctx: RequestContext, inst: Instance, name: string, metadata: Record<string, string> = {}): Promise<Image> {
    this.api.checkState(inst, 'createImage', { vm: [ACTIVE, STOPPED, PAUSED, SUSPENDED] });
    await requireCapability(inst, 'supports_snapshot', 'snapshot');
    const images = await this.api.rt.imageService();
    const image = await images.create(ctx, snapshotImageMeta(ctx, inst, name, 'snapshot', metadata));
    let saved: Instance;
    try {
      saved = await this.api.startAction(ctx, inst, 'createImage', { vm: [ACTIVE, STOPPED, PAUSED, SUSPENDED] }, TaskState.IMAGE_SNAPSHOT_PENDING, {}, { skipLock: true });
    } catch (e) {
      await images.delete(ctx, image.id).catch(() => undefined);
      throw e;
    }
    await (await this.api.toHost(saved)).snapshot_instance(ctx, { instance: saved, image_id: image.id });
    return image;
  }

  // ---- rescue ----

  async rescue(ctx: RequestContext, inst: Instance, password: string, rescueImageRef?: string | null): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'rescue', { vm: [ACTIVE, STOPPED, ERROR] });
    await requireCapability(inst, 'supports_rescue', 'rescue');
    if (rescueImageRef) await (await this.api.rt.imageService()).get(ctx, rescueImageRef);
    const saved = await this.api.startAction(ctx, inst, 'rescue', { vm: [ACTIVE, STOPPED, ERROR] }, TaskState.RESCUING);
    await (await this.api.toHost(saved)).rescue_instance(ctx, { instance: saved, rescue_password: password, rescue_image_ref: rescueImageRef ?? null });
  }

  async unrescue(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'unrescue', { vm: [RESCUED] }, TaskState.UNRESCUING);
    await (await this.api.toHost(saved)).unrescue_instance(ctx, { instance: saved });
  }

  // ---- shelve ----

  async shelve(ctx: RequestContext, inst: Instance): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'shelve', { vm: [ACTIVE, STOPPED, PAUSED, SUSPENDED] });
    await requireCapability(inst, 'supports_snapshot', 'shelve');
    const images = await this.api.rt.imageService();
    const image = await images.create(ctx, snapshotImageMeta(ctx, inst, `${inst.display_name}-shelved`, 'snapshot'));
    let saved: Instance;
    try {
      saved = await this.api.startAction(ctx, inst, 'shelve', { vm: [ACTIVE, STOPPED, PAUSED, SUSPENDED] }, TaskState.SHELVING);
    } catch (e) {
      await images.delete(ctx, image.id).catch(() => undefined);
      throw e;
    }
    const offload = this.api.conf.DEFAULT.shelved_offload_time === 0;
    await (await this.api.toHost(saved)).shelve_instance(ctx, { instance: saved, image_id: image.id, offload });
  }

  async shelveOffload(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'shelveOffload', { vm: [SHELVED] }, TaskState.SHELVING_OFFLOADING);
    await (await this.api.toHost(saved)).shelve_offload_instance(ctx, { instance: saved });
  }

  /**
   * `availabilityZone` (2.77): undefined keeps the pin, null unpins (2.91); `host` (2.91, admin) asks
   * for a destination. Both only for SHELVED_OFFLOADED servers, which are scheduled again.
   */
  async unshelve(ctx: RequestContext, inst: Instance, availabilityZone?: string | null, host?: string): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'unshelve', { vm: [SHELVED, SHELVED_OFFLOADED] });
    if ((availabilityZone !== undefined || host) && inst.vm_state !== SHELVED_OFFLOADED) {
      throw new UnshelveInstanceInvalidState({ instance_uuid: inst.uuid, state: inst.vm_state });
    }
    if (host && (await computeNodeGetAll({ host })).length === 0) throw new ComputeHostNotFound({ host });
    const extra: InstanceUpdate = availabilityZone === undefined ? {} : { system_metadata: { pinned_availability_zone: availabilityZone } };
    const saved = await this.api.startAction(ctx, inst, 'unshelve', { vm: [SHELVED, SHELVED_OFFLOADED] }, TaskState.UNSHELVING, extra);
    await this.cast(saved, () => this.api.rt.conductor().then((c) => c.unshelve_instance(ctx, { instance: saved, availability_zone: availabilityZone, host })));
  }
}

