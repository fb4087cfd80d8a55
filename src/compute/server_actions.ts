import { RequestContext } from '../context';
import * as actions from '../db/api/actions';
import * as db from '../db/api/instances';
import { Instance } from '../objects/instance';
import type { ComputeAPI } from './api';
import { requireCapability } from './capabilities';
import { RebootType } from './rpcapi';
import { TaskState, VmState } from './vm_states';

const { ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR, RESCUED, RESIZED } = VmState;

const REBOOT_TASKS = [TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED];
const HARD_REBOOT_TASKS = [TaskState.REBOOTING_HARD, TaskState.REBOOT_PENDING_HARD, TaskState.REBOOT_STARTED_HARD];

/** Power, lock and console actions on a server (the API side of Nova's compute api for them). */
export class ServerActionsAPI {
  constructor(private api: ComputeAPI) {}

  /** Soft from ACTIVE only; hard from more states, and may take over a soft reboot in progress (Nova). */
  async reboot(ctx: RequestContext, inst: Instance, type: RebootType): Promise<void> {
    const hard = type === 'HARD';
    const check = hard
      ? { vm: [ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR], task: [null, ...REBOOT_TASKS, ...HARD_REBOOT_TASKS] }
      : { vm: [ACTIVE], task: [null] };
    const saved = await this.api.startAction(ctx, inst, 'reboot', check, hard ? TaskState.REBOOTING_HARD : TaskState.REBOOTING, {},
      hard ? {} : { needs: { capability: 'supports_soft_reboot', action: 'soft reboot' } });
    await (await this.api.toHost(saved)).reboot_instance(ctx, { instance: saved, reboot_type: type });
  }

  async stop(ctx: RequestContext, inst: Instance): Promise<void> {
    this.api.checkLocked(ctx, inst);
    await this.api.toHost(inst);
    const saved = await this.api.startAction(ctx, inst, 'stop', { vm: [ACTIVE, ERROR] }, TaskState.POWERING_OFF, { progress: 0 });
    await (await this.api.toHost(saved)).stop_instance(ctx, { instance: saved });
  }

  async start(ctx: RequestContext, inst: Instance): Promise<void> {
    this.api.checkLocked(ctx, inst);
    await this.api.toHost(inst);
    const saved = await this.api.startAction(ctx, inst, 'start', { vm: [STOPPED] }, TaskState.POWERING_ON);
    await (await this.api.toHost(saved)).start_instance(ctx, { instance: saved });
  }

  async pause(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'pause', { vm: [ACTIVE] }, TaskState.PAUSING, {}, { needs: 'supports_pause' });
    await (await this.api.toHost(saved)).pause_instance(ctx, { instance: saved });
  }

  async unpause(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'unpause', { vm: [PAUSED] }, TaskState.UNPAUSING, {}, { needs: 'supports_pause' });
    await (await this.api.toHost(saved)).unpause_instance(ctx, { instance: saved });
  }

  async suspend(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'suspend', { vm: [ACTIVE] }, TaskState.SUSPENDING, {}, { needs: 'supports_suspend' });
    await (await this.api.toHost(saved)).suspend_instance(ctx, { instance: saved });
  }

  async resume(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'resume', { vm: [SUSPENDED] }, TaskState.RESUMING, {}, { needs: 'supports_suspend' });
    await (await this.api.toHost(saved)).resume_instance(ctx, { instance: saved });
  }

  async triggerCrashDump(ctx: RequestContext, inst: Instance): Promise<void> {
    this.api.checkLocked(ctx, inst);
    const to = await this.api.toHost(inst);
    this.api.checkState(inst, 'trigger_crash_dump', { vm: [ACTIVE, PAUSED, RESCUED, RESIZED, ERROR] });
    await requireCapability(inst, 'supports_trigger_crash_dump', 'trigger_crash_dump');
    await this.api.record(ctx, inst, 'trigger_crash_dump');
    await to.trigger_crash_dump(ctx, { instance: inst });
  }

  /** Who locks: the owner's project, or else an admin ('admin' locks need an admin to unlock). */
  static lockedByFor(ctx: RequestContext, inst: Instance): 'owner' | 'admin' {
    return inst.project_id === ctx.project_id ? 'owner' : 'admin';
  }

  /** Nova's is_expected_locked_by: false when an admin locked it and the owner tries to unlock. */
  static isExpectedLockedBy(ctx: RequestContext, inst: Instance): boolean {
    return !inst.locked_by || inst.locked_by === ServerActionsAPI.lockedByFor(ctx, inst);
  }

  /** Locks (no state check); an owner re-locking a locked server changes nothing, as in Nova. */
  async lock(ctx: RequestContext, inst: Instance, reason?: string | null): Promise<Instance> {
    const by = ServerActionsAPI.lockedByFor(ctx, inst);
    if (inst.locked && by === 'owner') return inst;
    await this.api.record(ctx, inst, 'lock');
    const saved = await db.instanceUpdate(inst.uuid, { locked: true, locked_by: by, system_metadata: reason ? { locked_reason: reason } : {} });
    await this.apiEvent(ctx, inst, 'api_lock');
    return saved;
  }

  async unlock(ctx: RequestContext, inst: Instance): Promise<Instance> {
    await this.api.record(ctx, inst, 'unlock');
    const saved = await db.instanceUpdate(inst.uuid, { locked: false, locked_by: null, system_metadata: { locked_reason: null } });
    await this.apiEvent(ctx, inst, 'api_unlock');
    return saved;
  }

  private async apiEvent(ctx: RequestContext, inst: Instance, event: string): Promise<void> {
    await actions.actionEventStart({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, host: null });
    await actions.actionEventFinish({ instance_uuid: inst.uuid, request_id: ctx.request_id, event, result: 'Success' });
  }

  /** The guest's console log, the last `length` lines when given (-1 or none: all). */
  async consoleOutput(ctx: RequestContext, inst: Instance, length?: number | null): Promise<string> {
    const tail = length === undefined || length === null || length < 0 ? null : length;
    await requireCapability(inst, 'supports_console_output', 'get_console_output');
    return (await this.api.toHost(inst)).get_console_output(ctx, { instance: inst, tail_length: tail });
  }
}
