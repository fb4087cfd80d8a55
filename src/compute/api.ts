import { randomBytes, randomUUID } from 'node:crypto';
import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import { destroyInstance } from '../conductor/manager';
import * as actions from '../db/api/actions';
import { FlavorObj, flavorGet } from '../db/api/flavors';
import * as db from '../db/api/instances';
import { keypairGet } from '../db/api/keypairs';
import { serviceGetByHostAndBinary } from '../db/api/services';
import {
  Forbidden, ImageNotFound, InstanceInvalidState, InstanceIsLocked, InstanceNotFound, InvalidInput, KeypairNotFound,
  MetadataLimitExceeded, NovaError,
} from '../exception';
import { Image, imageMeta } from '../image/api';
import { Logger } from '../lib/log';
import { Instance } from '../objects/instance';
import { Runtime } from '../service/runtime';
import { isServiceUp } from '../service/servicegroup';
import { BuildRequest } from './build';
import { HostAPI } from './host_api';
import { QuotaAPI } from './quota_api';
import { ServerActionsAPI } from './server_actions';
import { TaskState, VmState } from './vm_states';

export interface CreateRequest {
  name: string;
  flavorRef: string;
  imageRef: string;
  key_name?: string;
  metadata?: Record<string, string>;
  user_data?: string;
  availability_zone?: string;
  min_count: number;
  max_count: number;
  description?: string | null;
  admin_pass?: string | null;
  access_ip_v4?: string | null;
  access_ip_v6?: string | null;
  config_drive?: boolean;
  tags?: string[];
  hostname?: string;
  networks?: 'auto' | 'none' | Array<{ uuid?: string; fixed_ip?: string; port?: string }> | null;
  security_groups?: string[];
  scheduler_hints?: Record<string, unknown>;
  injected_files?: Array<[string, string]>;
}

export interface CreateResult { instances: Instance[]; reservation_id: string; admin_pass: string }

/** Nova's hostname sanitization: letters, digits and hyphens, at most 63 characters. */
export function sanitizeHostname(name: string, fallback: string): string {
  const h = name.toLowerCase().replace(/[ _]/g, '-').replace(/[^a-z0-9.-]/g, '').replace(/^[.-]+|[.-]+$/g, '').slice(0, 63);
  return h || fallback;
}

/** Which states allow an action: vm_states and task_states (task_state must be None by default). */
export interface StateCheck { vm: string[]; task?: Array<string | null> }

/**
 * The compute service's API side (Nova's compute/api.py): what REST controllers call. It checks
 * state and quota, records the instance action, sets the task state, then sends the work.
 */
export class ComputeAPI {
  readonly hosts: HostAPI;
  readonly quotas: QuotaAPI;
  readonly actions: ServerActionsAPI;

  constructor(readonly rt: Runtime, readonly conf: NovaConf, readonly log: Logger) {
    this.hosts = new HostAPI(conf, () => rt.compute());
    this.quotas = new QuotaAPI(conf);
    this.actions = new ServerActionsAPI(this);
  }

  // ---- reading ----

  /** An instance the caller may see: its own project's, or any for admins (else InstanceNotFound). */
  async get(ctx: RequestContext, uuid: string, opts: { readDeleted?: 'no' | 'yes' } = {}): Promise<Instance> {
    return db.instanceGet(uuid, { readDeleted: opts.readDeleted, projectId: ctx.is_admin ? undefined : ctx.project_id });
  }

  async list(ctx: RequestContext, filters: db.InstanceFilters, opts: db.ListOptions): Promise<Instance[]> {
    return db.instanceGetAll(filters, opts);
  }

  // ---- create ----

  private async loadImage(ctx: RequestContext, imageRef: string): Promise<Image> {
    const images = await this.rt.imageService();
    try {
      const img = await images.get(ctx, imageRef);
      if (img.status !== 'active') throw new InvalidInput({ reason: `Image ${imageRef} is not active.` });
      return img;
    } catch (e) {
      if (e instanceof ImageNotFound) throw new InvalidInput({}, `Image ${imageRef} could not be found.`);
      throw e;
    }
  }

  private checkImageFitsFlavor(img: Image, flavor: FlavorObj): void {
    if (img.min_ram && flavor.memory_mb < img.min_ram) throw new InvalidInput({}, "Flavor's memory is too small for requested image.");
    const sizeGb = img.size ? Math.ceil(img.size / 2 ** 30) : 0;
    if (flavor.root_gb > 0 && (img.min_disk > flavor.root_gb || sizeGb > flavor.root_gb)) {
      throw new InvalidInput({}, `Flavor's disk is too small for requested image. Flavor disk is ${flavor.root_gb * 2 ** 30} bytes, image is ${img.size ?? 0} bytes.`);
    }
  }

  async create(ctx: RequestContext, req: CreateRequest): Promise<CreateResult> {
    const projectId = ctx.project_id!;
    const userId = ctx.user_id!;
    if (req.min_count > req.max_count) throw new InvalidInput({}, 'min_count must be <= max_count');
    let flavor: FlavorObj;
    try { flavor = await flavorGet(req.flavorRef, ctx.is_admin ? undefined : projectId); } catch (e) {
      throw new InvalidInput({}, `Flavor ${req.flavorRef} could not be found.`);
    }
    if (flavor.disabled) throw new InvalidInput({}, `Flavor ${req.flavorRef} is disabled and cannot be used.`);
    const image = await this.loadImage(ctx, req.imageRef);
    this.checkImageFitsFlavor(image, flavor);
    let keyData: string | null = null;
    if (req.key_name) {
      try { keyData = (await keypairGet(userId, req.key_name)).public_key; } catch (e) {
        if (e instanceof KeypairNotFound) throw new InvalidInput({}, 'Invalid key_name provided.');
        throw e;
      }
    }
    const limits = await this.quotas.limits(projectId);
    const metaCount = Object.keys(req.metadata ?? {}).length;
    if (limits.metadata_items >= 0 && metaCount > limits.metadata_items) {
      throw new MetadataLimitExceeded({ allowed: limits.metadata_items }, `Quota exceeded for metadata_items: Requested ${metaCount}, but already used 0 of ${limits.metadata_items} metadata_items`);
    }
    if (req.user_data !== undefined && req.user_data !== null) {
      if (!/^[A-Za-z0-9+/=\s]*$/.test(req.user_data)) throw new InvalidInput({}, 'User data needs to be valid base 64.');
      if (Buffer.byteLength(req.user_data) > 65535) throw new InvalidInput({}, 'User data too large. User data must be no larger than 65535 bytes once base64 encoded.');
    }
    const { zone, forceHost, forceNode } = this.parseZone(ctx, req.availability_zone);

    const count = await this.quotas.reserveInstances(projectId, flavor, req.min_count, req.max_count);
    const reservationId = `r-${randomBytes(4).toString('hex')}`;
    const adminPass = req.admin_pass ?? randomBytes(9).toString('base64url').slice(0, 12);
    const created: string[] = [];
    try {
      const instances: Instance[] = [];
      for (let i = 0; i < count; i++) {
        const uuid = randomUUID();
        const name = count > 1 ? `${req.name}-${i + 1}` : req.name;
        const inst = await db.instanceCreate({
          uuid, display_name: name, display_description: req.description ?? null,
          hostname: sanitizeHostname(count > 1 && req.hostname ? `${req.hostname}-${i + 1}` : req.hostname ?? name, `server-${uuid}`),
          project_id: projectId, user_id: userId, vm_state: VmState.BUILDING, task_state: TaskState.SCHEDULING, power_state: 0,
          flavor: { cur: stripFlavor(flavor) }, instance_type_id: flavor.id, memory_mb: flavor.memory_mb, vcpus: flavor.vcpus,
          root_gb: flavor.root_gb, ephemeral_gb: flavor.ephemeral_gb, image_ref: image.id,
          kernel_id: image.properties.kernel_id ?? null, ramdisk_id: image.properties.ramdisk_id ?? null,
          key_name: req.key_name ?? null, key_data: keyData, user_data: req.user_data ?? null,
          availability_zone: zone ?? (this.conf.DEFAULT.default_schedule_zone || null), reservation_id: reservationId,
          launch_index: i, config_drive: req.config_drive ? 'True' : '', access_ip_v4: req.access_ip_v4 ?? null,
          access_ip_v6: req.access_ip_v6 ?? null, image_meta: imageMeta(image) as unknown as Record<string, unknown>,
          os_type: image.properties.os_type ?? null, architecture: image.properties.architecture ?? null,
        }, req.metadata ?? {}, imageSystemMetadata(image), req.tags ?? []);
        created.push(uuid);
        await actions.actionStart({ action: 'create', instance_uuid: uuid, request_id: ctx.request_id, user_id: userId, project_id: projectId });
        instances.push(inst);
      }
      const request: BuildRequest = {
        instance_uuids: created, project_id: projectId, user_id: userId, flavor: stripFlavor(flavor), image: imageMeta(image),
        availability_zone: zone ?? (this.conf.DEFAULT.default_schedule_zone || null),
        force_hosts: forceHost ? [forceHost] : undefined, force_nodes: forceNode ? [forceNode] : undefined,
        scheduler_hints: req.scheduler_hints ?? {}, admin_password: adminPass, injected_files: req.injected_files ?? [],
        requested_networks: req.networks ?? null, security_groups: req.security_groups ?? ['default'],
        retry: { num_attempts: 0, hosts: [] },
      };
      const conductor = await this.rt.conductor();
      await conductor.build_instances(ctx, { request });
      return { instances, reservation_id: reservationId, admin_pass: adminPass };
    } catch (e) {
      // Nothing half-written: rows and usage of this request go away together.
      await db.instancePurge(created).catch(() => undefined);
      await this.quotas.releaseInstances(projectId, flavor, count).catch(() => undefined);
      throw e;
    }
  }

  /** `zone`, `zone:host` or `zone:host:node`; forcing a host is for admins only. */
  private parseZone(ctx: RequestContext, az?: string): { zone?: string; forceHost?: string; forceNode?: string } {
    if (!az) return {};
    const [zone, host, node] = az.split(':');
    if ((host || node) && !ctx.is_admin) throw new Forbidden({}, "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.");
    return { zone: zone || undefined, forceHost: host || undefined, forceNode: node || undefined };
  }

  // ---- state checks and the action pattern ----

  checkLocked(ctx: RequestContext, inst: Instance): void {
    if (inst.locked && !ctx.is_admin) throw new InstanceIsLocked({ instance_uuid: inst.uuid });
  }

  checkState(inst: Instance, action: string, check: StateCheck): void {
    if (!check.vm.includes(inst.vm_state)) {
      throw new InstanceInvalidState({ action, instance_uuid: inst.uuid, attr: 'vm_state', state: inst.vm_state });
    }
    const tasks = check.task ?? [null];
    if (!tasks.includes(inst.task_state)) {
      throw new InstanceInvalidState({ action, instance_uuid: inst.uuid, attr: 'task_state', state: inst.task_state });
    }
  }

  /**
   * Nova's pattern for an instance action: lock and state checks, task state set by compare-and-swap,
   * the action recorded, then the work sent. Returns the instance as saved.
   */
  async startAction(ctx: RequestContext, inst: Instance, action: string, check: StateCheck, taskState: string | null, extra: Partial<Instance> = {}, opts: { skipLock?: boolean } = {}): Promise<Instance> {
    if (!opts.skipLock) this.checkLocked(ctx, inst);
    this.checkState(inst, action, check);
    let saved: Instance;
    try {
      saved = await db.instanceUpdate(inst.uuid, { task_state: taskState, ...extra } as never, { expectedTaskState: check.task ?? [null], expectedVmState: check.vm });
    } catch (e) {
      if (e instanceof InstanceNotFound) throw e;
      const now = await db.instanceGet(inst.uuid);
      throw new InstanceInvalidState({ action, instance_uuid: inst.uuid, attr: 'task_state', state: now.task_state ?? now.vm_state });
    }
    await actions.actionStart({ action, instance_uuid: inst.uuid, request_id: ctx.request_id, user_id: ctx.user_id, project_id: ctx.project_id });
    return saved;
  }

  /** True when the instance's compute service is up (work can be sent to it). */
  async hostIsUp(host: string | null): Promise<boolean> {
    if (!host) return false;
    const s = await serviceGetByHostAndBinary(host, 'nova-compute');
    return !!s && isServiceUp(s, this.conf.DEFAULT.service_down_time);
  }

  // ---- delete ----

  /** Deletes: through the host when it is up, else at once here (Nova's local delete). */
  async delete(ctx: RequestContext, inst: Instance, action = 'delete'): Promise<void> {
    this.checkLocked(ctx, inst);
    if (inst.task_state === TaskState.DELETING && await this.hostIsUp(inst.host)) return;
    await actions.actionStart({ action, instance_uuid: inst.uuid, request_id: ctx.request_id, user_id: ctx.user_id, project_id: ctx.project_id });
    if (!inst.host || !(await this.hostIsUp(inst.host))) {
      await destroyInstance(inst.uuid);
      return;
    }
    const saved = await db.instanceUpdate(inst.uuid, { task_state: TaskState.DELETING });
    await (await this.rt.compute()).to(inst.host).terminate_instance(ctx, { instance: saved });
  }

  /** Sends `method` to the instance's host, or fails with 409 when it has none. */
  async toHost(inst: Instance) {
    if (!inst.host) throw new InstanceInvalidState({ action: 'this action', instance_uuid: inst.uuid, attr: 'host', state: 'none' });
    return (await this.rt.compute()).to(inst.host);
  }
}

/** The flavor as copied into an instance (no bookkeeping fields). */
export function stripFlavor(f: FlavorObj) {
  return {
    id: f.id, flavorid: f.flavorid, name: f.name, memory_mb: f.memory_mb, vcpus: f.vcpus, root_gb: f.root_gb, ephemeral_gb: f.ephemeral_gb,
    swap: f.swap, rxtx_factor: f.rxtx_factor, vcpu_weight: f.vcpu_weight, is_public: f.is_public, description: f.description,
    extra_specs: f.extra_specs,
  };
}

/** Image properties kept in system metadata as image_<key>, as Nova does. */
function imageSystemMetadata(img: Image): Record<string, string> {
  const out: Record<string, string> = {};
  const base: Record<string, unknown> = { disk_format: img.disk_format, container_format: img.container_format, min_ram: img.min_ram, min_disk: img.min_disk, base_image_ref: img.id };
  for (const [k, v] of Object.entries({ ...base, ...img.properties })) if (v !== null && v !== undefined) out[`image_${k}`] = String(v);
  return out;
}

export { NovaError };
