import { randomBytes, randomUUID } from 'node:crypto';
import { RequestContext } from '../context';
import * as actions from '../db/api/actions';
import { computeNodeGetAll } from '../db/api/compute_nodes';
import { FlavorObj, flavorGet } from '../db/api/flavors';
import * as db from '../db/api/instances';
import { keypairGet } from '../db/api/keypairs';
import { Forbidden, InvalidInput, KeypairNotFound, MetadataLimitExceeded } from '../exception';
import { imageMeta } from '../image/api';
import { Instance } from '../objects/instance';
import type { ComputeAPI } from './api';
import { BuildRequest } from './build';
import { checkImageFitsFlavor, imageSystemMetadata, loadActiveImage } from './image_checks';
import { TaskState, VmState } from './vm_states';
import { checkRequestedSecurityGroups, joinSecurityGroups } from '../network/allocation';
import { markPhase } from '../lib/phase_trace';

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
  /** A destination asked for by an admin (2.74); unlike `az:host`, filters still run. */
  requested_host?: string;
  requested_hypervisor_hostname?: string;
}

export interface CreateResult { instances: Instance[]; reservation_id: string; admin_pass: string }

/** Nova's sanitize_hostname: letters, digits and hyphens, lower case, at most 63 characters. */
export function sanitizeHostname(name: string, fallback: string): string {
  const h = name.slice(0, 63).replace(/[ _.]/g, '-').replace(/[^\w-]+/g, '').toLowerCase().replace(/^[.-]+|[.-]+$/g, '');
  return h || fallback.slice(0, 63);
}

/** The flavor as copied into an instance (no bookkeeping fields). */
export function stripFlavor(f: FlavorObj) {
  return {
    id: f.id, flavorid: f.flavorid, name: f.name, memory_mb: f.memory_mb, vcpus: f.vcpus, root_gb: f.root_gb, ephemeral_gb: f.ephemeral_gb,
    swap: f.swap, rxtx_factor: f.rxtx_factor, vcpu_weight: f.vcpu_weight, is_public: f.is_public, description: f.description,
    extra_specs: f.extra_specs,
  };
}

/** Metadata items against the `metadata_items` quota, with Nova's message. */
export async function checkMetadataQuota(api: ComputeAPI, projectId: string, metadata: Record<string, string>): Promise<void> {
  const allowed = (await api.quotas.limits(projectId)).metadata_items;
  if (allowed >= 0 && Object.keys(metadata).length > allowed) {
    throw new MetadataLimitExceeded({ allowed }, `Maximum number of metadata items exceeds ${allowed}`);
  }
}

/** The server group a boot joins: scheduler hint `group` (a uuid, or a list of one). */
export function groupHint(hints: Record<string, unknown> | undefined): string | undefined {
  const g = hints?.group;
  const v = Array.isArray(g) ? g[0] : g;
  return typeof v === 'string' && v ? v : undefined;
}

/** `zone`, `zone:host` or `zone:host:node`; forcing a host is for admins only. */
export function parseZone(ctx: RequestContext, az?: string): { zone?: string; forceHost?: string; forceNode?: string } {
  if (!az) return {};
  const [zone, host, node] = az.split(':');
  if ((host || node) && !ctx.is_admin) throw new Forbidden({}, "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.");
  return { zone: zone || undefined, forceHost: host || undefined, forceNode: node || undefined };
}

/**
 * Boots servers (Nova's compute API create): validates flavor, image, key pair and metadata,
 * reserves quota for between min_count and max_count instances in one atomic step, writes the
 * instances in BUILD/scheduling with a `create` action each, then casts the build to the conductor.
 * If anything fails before the cast, the rows and the usage go away together.
 */
export async function createServers(api: ComputeAPI, ctx: RequestContext, req: CreateRequest): Promise<CreateResult> {
  const projectId = ctx.project_id!;
  const userId = ctx.user_id!;
  if (req.min_count > req.max_count) throw new InvalidInput({}, 'min_count must be <= max_count');
  if (req.hostname && req.max_count > 1) throw new InvalidInput({}, 'Unable to allocate a single hostname to multiple instances');
  let flavor: FlavorObj;
  try { flavor = await flavorGet(req.flavorRef, ctx.is_admin ? undefined : projectId); } catch {
    throw new InvalidInput({}, `Flavor ${req.flavorRef} could not be found.`);
  }
  if (flavor.disabled) throw new InvalidInput({}, `Flavor ${req.flavorRef} could not be found.`);
  const image = await loadActiveImage(await api.rt.imageService(), ctx, req.imageRef, 'Can not find requested image');
  checkImageFitsFlavor(image, flavor);
  let keyData: string | null = null;
  if (req.key_name) {
    try { keyData = (await keypairGet(userId, req.key_name)).public_key; } catch (e) {
      if (e instanceof KeypairNotFound) throw new InvalidInput({}, 'Invalid key_name provided.');
      throw e;
    }
  }
  await checkMetadataQuota(api, projectId, req.metadata ?? {});
  if (req.user_data !== undefined && req.user_data !== null) {
    const b64 = req.user_data.replace(/\s/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new InvalidInput({}, 'User data needs to be valid base 64.');
  }
  const { zone, forceHost, forceNode } = parseZone(ctx, req.availability_zone);
  if (req.requested_host || req.requested_hypervisor_hostname) {
    if (forceHost || forceNode) throw new InvalidInput({}, 'One mechanism with host and/or hypervisor_hostname and another mechanism with zone:host:node are mutually exclusive.');
    const where: Record<string, string> = {};
    if (req.requested_host) where.host = req.requested_host;
    if (req.requested_hypervisor_hostname) where.hypervisor_hostname = req.requested_hypervisor_hostname;
    if ((await computeNodeGetAll(where)).length === 0) {
      throw new InvalidInput({}, req.requested_host ? `Compute host ${req.requested_host} could not be found.` : `Compute host ${req.requested_hypervisor_hostname} could not be found.`);
    }
  }
  const az = zone ?? (api.conf.DEFAULT.default_schedule_zone || null);
  const groups = req.security_groups?.length ? req.security_groups : ['default'];
  await checkRequestedSecurityGroups(projectId, userId, groups);

  const count = await api.quotas.reserveInstances(projectId, flavor, req.min_count, req.max_count);
  const reservationId = `r-${randomBytes(4).toString('hex')}`;
  const adminPass = req.admin_pass ?? randomBytes(9).toString('base64url').slice(0, 12);
  const created: string[] = [];
  try {
    const group = groupHint(req.scheduler_hints) ? await api.serverGroups.forBoot(ctx, groupHint(req.scheduler_hints)!, count) : null;
    const instances: Instance[] = [];
    const sysmeta = imageSystemMetadata(image);
    if (zone) sysmeta.pinned_availability_zone = zone;
    if (req.security_groups?.length) sysmeta.security_groups = req.security_groups.join(',');
    for (let i = 0; i < count; i++) {
      const uuid = randomUUID();
      const name = count > 1 ? `${req.name}-${i + 1}` : req.name;
      const inst = await db.instanceCreate({
        uuid, display_name: name, display_description: req.description ?? null,
        hostname: req.hostname ?? sanitizeHostname(name, `Server-${uuid}`),
        project_id: projectId, user_id: userId, vm_state: VmState.BUILDING, task_state: TaskState.SCHEDULING, power_state: 0,
        flavor: { cur: stripFlavor(flavor) }, instance_type_id: flavor.id, memory_mb: flavor.memory_mb, vcpus: flavor.vcpus,
        root_gb: flavor.root_gb, ephemeral_gb: flavor.ephemeral_gb, image_ref: image.id,
        kernel_id: image.properties.kernel_id ?? null, ramdisk_id: image.properties.ramdisk_id ?? null,
        key_name: req.key_name ?? null, key_data: keyData, user_data: req.user_data ?? null,
        availability_zone: az, reservation_id: reservationId,
        launch_index: i, config_drive: req.config_drive ? 'True' : '', access_ip_v4: req.access_ip_v4 ?? null,
        access_ip_v6: req.access_ip_v6 ?? null, image_meta: imageMeta(image) as unknown as Record<string, unknown>,
        os_type: image.properties.os_type ?? null, architecture: image.properties.architecture ?? null,
      }, req.metadata ?? {}, sysmeta, req.tags ?? []);
      created.push(uuid);
      await joinSecurityGroups(uuid, projectId, userId, groups);
      await actions.actionStart({ action: 'create', instance_uuid: uuid, request_id: ctx.request_id, user_id: userId, project_id: projectId });
      instances.push(inst);
    }
    if (group) await api.serverGroups.addMembers(group, created);
    const request: BuildRequest = {
      instance_uuids: created, project_id: projectId, user_id: userId, flavor: stripFlavor(flavor), image: imageMeta(image),
      availability_zone: az, force_hosts: forceHost ? [forceHost] : undefined, force_nodes: forceNode ? [forceNode] : undefined,
      scheduler_hints: req.scheduler_hints ?? {}, admin_password: adminPass, injected_files: req.injected_files ?? [],
      requested_networks: req.networks ?? null, security_groups: req.security_groups ?? ['default'],
      retry: { num_attempts: 0, hosts: [] },
      instance_group: group ? { uuid: group.uuid, policy: group.policy, rules: group.rules, members: [...group.members, ...created] } : null,
      requested_destination: req.requested_host || req.requested_hypervisor_hostname
        ? { host: req.requested_host ?? '', node: req.requested_hypervisor_hostname } : null,
    };
    for (const uuid of created) markPhase(uuid, 'api: rows written, casting to conductor');
    await (await api.rt.conductor()).build_instances(ctx, { request });
    return { instances, reservation_id: reservationId, admin_pass: adminPass };
  } catch (e) {
    // Nothing half-written: rows and usage of this request go away together.
    await db.instancePurge(created).catch(() => undefined);
    await api.quotas.releaseInstances(projectId, flavor, count).catch(() => undefined);
    throw e;
  }
}
