import { serverGroupsOfInstances } from '../db/api/server_groups';
import { ServerGroupAPI } from './server_group_api';
import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import { destroyInstance } from '../conductor/manager';
import * as actions from '../db/api/actions';
import { FaultObj } from '../db/api/actions';
import * as db from '../db/api/instances';
import { MigrationFilters, migrationGet, migrationList, MigrationObj, migrationsInProgress, MigrationType, migrationUpdate } from '../db/api/migrations';
import { serviceGetAll, serviceGetByHostAndBinary } from '../db/api/services';
import { FlavorNotFound, InstanceInvalidState, MarkerNotFound, InstanceIsLocked, InstanceNotFound, InstanceNotReady, NovaError } from '../exception';
import { flavorGet } from '../db/api/flavors';
import { Logger } from '../lib/log';
import { Instance, InstanceUpdate } from '../objects/instance';
import { Runtime } from '../service/runtime';
import { Capability, requireCapability } from './capabilities';
import { isServiceUp } from '../service/servicegroup';
import { createServers, CreateRequest, CreateResult } from './create';
import { HostAPI } from './host_api';
import { MetadataAPI } from './metadata_api';
import { MoveAPI } from './move_api';
import { QuotaAPI } from './quota_api';
import { ServerActionsAPI } from './server_actions';
import { TaskState, VmState } from './vm_states';

export type { CreateRequest, CreateResult };
export { sanitizeHostname, stripFlavor } from './create';

/** Which states allow an action: vm_states and task_states (task_state must be None by default). */
export interface StateCheck { vm: string[]; task?: Array<string | null>; mustHaveLaunched?: boolean }

/**
 * The compute service's API side (Nova's compute/api.py): what REST controllers call. It checks
 * lock and state, records the instance action, sets the task state by compare-and-swap, then sends
 * the work to the conductor or the instance's host. Power and lock actions live in
 * ServerActionsAPI, moves and images in MoveAPI, metadata and tags in MetadataAPI.
 */
export class ComputeAPI {
  readonly hosts: HostAPI;
  readonly quotas: QuotaAPI;
  readonly actions: ServerActionsAPI;
  readonly moves: MoveAPI;
  readonly data: MetadataAPI;
  readonly serverGroups: ServerGroupAPI;

  constructor(readonly rt: Runtime, readonly conf: NovaConf, readonly log: Logger) {
    this.hosts = new HostAPI(conf, () => rt.compute());
    this.quotas = new QuotaAPI(conf);
    this.actions = new ServerActionsAPI(this);
    this.moves = new MoveAPI(this);
    this.data = new MetadataAPI(this);
    this.serverGroups = new ServerGroupAPI(this.quotas);
    this.serverGroupLookup = serverGroupsOfInstances;
  }

  // ---- reading ----

  /** An instance the caller may see: its own project's, or any for admins (else InstanceNotFound). */
  async get(ctx: RequestContext, uuid: string, opts: { readDeleted?: 'no' | 'yes' } = {}): Promise<Instance> {
    return db.instanceGet(uuid, { readDeleted: opts.readDeleted, projectId: ctx.is_admin ? undefined : ctx.project_id });
  }

  /**
   * Lists servers. `flavorid` (the API's flavor filter) matches the flavor booted with; an unknown
   * flavor matches nothing. `ip` is a regular expression on fixed and floating addresses.
   */
  async list(_ctx: RequestContext, filters: db.InstanceFilters, opts: db.ListOptions, extra: { flavorid?: string; ip?: RegExp } = {}): Promise<Instance[]> {
    const f = { ...filters };
    if (extra.flavorid !== undefined) {
      try { f.instance_type_id = (await flavorGet(extra.flavorid)).id; } catch (e) {
        if (e instanceof FlavorNotFound) return [];
        throw e;
      }
    }
    if (!extra.ip) return db.instanceGetAll(f, opts);
    const ip = extra.ip;
    const all = await db.instanceGetAll(f, { ...opts, limit: undefined });
    const matching = all.filter((i) => i.network_info.some((vif) => vif.network.subnets.some((sn) => sn.ips.some((a) => ip.test(a.address) || (a.floating_ips ?? []).some((fl) => ip.test(fl))))));
    return opts.limit === undefined ? matching : matching.slice(0, opts.limit);
  }

  /** The latest fault of each instance (shown for ERROR servers). */
  faults(uuids: string[]): Promise<Map<string, FaultObj>> {
    return actions.faultsLatest(uuids);
  }

  /** The server groups each instance belongs to (2.71), through `serverGroupLookup`. */
  async serverGroupsOf(uuids: string[]): Promise<Map<string, string[]>> {
    return this.serverGroupLookup ? this.serverGroupLookup(uuids) : new Map();
  }

  serverGroupLookup?: (uuids: string[]) => Promise<Map<string, string[]>>;

  /** Nova's host_status (2.16) for each host: UP, DOWN, MAINTENANCE (disabled) or UNKNOWN. */
  async hostStatuses(hosts: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (hosts.length === 0) return out;
    const byHost = new Map((await serviceGetAll({ binary: 'nova-compute' })).map((s) => [s.host, s]));
    for (const h of hosts) {
      const s = byHost.get(h);
      if (!s) out.set(h, 'UNKNOWN');
      else if (!isServiceUp(s, this.conf.DEFAULT.service_down_time)) out.set(h, 'DOWN');
      else out.set(h, s.disabled ? 'MAINTENANCE' : 'UP');
    }
    return out;
  }

  /** Recorded actions of an instance, newest first; `marker` is a request id (MarkerNotFound if unknown). */
  async instanceActions(inst: Instance, opts: { limit?: number; marker?: string; changesSince?: Date; changesBefore?: Date } = {}): Promise<actions.ActionObj[]> {
    if (opts.marker && !(await actions.actionGet(inst.uuid, opts.marker))) throw new MarkerNotFound({ marker: opts.marker });
    return actions.actionsList(inst.uuid, { limit: opts.limit, markerRequestId: opts.marker, changesSince: opts.changesSince, changesBefore: opts.changesBefore });
  }

  /** One action with its events, or null. */
  instanceAction(inst: Instance, requestId: string): Promise<actions.ActionObj | null> {
    return actions.actionGet(inst.uuid, requestId);
  }

  /** GET /os-migrations: newest first, marker paging by migration uuid. */
  migrations(filters: MigrationFilters, opts: { limit?: number; marker?: string } = {}): Promise<MigrationObj[]> {
    return migrationList(filters, opts);
  }

  /** Unfinished migrations of one instance, of one type (GET /servers/{id}/migrations shows live ones). */
  migrationsInProgress(inst: Instance, type?: MigrationType): Promise<MigrationObj[]> {
    return migrationsInProgress(inst.uuid, type);
  }

  migration(inst: Instance, id: string): Promise<MigrationObj> {
    return migrationGet(id, inst.uuid);
  }

  create(ctx: RequestContext, req: CreateRequest): Promise<CreateResult> {
    return createServers(this, ctx, req);
  }

  /** PUT /servers/{id}: name, description, hostname (no state check, as Nova). */
  async update(_ctx: RequestContext, inst: Instance, updates: Pick<InstanceUpdate, 'display_name' | 'display_description' | 'hostname'>): Promise<Instance> {
    if (Object.keys(updates).length === 0) return inst;
    return db.instanceUpdate(inst.uuid, updates);
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
      throw new InstanceInvalidState({ action, instance_uuid: inst.uuid, attr: 'task_state', state: inst.task_state ?? 'None' });
    }
    if (check.mustHaveLaunched !== false && !inst.launched_at) {
      throw new InstanceInvalidState({ action, instance_uuid: inst.uuid }, `Instance ${inst.uuid} is in an invalid state for '${action}'`);
    }
  }

  /**
   * Nova's pattern for an instance action: lock and state checks, the driver capability it `needs`
   * (501 when the instance's node lacks it), task state set by compare-and-swap,
   * the action recorded, then the work sent. Returns the instance as saved.
   */
  async startAction(ctx: RequestContext, inst: Instance, action: string, check: StateCheck, taskState: string | null, extra: InstanceUpdate = {}, opts: { skipLock?: boolean; needs?: Capability | { capability: Capability; action: string } } = {}): Promise<Instance> {
    if (!opts.skipLock) this.checkLocked(ctx, inst);
    this.checkState(inst, action, check);
    if (typeof opts.needs === 'string') await requireCapability(inst, opts.needs, action);
    else if (opts.needs) await requireCapability(inst, opts.needs.capability, opts.needs.action);
    let saved: Instance;
    try {
      saved = await db.instanceUpdate(inst.uuid, { task_state: taskState, ...extra }, { expectedTaskState: check.task ?? [null], expectedVmState: check.vm });
    } catch (e) {
      if (e instanceof InstanceNotFound) throw e;
      // Someone else changed the state between our read and our write: report what it is now.
      const now = await db.instanceGet(inst.uuid);
      const attr = check.vm.includes(now.vm_state) ? 'task_state' : 'vm_state';
      throw new InstanceInvalidState({ action, instance_uuid: inst.uuid, attr, state: (attr === 'task_state' ? now.task_state : now.vm_state) ?? 'None' });
    }
    await this.record(ctx, inst, action);
    return saved;
  }

  /** Records an instance action (what `GET /servers/{id}/os-instance-actions` lists). */
  async record(ctx: RequestContext, inst: Instance, action: string): Promise<void> {
    await actions.actionStart({ action, instance_uuid: inst.uuid, request_id: ctx.request_id, user_id: ctx.user_id, project_id: ctx.project_id });
  }

  /** True when the instance's compute service is up (work can be sent to it). */
  async hostIsUp(host: string | null): Promise<boolean> {
    if (!host) return false;
    const s = await serviceGetByHostAndBinary(host, 'nova-compute');
    return !!s && isServiceUp(s, this.conf.DEFAULT.service_down_time);
  }

  /** The sender to the instance's host, or InstanceNotReady (409) when it has none. */
  async toHost(inst: Instance) {
    if (!inst.host) throw new InstanceNotReady({ instance_id: inst.uuid });
    return (await this.rt.compute()).to(inst.host);
  }

  // ---- delete ----

  /**
   * Deletes in any state (DELETE and forceDelete): through the host when it is up, else at once here
   * (Nova's local delete).
   * Unfinished moves are cleaned on their source host too, so no guest is left behind.
   */
  async delete(ctx: RequestContext, inst: Instance): Promise<void> {
    this.checkLocked(ctx, inst);
    if (inst.task_state === TaskState.DELETING && await this.hostIsUp(inst.host)) return;
    await this.record(ctx, inst, 'delete');
    const shelvedImage = inst.system_metadata.shelved_image_id;
    if (shelvedImage && (inst.vm_state === VmState.SHELVED || inst.vm_state === VmState.SHELVED_OFFLOADED)) {
      // The snapshot a shelve made belongs to the server: it goes with it, as in Nova.
      await (await this.rt.imageService()).delete(ctx, shelvedImage).catch((e) => this.log.info(`shelved image ${shelvedImage} not deleted: ${(e as Error).message}`));
    }
    const compute = await this.rt.compute();
    for (const m of await migrationsInProgress(inst.uuid)) {
      if (m.source_compute && m.source_compute !== inst.host && await this.hostIsUp(m.source_compute)) {
        const mig = await migrationUpdate(m.id, { status: 'confirming' }).catch(() => m);
        await compute.to(m.source_compute).confirm_resize(ctx, { instance: inst, migration: mig });
      }
    }
    if (!inst.host || !(await this.hostIsUp(inst.host))) {
      await destroyInstance(inst.uuid);
      return;
    }
    const saved = await db.instanceUpdate(inst.uuid, { task_state: TaskState.DELETING });
    await compute.to(inst.host).terminate_instance(ctx, { instance: saved });
  }

  /** os-resetState (admin): vm_state active or error, task state cleared, as Nova's admin action. */
  async resetState(ctx: RequestContext, inst: Instance, state: 'active' | 'error'): Promise<Instance> {
    await this.record(ctx, inst, 'resetState');
    const saved = await db.instanceUpdate(inst.uuid, { vm_state: state === 'active' ? VmState.ACTIVE : VmState.ERROR, task_state: null });
    await actions.actionEventStart({ instance_uuid: inst.uuid, request_id: ctx.request_id, event: 'api_reset_state', host: null });
    await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event: 'api_reset_state', result: 'Success' });
    return saved;
  }
}

export { NovaError };
