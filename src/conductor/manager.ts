import { Op } from 'sequelize';
import { BuildRequest } from '../compute/build';
import { ComputeAPIClient } from '../compute/rpcapi';
import { heldUsage } from '../compute/usage';
import { TaskState, VmState } from '../compute/vm_states';
import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import * as actions from '../db/api/actions';
import { moveAllocations, release } from '../db/api/allocations';
import { ComputeNodeObj, computeNodeUpsert, NodeReport } from '../db/api/compute_nodes';
import * as instances from '../db/api/instances';
import { MigrationObj, migrationGet, migrationsInProgress, migrationUpdate } from '../db/api/migrations';
import { quotaRelease } from '../db/api/quotas';
import { serviceGetAll, serviceHeartbeat, serviceRegister } from '../db/api/services';
import { isServiceUp } from '../service/servicegroup';
import { InstanceRow } from '../db/models/instance';
import { BuildAbortException, MaxRetriesExceeded, NoValidHost } from '../exception';
import { Logger } from '../lib/log';
import { Instance, InstanceUpdate } from '../objects/instance';
import { SchedulerMethods } from '../scheduler/rpcapi';
import { PeriodicTask } from '../service/periodic';
import { Manager, ServiceRecord } from '../service/service';
import { liveMigrateInstance } from './live_migrate_task';
import { MoveTasks, rollbackMigration } from './move_tasks';
import { ComputeTaskMethods, ConductorMethods, LiveMigrateRequest, MigrateRequest } from './rpcapi';
import { markPhase } from '../lib/phase_trace';

/** The quota usage an instance of this flavor holds (given back when it is deleted). */
export function instanceUsage(i: Pick<Instance, 'vcpus' | 'memory_mb'>): Record<string, number> {
  return { instances: 1, cores: i.vcpus, ram: i.memory_mb };
}

/** The database proxy for compute hosts (Nova's ConductorManager). */
export class ConductorManager implements Manager, ConductorMethods {
  readonly rpcTarget = { version: '3.0' };

  async service_register(_ctx: RequestContext, a: { host: string; binary: string; topic: string | null }): Promise<ServiceRecord> {
    return serviceRegister(a);
  }
  async service_heartbeat(_ctx: RequestContext, a: { service_id: number }): Promise<void> {
    await serviceHeartbeat(a.service_id);
  }
  async compute_node_update(_ctx: RequestContext, a: { report: NodeReport }): Promise<ComputeNodeObj> {
    return computeNodeUpsert(a.report);
  }
  async instance_get(_ctx: RequestContext, a: { uuid: string; read_deleted?: 'no' | 'yes' }): Promise<Instance> {
    return instances.instanceGet(a.uuid, { readDeleted: a.read_deleted });
  }
  async instance_get_all_by_host(_ctx: RequestContext, a: { host: string }): Promise<Instance[]> {
    return instances.instanceGetAll({ host: a.host });
  }
  async instance_update(_ctx: RequestContext, a: { uuid: string; updates: InstanceUpdate; expected_task_state?: Array<string | null>; expected_vm_state?: string[] }): Promise<Instance> {
    return instances.instanceUpdate(a.uuid, a.updates, { expectedTaskState: a.expected_task_state, expectedVmState: a.expected_vm_state });
  }
  async instance_destroy(_ctx: RequestContext, a: { uuid: string }): Promise<void> {
    await destroyInstance(a.uuid);
  }
  async instance_fault_create(_ctx: RequestContext, a: { uuid: string; code: number; message: string; details?: string; host?: string }): Promise<void> {
    await actions.faultCreate({ instance_uuid: a.uuid, code: a.code, message: a.message, details: a.details ?? null, host: a.host ?? null });
  }
  async action_event_start(_ctx: RequestContext, a: { uuid: string; request_id: string; event: string; host: string }): Promise<void> {
    await actions.actionEventStart({ instance_uuid: a.uuid, request_id: a.request_id, event: a.event, host: a.host });
  }
  async action_event_finish(_ctx: RequestContext, a: { uuid: string; request_id: string; event: string; result: 'Success' | 'Error'; traceback?: string; details?: string }): Promise<void> {
    await actions.actionEventFinish({ instance_uuid: a.uuid, request_id: a.request_id, event: a.event, result: a.result, traceback: a.traceback, details: a.details });
  }
  async allocations_remove(_ctx: RequestContext, a: { consumer_id: string; compute_node_id?: number }): Promise<void> {
    await release(a.consumer_id, a.compute_node_id);
  }
  async service_hosts_up(_ctx: RequestContext, a: { binary: string; service_down_time?: number }): Promise<string[]> {
    return (await serviceGetAll({ binary: a.binary })).filter((s) => isServiceUp(s, a.service_down_time ?? 60)).map((s) => s.host);
  }
  async allocations_move(_ctx: RequestContext, a: { from: string; to: string; compute_node_id?: number }): Promise<void> {
    await moveAllocations(a.from, a.to, a.compute_node_id);
  }
  async migration_get(_ctx: RequestContext, a: { id: number }): Promise<MigrationObj> {
    return migrationGet(a.id);
  }
  async migration_update(_ctx: RequestContext, a: { id: number; values: Partial<MigrationObj>; expected_status?: string[] }): Promise<MigrationObj> {
    return migrationUpdate(a.id, a.values, a.expected_status);
  }
  async migration_rollback(ctx: RequestContext, a: { migration_id: number; instance_uuid: string; reason: string; host?: string }): Promise<void> {
    await rollbackMigration(ctx, a.migration_id, a.instance_uuid, a.reason, a.host ?? null);
  }
}

/**
 * Soft-deletes an instance, then gives back its claims (its own and those of unfinished moves) and
 * its quota usage. Only the caller whose soft delete took effect releases anything, so a usage is
 * given back exactly once however many deletes race.
 */
export async function destroyInstance(uuid: string): Promise<void> {
  let inst: Instance;
  try {
    inst = await instances.instanceSoftDestroy(uuid);
  } catch (e) {
    // Already deleted by a racing request: its claims and usage went back with that delete.
    await release(uuid);
    throw e;
  }
  await release(uuid);
  for (const m of await migrationsInProgress(uuid)) {
    await release(m.uuid);
    await migrationUpdate(m.id, { status: m.status === 'finished' || m.status === 'confirming' ? 'confirmed' : 'error' }).catch(() => undefined);
  }
  await quotaRelease(inst.project_id, { ...heldUsage(inst) });
}

/** Orchestration (Nova's ComputeTaskManager): schedule, then hand each instance to its host. */
export class ComputeTaskManager implements Manager, ComputeTaskMethods {
  readonly rpcTarget = { namespace: 'compute_task', version: '1.0' };
  private moves: MoveTasks;

  constructor(private conf: NovaConf, private log: Logger, private scheduler: SchedulerMethods, private compute: ComputeAPIClient) {
    this.moves = new MoveTasks(log, scheduler, compute);
  }

  async build_instances(ctx: RequestContext, a: { request: BuildRequest }): Promise<void> {
    const spec = a.request;
    spec.retry = { ...spec.retry, num_attempts: (spec.retry?.num_attempts ?? 0) + 1 };
    const max = this.conf.scheduler.max_attempts;
    if (spec.retry.num_attempts > 1 && (spec.force_hosts?.length || spec.force_nodes?.length)) {
      // A forced host is never traded for another one: the build fails with why it failed there.
      return this.failAll(ctx, spec, new BuildAbortException({ instance_uuid: spec.instance_uuids.join(', '), reason: 'the host was forced, so the build is not rescheduled' }));
    }
    if (spec.retry.num_attempts > max) {
      return this.failAll(ctx, spec, new MaxRetriesExceeded({ reason: `Exhausted all hosts available for retrying build failures for instance ${spec.instance_uuids.join(', ')}.` }));
    }
    let decision;
    for (const uuid of spec.instance_uuids) markPhase(uuid, 'conductor: build_instances received');
    try {
      decision = await this.scheduler.select_destinations(ctx, { request: spec });
      for (const uuid of spec.instance_uuids) markPhase(uuid, 'conductor: scheduler answered');
    } catch (e) {
      return this.failAll(ctx, spec, e);
    }
    for (let i = 0; i < spec.instance_uuids.length; i++) {
      const uuid = spec.instance_uuids[i];
      const sel = decision.selections[i];
      try {
        const inst = await instances.instanceUpdate(uuid, {
          host: sel.host, node: sel.nodename, launched_on: sel.host, scheduled_at: new Date().toISOString(),
          availability_zone: spec.availability_zone ?? sel.availability_zone,
        }, { expectedTaskState: [TaskState.SCHEDULING] });
        await this.compute.to(sel.host).build_and_run_instance(ctx, {
          instance: inst, request: { ...spec, instance_uuids: [uuid] }, node: sel.nodename, compute_node_id: sel.compute_node_id,
          alternates: sel.alternates,
        });
        markPhase(uuid, 'conductor: cast to compute');
      } catch (e) {
        // Deleted while scheduling (or the host unreachable): the claim made for it must not stay.
        await release(uuid);
        this.log.info(`build of ${uuid} stopped: ${(e as Error).message}`, { request_id: ctx.request_id });
      }
    }
  }

  migrate_server(ctx: RequestContext, a: MigrateRequest): Promise<void> {
    return this.moves.migrateServer(ctx, a);
  }

  live_migrate_instance(ctx: RequestContext, a: LiveMigrateRequest): Promise<void> {
    return liveMigrateInstance(ctx, a, { log: this.log, scheduler: this.scheduler, compute: this.compute });
  }

  unshelve_instance(ctx: RequestContext, a: { instance: Instance; availability_zone?: string | null; host?: string }): Promise<void> {
    return this.moves.unshelveInstance(ctx, a);
  }

  /**
   * Puts every instance of a failed request in ERROR. The fault says why: the scheduler's filter
   * counts for "No valid host", and the hosts already tried with their errors after reschedules.
   */
  private async failAll(ctx: RequestContext, spec: BuildRequest, e: unknown): Promise<void> {
    const err = e as Error & { code?: number };
    const tried = spec.retry?.reasons?.length ? ` Build failures: ${spec.retry.reasons.join('; ')}` : '';
    const message = `${err instanceof NoValidHost ? err.message : `Build failed: ${err.message}`}${tried}`;
    this.log.warn(`${message} (instances ${spec.instance_uuids.join(', ')})`, { request_id: ctx.request_id });
    for (const uuid of spec.instance_uuids) {
      // The fault first: whoever sees ERROR sees why (a fault on a server deleted meanwhile is harmless).
      await actions.faultCreate({ instance_uuid: uuid, code: err.code ?? 500, message, details: `${message}\n${err.stack ?? ''}`, host: null });
      await actions.actionEventFinish({ instance_uuid: uuid, request_id: ctx.request_id, event: 'conductor_schedule_and_build_instances', result: 'Error', traceback: err.stack ?? null, details: message });
      await instances.instanceUpdate(uuid, { vm_state: VmState.ERROR, task_state: null }, { expectedTaskState: [TaskState.SCHEDULING] }).catch(() => undefined);
    }
  }

  periodicTasks(): PeriodicTask[] {
    return [{ name: 'reap_stuck_tasks', spacing: Math.max(5, Math.min(60, this.conf.DEFAULT.periodic_interval)), run: async () => { await this.reapStuckTasks(); } }];
  }

  /**
   * A task that never finishes (lost message, dead host) times out: builds and moves go to ERROR,
   * other tasks are reverted, each with a fault saying what timed out and where.
   */
  async reapStuckTasks(now = Date.now()): Promise<number> {
    const d = this.conf.DEFAULT;
    let reaped = 0;
    if (d.instance_build_timeout > 0) {
      const stuck = await InstanceRow.findAll({ where: { deleted: 0, vm_state: VmState.BUILDING, updated_at: { [Op.lt]: new Date(now - d.instance_build_timeout * 1000) } } });
      for (const row of stuck) {
        const message = `Build of instance timed out after ${d.instance_build_timeout}s in task ${row.task_state ?? 'none'}${row.host ? ` on host ${row.host}` : ''} (instance_build_timeout)`;
        try {
          await instances.instanceUpdate(row.uuid, { vm_state: VmState.ERROR, task_state: null }, { expectedVmState: [VmState.BUILDING], expectedTaskState: [row.task_state] });
        } catch { continue; }
        await release(row.uuid);
        await actions.faultCreate({ instance_uuid: row.uuid, code: 500, message, host: row.host });
        reaped++;
      }
    }
    if (d.task_state_timeout > 0) {
      const stuck = await InstanceRow.findAll({ where: { deleted: 0, vm_state: { [Op.ne]: VmState.BUILDING }, task_state: { [Op.ne]: null }, updated_at: { [Op.lt]: new Date(now - d.task_state_timeout * 1000) } } });
      for (const row of stuck) {
        const task = row.task_state!;
        // A half-done move cannot be undone by clearing the task: the instance goes to ERROR and
        // keeps its claims and quota hold until it is deleted, which releases them all.
        const moving = task.startsWith('resize_') || task === TaskState.MIGRATING;
        const message = `Task ${task} timed out after ${d.task_state_timeout}s${row.host ? ` on host ${row.host}` : ''} (task_state_timeout); ${moving ? 'instance set to ERROR' : 'task reverted'}`;
        try {
          await instances.instanceUpdate(row.uuid, moving ? { task_state: null, vm_state: VmState.ERROR } : { task_state: null }, { expectedTaskState: [task] });
        } catch { continue; }
        if (moving) {
          for (const m of await migrationsInProgress(row.uuid)) await migrationUpdate(m.id, { status: 'error' }).catch(() => undefined);
        }
        await actions.faultCreate({ instance_uuid: row.uuid, code: 500, message, host: row.host });
        reaped++;
      }
    }
    if (reaped) this.log.warn(`timed out ${reaped} stuck task(s)`);
    return reaped;
  }
}

