import { NovaConf } from '../conf/schema';
import { adminContext, RequestContext } from '../context';
import { ConductorAPI } from '../conductor/rpcapi';
import { ConsoleNotSupported, ConsoleTypeUnavailable } from '../console/errors';
import { ConsoleAuthMethods } from '../consoleauth/rpcapi';
import { ComputeDriver, ConsoleConnection, DriverInstance, ImageMeta } from '../drivers/driver';
import { Capability } from './capabilities';
import { InstanceNotFound, NovaError, UnexpectedTaskStateError, VirtDriverNotImplemented } from '../exception';
import { ImageService } from '../image/api';
import { Logger } from '../lib/log';
import { Semaphore } from '../lib/semaphore';
import { Instance, InstanceUpdate, instanceName } from '../objects/instance';
import { PeriodicTask } from '../service/periodic';
import { Manager, ServiceRecord } from '../service/service';
import { BuildRequest } from './build';
import { PowerState } from './power_state';
import { ResourceTracker } from './resource_tracker';
import { ComputeAPIClient, ComputeMethods, RebootType } from './rpcapi';
import { TaskState, VmState } from './vm_states';
import { LiveMigrationOps } from './live_migration_ops';
import { MoveOps } from './move_ops';
import { ComputeNetworkAPI } from '../network/api';
import { InstanceNetworking } from './networking';
import { reapDeletedGuests } from './guest_reaper';
import { markPhase } from '../lib/phase_trace';

export interface ComputeDeps {
  conf: NovaConf;
  log: Logger;
  host: string;
  driver: ComputeDriver;
  conductor: ConductorAPI;
  compute: ComputeAPIClient;
  /** The Image service, reached on first use (the catalog may not be known at start). */
  images: () => Promise<ImageService>;
  /** Revokes console tokens when an instance goes away or moves (absent: nothing to revoke). */
  consoleauth?: ConsoleAuthMethods;
  /** nova-network (absent: instances get no network). */
  network?: ComputeNetworkAPI;
}

/** Turns an instance into what a driver needs. */
export function toDriverInstance(conf: NovaConf, i: Instance): DriverInstance {
  return {
    uuid: i.uuid, name: instanceName(conf.DEFAULT.instance_name_template, i), display_name: i.display_name, hostname: i.hostname,
    project_id: i.project_id, user_id: i.user_id, flavor: i.flavor.cur, image_ref: i.image_ref, kernel_id: i.kernel_id,
    ramdisk_id: i.ramdisk_id, key_data: i.key_data, user_data: i.user_data, metadata: i.metadata, network_info: i.network_info ?? [],
    power_state: i.power_state, vm_state: i.vm_state, task_state: i.task_state, host: i.host, node: i.node,
  };
}

/** One step of an instance action: what it expects, what it does, and the state it leaves. */
interface Step {
  event: string;
  expected: Array<string | null>;
  work(di: DriverInstance): Promise<InstanceUpdate | void>;
  /** vm_state to set when the work fails (default: leave it). */
  errorVmState?: string;
}

/**
 * The compute service's work on one host (Nova's ComputeManager): builds, power actions and the rest,
 * each wrapped so that a failure records a fault and an action event and never leaves a task state set.
 */
export class ComputeManager implements Manager, Omit<ComputeMethods, keyof MoveOps> {
  readonly rpcTarget = { version: '6.0' };
  readonly tracker: ResourceTracker;
  private service?: ServiceRecord;
  private builds: Semaphore;
  readonly moves: MoveOps;
  private readonly live: LiveMigrationOps;
  readonly networking: InstanceNetworking;

  constructor(readonly deps: ComputeDeps) {
    this.tracker = new ResourceTracker(deps.conf, deps.host, deps.driver, deps.conductor, deps.log);
    this.builds = new Semaphore(deps.conf.DEFAULT.max_concurrent_builds);
    this.moves = new MoveOps(this);
    this.live = new LiveMigrationOps(this);
    this.networking = new InstanceNetworking(deps.network, deps.conductor, deps.log);
  }

  get driver(): ComputeDriver { return this.deps.driver; }
  get conductor(): ConductorAPI { return this.deps.conductor; }
  get host(): string { return this.deps.host; }

  /** The hypervisor first: a compute that cannot reach it never registers as up. */
  async prepareHost(): Promise<void> {
    this.driver.setImageService?.(this.deps.images);
    await this.driver.initHost(this.host);
  }

  async initHost(service: ServiceRecord): Promise<void> {
    this.service = service;
    await this.tracker.update(service.id);
    await this.recoverInstances();
  }

  async cleanupHost(): Promise<void> {
    await this.driver.cleanupHost?.(this.host);
  }

  periodicTasks(): PeriodicTask[] {
    const c = this.deps.conf.DEFAULT;
    return [
      { name: 'update_available_resource', spacing: c.periodic_interval, run: () => this.tracker.update(this.service?.id ?? null) },
      { name: 'sync_power_states', spacing: Math.max(c.periodic_interval, 10), run: () => this.syncPowerStates() },
      { name: 'cleanup_running_deleted_instances', spacing: Math.max(c.periodic_interval, 30), run: async () => { await reapDeletedGuests(this); } },
      ...this.imageCacheTask(),
    ];
  }

  /** Removes cached base images no instance of this host uses (drivers with an image cache). */
  private imageCacheTask(): PeriodicTask[] {
    const interval = this.deps.conf.DEFAULT.image_cache_manager_interval;
    if (!this.driver.manageImageCache || interval < 0 || !this.deps.conf.DEFAULT.remove_unused_base_images) return [];
    return [{
      name: 'manage_image_cache', spacing: interval === 0 ? this.deps.conf.DEFAULT.periodic_interval : interval,
      run: async () => {
        const instances = await this.conductor.instance_get_all_by_host(adminContext(), { host: this.host });
        const used = instances.flatMap((i) => [i.image_ref, i.kernel_id, i.ramdisk_id]).filter((id): id is string => !!id);
        await this.driver.manageImageCache!(used);
      },
    }];
  }

  di(i: Instance): DriverInstance { return toDriverInstance(this.deps.conf, i); }

  /** After a restart: finish or undo what this host was doing when it stopped. */
  private async recoverInstances(): Promise<void> {
    const ctx = adminContext();
    for (const inst of await this.conductor.instance_get_all_by_host(ctx, { host: this.host })) {
      if (inst.task_state === TaskState.DELETING) {
        await this.terminate_instance(ctx, { instance: inst }).catch((e) => this.deps.log.warn(`finishing delete of ${inst.uuid}: ${e.message}`));
      } else if (inst.vm_state === VmState.BUILDING) {
        await this.fail(ctx, inst, 'compute_build_and_run_instance', new Error('compute service restarted during the build'), VmState.ERROR);
      } else if (inst.task_state?.startsWith('resize_') || inst.task_state === TaskState.MIGRATING) {
        // A move cut in half cannot just resume: ERROR keeps its claims until a delete releases them.
        await this.fail(ctx, inst, 'compute_init_host', new Error(`compute service restarted during task ${inst.task_state}`), VmState.ERROR);
      } else if (inst.task_state) {
        await this.conductor.instance_update(ctx, { uuid: inst.uuid, updates: { task_state: null } });
        await this.fault(ctx, inst, new Error(`compute service restarted during task ${inst.task_state}; task reverted`));
      }
    }
  }

  async fault(ctx: RequestContext, inst: Instance, e: unknown): Promise<void> {
    const err = e instanceof Error ? e : new Error(String(e));
    const code = err instanceof NovaError ? err.code : 500;
    await this.conductor.instance_fault_create(ctx, {
      uuid: inst.uuid, code, message: err.message, details: err.stack, host: this.host,
    }).catch((x) => this.deps.log.error(`recording fault for ${inst.uuid}: ${x.message}`));
  }

  /** Records the failure: fault, failed event, task state cleared (and vm_state set when given). */
  async fail(ctx: RequestContext, inst: Instance, event: string, e: unknown, vmState?: string): Promise<void> {
    this.deps.log.warn(`${event} failed for ${inst.uuid}: ${(e as Error)?.message ?? e}`, { request_id: ctx.request_id });
    await this.fault(ctx, inst, e);
    await this.conductor.action_event_finish(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Error', traceback: (e as Error)?.stack, details: (e as Error)?.message }).catch(() => undefined);
    const updates: InstanceUpdate = { task_state: null };
    if (vmState) updates.vm_state = vmState;
    await this.conductor.instance_update(ctx, { uuid: inst.uuid, updates }).catch(() => undefined);
  }

  /** Runs one instance action as Nova's decorators do: event start, work, save with expected state, event finish. */
  async run(ctx: RequestContext, inst: Instance, step: Step): Promise<Instance | undefined> {
    const event = `compute_${step.event}`;
    await this.conductor.action_event_start(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, host: this.host });
    try {
      const updates = (await step.work(this.di(inst))) ?? {};
      const saved = await this.conductor.instance_update(ctx, {
        uuid: inst.uuid, updates: { task_state: null, ...updates }, expected_task_state: step.expected,
      });
      await this.conductor.action_event_finish(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' });
      return saved;
    } catch (e) {
      if (e instanceof InstanceNotFound) return undefined; // deleted meanwhile: nothing to record on
      if (e instanceof UnexpectedTaskStateError) {
        // Another task (a delete, a reset) took the instance over: it owns the state now.
        this.deps.log.info(`${event} of ${inst.uuid} superseded: ${e.message}`, { request_id: ctx.request_id });
        await this.conductor.action_event_finish(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Error', details: e.message }).catch(() => undefined);
        return undefined;
      }
      await this.fail(ctx, inst, event, e, step.errorVmState);
      return undefined;
    }
  }

  async powerState(di: DriverInstance): Promise<number> {
    try { return (await this.driver.getInfo(di)).state; } catch { return PowerState.NOSTATE; }
  }

  // ---- build and delete ----

  async build_and_run_instance(ctx: RequestContext, a: { instance: Instance; request: BuildRequest; node: string; compute_node_id: number; alternates: Array<{ host: string; nodename: string; compute_node_id: number }> }): Promise<void> {
    await this.builds.run(() => this.build(ctx, a));
  }

  private async build(ctx: RequestContext, a: { instance: Instance; request: BuildRequest; node: string; compute_node_id: number }): Promise<void> {
    const event = 'compute_build_and_run_instance';
    let inst = a.instance;
    markPhase(inst.uuid, 'compute: build started');
    await this.conductor.action_event_start(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, host: this.host });
    try {
      inst = await this.conductor.instance_update(ctx, { uuid: inst.uuid, updates: { task_state: TaskState.NETWORKING }, expected_task_state: [TaskState.SCHEDULING, null] });
    } catch (e) {
      if (e instanceof InstanceNotFound || e instanceof UnexpectedTaskStateError) {
        // Deleted before we started: give the claim back and stop.
        await this.conductor.allocations_remove(ctx, { consumer_id: a.instance.uuid, compute_node_id: a.compute_node_id });
        return;
      }
      throw e;
    }
    try {
      inst = await this.networking.allocate(ctx, inst, a.request);
      markPhase(inst.uuid, 'compute: networking allocated');
    } catch (e) {
      await this.conductor.allocations_remove(ctx, { consumer_id: inst.uuid, compute_node_id: a.compute_node_id });
      if (!(e instanceof InstanceNotFound) && !(e instanceof UnexpectedTaskStateError)) await this.fail(ctx, inst, event, e, VmState.ERROR);
      return;
    }
    try {
      await this.driver.spawn({
        instance: this.di(inst), image_meta: a.request.image, admin_password: a.request.admin_password ?? null,
        injected_files: a.request.injected_files ?? [],
      });
      markPhase(inst.uuid, 'compute: driver spawned');
      const power = await this.powerState(this.di(inst));
      await this.conductor.instance_update(ctx, {
        uuid: inst.uuid, expected_task_state: [TaskState.SPAWNING],
        updates: { vm_state: VmState.ACTIVE, task_state: null, power_state: power, launched_at: new Date().toISOString() },
      });
      markPhase(inst.uuid, 'compute: ACTIVE saved');
      await this.conductor.action_event_finish(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' });
    } catch (e) {
      await this.driver.destroy(this.di(inst), inst.network_info, true).catch(() => undefined);
      await this.networking.deallocate(ctx, inst);
      if (e instanceof InstanceNotFound || (e instanceof UnexpectedTaskStateError && String(e.message).includes(TaskState.DELETING))) {
        // Deleted while spawning: the delete path cleans up; make sure nothing stays claimed here.
        await this.conductor.allocations_remove(ctx, { consumer_id: inst.uuid, compute_node_id: a.compute_node_id });
        return;
      }
      await this.conductor.allocations_remove(ctx, { consumer_id: inst.uuid, compute_node_id: a.compute_node_id });
      await this.fault(ctx, inst, e);
      await this.conductor.action_event_finish(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Error', traceback: (e as Error)?.stack }).catch(() => undefined);
      const retry = {
        num_attempts: a.request.retry.num_attempts,
        hosts: [...a.request.retry.hosts, [this.host, a.node] as [string, string]],
        reasons: [...(a.request.retry.reasons ?? []), `${this.host}: ${(e as Error)?.message ?? e}`],
      };
      // Back to the conductor, which reschedules or, past max_attempts, sets ERROR.
      try {
        await this.conductor.instance_update(ctx, { uuid: inst.uuid, updates: { task_state: TaskState.SCHEDULING, host: null, node: null }, expected_task_state: [TaskState.SPAWNING] });
        await this.conductor.build_instances(ctx, { request: { ...a.request, instance_uuids: [inst.uuid], retry } });
      } catch (x) {
        // Deleted, or taken over by a delete, while failing: the delete cleans up.
        if (!(x instanceof InstanceNotFound) && !(x instanceof UnexpectedTaskStateError)) await this.fail(ctx, inst, event, x, VmState.ERROR);
      }
    }
  }

  async terminate_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    const inst = a.instance;
    const event = 'compute_terminate_instance';
    await this.conductor.action_event_start(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, host: this.host }).catch(() => undefined);
    try {
      await this.driver.destroy(this.di(inst), inst.network_info, true);
      await this.networking.deallocate(ctx, inst);
      await this.conductor.instance_destroy(ctx, { uuid: inst.uuid });
      await this.revokeConsoles(ctx, inst);
      await this.conductor.action_event_finish(ctx, { uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' }).catch(() => undefined);
    } catch (e) {
      if (e instanceof InstanceNotFound) return;
      await this.fail(ctx, inst, event, e, VmState.ERROR);
    }
  }

  // ---- power actions ----

  async reboot_instance(ctx: RequestContext, a: { instance: Instance; reboot_type: RebootType }): Promise<void> {
    const hard = a.reboot_type === 'HARD';
    await this.run(ctx, a.instance, {
      event: 'reboot_instance',
      expected: hard ? [TaskState.REBOOTING_HARD, TaskState.REBOOT_PENDING_HARD, TaskState.REBOOT_STARTED_HARD]
        : [TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED],
      work: async (di) => {
        if (!hard) this.need('supports_soft_reboot', 'soft reboot');
        await this.driver.reboot(di, di.network_info, a.reboot_type);
        return { vm_state: VmState.ACTIVE, power_state: await this.powerState(di) };
      },
    });
  }

  async stop_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    await this.run(ctx, a.instance, {
      event: 'stop_instance', expected: [TaskState.POWERING_OFF],
      work: async (di) => { await this.driver.powerOff(di); return { vm_state: VmState.STOPPED, power_state: await this.powerState(di) }; },
    });
  }

  async start_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    await this.run(ctx, a.instance, {
      event: 'start_instance', expected: [TaskState.POWERING_ON],
      work: async (di) => { await this.driver.powerOn(di, di.network_info); return { vm_state: VmState.ACTIVE, power_state: await this.powerState(di) }; },
    });
  }

  async pause_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    await this.run(ctx, a.instance, {
      event: 'pause_instance', expected: [TaskState.PAUSING],
      work: async (di) => { this.need('supports_pause', 'pause'); await this.driver.pause(di); return { vm_state: VmState.PAUSED, power_state: await this.powerState(di) }; },
    });
  }

  async unpause_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    await this.run(ctx, a.instance, {
      event: 'unpause_instance', expected: [TaskState.UNPAUSING],
      work: async (di) => { this.need('supports_pause', 'unpause'); await this.driver.unpause(di); return { vm_state: VmState.ACTIVE, power_state: await this.powerState(di) }; },
    });
  }

  async suspend_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    await this.run(ctx, a.instance, {
      event: 'suspend_instance', expected: [TaskState.SUSPENDING],
      work: async (di) => { this.need('supports_suspend', 'suspend'); await this.driver.suspend(di); return { vm_state: VmState.SUSPENDED, power_state: await this.powerState(di) }; },
    });
  }

  async resume_instance(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    await this.run(ctx, a.instance, {
      event: 'resume_instance', expected: [TaskState.RESUMING],
      work: async (di) => { this.need('supports_suspend', 'resume'); await this.driver.resume(di, di.network_info); return { vm_state: VmState.ACTIVE, power_state: await this.powerState(di) }; },
    });
  }

  async trigger_crash_dump(ctx: RequestContext, a: { instance: Instance }): Promise<void> {
    await this.run(ctx, a.instance, {
      event: 'trigger_crash_dump', expected: [null],
      work: async (di) => {
        this.need('supports_trigger_crash_dump', 'trigger_crash_dump');
        if (!this.driver.triggerCrashDump) throw new VirtDriverNotImplemented({ action: 'trigger_crash_dump', driver: this.driver.name });
        await this.driver.triggerCrashDump(di);
      },
    });
  }

  // ---- consoles and diagnostics (calls) ----

  async get_console_output(_ctx: RequestContext, a: { instance: Instance; tail_length?: number | null }): Promise<string> {
    const out = await this.driver.getConsoleOutput(this.di(a.instance));
    if (a.tail_length === null || a.tail_length === undefined) return out;
    if (a.tail_length === 0) return '';
    const lines = out.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-a.tail_length).join('\n');
  }

  async get_vnc_console(_ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection> {
    if (!this.deps.conf.vnc.enabled) throw new ConsoleTypeUnavailable({ console_type: a.console_type });
    return this.driver.getVncConsole(this.di(a.instance));
  }

  async get_spice_console(_ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection> {
    if (!this.deps.conf.spice.enabled) throw new ConsoleTypeUnavailable({ console_type: a.console_type });
    return this.driver.getSpiceConsole(this.di(a.instance));
  }

  async get_serial_console(_ctx: RequestContext, a: { instance: Instance; console_type: string }): Promise<ConsoleConnection> {
    if (!this.deps.conf.serial_console.enabled) throw new ConsoleTypeUnavailable({ console_type: a.console_type });
    if (!this.driver.getSerialConsole) throw new ConsoleNotSupported({}, `Serial consoles are not supported by the ${this.driver.name} compute driver.`);
    return this.driver.getSerialConsole(this.di(a.instance));
  }

  async get_diagnostics(_ctx: RequestContext, a: { instance: Instance }): Promise<Record<string, unknown>> {
    const info = await this.driver.getInfo(this.di(a.instance));
    return { state: info.state, memory_details: { maximum: (info.max_mem_kb ?? 0) / 1024, used: (info.mem_kb ?? 0) / 1024 }, num_cpus: info.num_cpu, cpu_time_ns: info.cpu_time_ns, driver: this.driver.name };
  }

  async get_host_uptime(): Promise<string> {
    if (!this.driver.getHostUptime) throw new VirtDriverNotImplemented({ action: 'get_host_uptime', driver: this.driver.name });
    return this.driver.getHostUptime();
  }

  // ---- moves, images, rescue, shelve: delegated to MoveOps ----
  rescue_instance: ComputeMethods['rescue_instance'] = (ctx, a) => this.moves.rescue_instance(ctx, a);
  unrescue_instance: ComputeMethods['unrescue_instance'] = (ctx, a) => this.moves.unrescue_instance(ctx, a);
  rebuild_instance: ComputeMethods['rebuild_instance'] = async (ctx, a) => { await this.revokeConsoles(ctx, a.instance); return this.moves.rebuild_instance(ctx, a); };
  snapshot_instance: ComputeMethods['snapshot_instance'] = (ctx, a) => this.moves.snapshot_instance(ctx, a);
  prep_resize: ComputeMethods['prep_resize'] = (ctx, a) => this.moves.prep_resize(ctx, a);
  resize_instance: ComputeMethods['resize_instance'] = async (ctx, a) => { await this.revokeConsoles(ctx, a.instance); return this.moves.resize_instance(ctx, a); };
  finish_resize: ComputeMethods['finish_resize'] = (ctx, a) => this.moves.finish_resize(ctx, a);
  confirm_resize: ComputeMethods['confirm_resize'] = (ctx, a) => this.moves.confirm_resize(ctx, a);
  revert_resize: ComputeMethods['revert_resize'] = (ctx, a) => this.moves.revert_resize(ctx, a);
  finish_revert_resize: ComputeMethods['finish_revert_resize'] = (ctx, a) => this.moves.finish_revert_resize(ctx, a);
  shelve_instance: ComputeMethods['shelve_instance'] = (ctx, a) => this.moves.shelve_instance(ctx, a);
  shelve_offload_instance: ComputeMethods['shelve_offload_instance'] = (ctx, a) => this.moves.shelve_offload_instance(ctx, a);
  unshelve_instance: ComputeMethods['unshelve_instance'] = (ctx, a) => this.moves.unshelve_instance(ctx, a);

  check_can_live_migrate_destination: ComputeMethods['check_can_live_migrate_destination'] = (ctx, a) => this.live.checkDestination(ctx, a);
  pre_live_migration: ComputeMethods['pre_live_migration'] = (ctx, a) => this.live.pre(ctx, a);
  live_migration: ComputeMethods['live_migration'] = (ctx, a) => this.live.liveMigration(ctx, a);
  post_live_migration_at_destination: ComputeMethods['post_live_migration_at_destination'] = (ctx, a) => this.live.postAtDestination(ctx, a);
  rollback_live_migration_at_destination: ComputeMethods['rollback_live_migration_at_destination'] = (ctx, a) => this.live.rollbackAtDestination(ctx, a);

  /** Revokes the console tokens of an instance that is deleted, rebuilt or moved, closing its console sessions. */
  /**
   * The backstop of the API's capability check (a node report older than the driver): refuses what
   * this driver cannot do, as a failed action event, before the driver is touched.
   */
  need(capability: Capability, action: string): void {
    if (!this.driver.capabilities[capability]) throw new VirtDriverNotImplemented({ action, driver: this.driver.name });
  }

  private async revokeConsoles(ctx: RequestContext, inst: Instance): Promise<void> {
    await this.deps.consoleauth?.delete_tokens_for_instance(ctx, { instance_uuid: inst.uuid })
      .catch((e) => this.deps.log.warn(`revoking console tokens of ${inst.uuid}: ${(e as Error).message}`));
  }

  // ---- periodic ----

  /** Reconciles the hypervisor's power states with the database (guests that stopped or vanished). */
  async syncPowerStates(): Promise<void> {
    const ctx = adminContext();
    const instances = await this.conductor.instance_get_all_by_host(ctx, { host: this.host });
    for (const inst of instances) {
      if (inst.task_state !== null || inst.vm_state === VmState.BUILDING) continue;
      const di = this.di(inst);
      const exists = await this.driver.instanceExists(di);
      const power = exists ? await this.powerState(di) : PowerState.NOSTATE;
      if (power === inst.power_state) continue;
      const updates: InstanceUpdate = { power_state: power };
      if (inst.vm_state === VmState.ACTIVE && (power === PowerState.SHUTDOWN || power === PowerState.CRASHED)) updates.vm_state = VmState.STOPPED;
      if (inst.vm_state === VmState.ACTIVE && !exists) {
        updates.vm_state = VmState.ERROR;
        await this.fault(ctx, inst, new Error(`instance ${inst.uuid} is gone from the hypervisor on ${this.host}`));
      }
      await this.conductor.instance_update(ctx, { uuid: inst.uuid, updates, expected_task_state: [null] }).catch(() => undefined);
      this.deps.log.info(`power state of ${inst.uuid} synced: ${inst.power_state} -> ${power}`);
    }
  }
}

export type { ImageMeta };
