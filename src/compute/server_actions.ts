import { RequestContext } from '../context';
import { actionStart } from '../db/api/actions';
import * as db from '../db/api/instances';
import { Instance } from '../objects/instance';
import type { ComputeAPI } from './api';
import { RebootType } from './rpcapi';
import { TaskState, VmState } from './vm_states';

const { ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR, RESCUED, RESIZED, SHELVED, SHELVED_OFFLOADED } = VmState;

/** Power and lock actions on a server (the API side of Nova's compute api for them). */
export class ServerActionsAPI {
  constructor(private api: ComputeAPI) {}

  async reboot(ctx: RequestContext, inst: Instance, type: RebootType): Promise<void> {
    const hard = type === 'HARD';
    const check = hard
      ? { vm: [ACTIVE, STOPPED, PAUSED, SUSPENDED, ERROR], task: [null, TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED, TaskState.REBOOTING_HARD, TaskState.REBOOT_PENDING_HARD, TaskState.REBOOT_STARTED_HARD] }
      : { vm: [ACTIVE], task: [null] };
    const saved = await this.api.startAction(ctx, inst, 'reboot', check, hard ? TaskState.REBOOTING_HARD : TaskState.REBOOTING);
    await (await this.api.toHost(saved)).reboot_instance(ctx, { instance: saved, reboot_type: type });
  }

  async stop(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'stop', { vm: [ACTIVE, ERROR] }, TaskState.POWERING_OFF, { progress: 0 });
    await (await this.api.toHost(saved)).stop_instance(ctx, { instance: saved });
  }

  async start(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'start', { vm: [STOPPED] }, TaskState.POWERING_ON);
    await (await this.api.toHost(saved)).start_instance(ctx, { instance: saved });
  }

  async pause(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'pause', { vm: [ACTIVE] }, TaskState.PAUSING);
    await (await this.api.toHost(saved)).pause_instance(ctx, { instance: saved });
  }

  async unpause(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'unpause', { vm: [PAUSED] }, TaskState.UNPAUSING);
    await (await this.api.toHost(saved)).unpause_instance(ctx, { instance: saved });
  }

  async suspend(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'suspend', { vm: [ACTIVE] }, TaskState.SUSPENDING);
    await (await this.api.toHost(saved)).suspend_instance(ctx, { instance: saved });
  }

  async resume(ctx: RequestContext, inst: Instance): Promise<void> {
    const saved = await this.api.startAction(ctx, inst, 'resume', { vm: [SUSPENDED] }, TaskState.RESUMING);
    await (await this.api.toHost(saved)).resume_instance(ctx, { instance: saved });
  }

  async triggerCrashDump(ctx: RequestContext, inst: Instance): Promise<void> {
    this.api.checkLocked(ctx, inst);
    this.api.checkState(inst, 'trigger_crash_dump', { vm: [ACTIVE, PAUSED, RESCUED, RESIZED, ERROR] });
    await (await this.api.toHost(inst)).trigger_crash_dump(ctx, { instance: inst });
  }

  /** Locks (only an admin or the owner can unlock what the owner locked; an admin lock needs an admin). */
  async lock(ctx: RequestContext, inst: Instance, reason?: string | null): Promise<Instance> {
    const by = inst.project_id === ctx.project_id ? 'owner' : 'admin';
    const saved = await db.instanceUpdate(inst.uuid, { locked: true, locked_by: by, system_metadata: { locked_reason: reason ?? null } });
    await this.record(ctx, inst, 'lock');
    return saved;
  }

  async unlock(ctx: RequestContext, inst: Instance): Promise<Instance> {
    const saved = await db.instanceUpdate(inst.uuid, { locked: false, locked_by: null, system_metadata: { locked_reason: null } });
    await this.record(ctx, inst, 'unlock');
    return saved;
  }

  private async record(ctx: RequestContext, inst: Instance, action: string): Promise<void> {
    await actionStart({ action, instance_uuid: inst.uuid, request_id: ctx.request_id, user_id: ctx.user_id, project_id: ctx.project_id });
  }

  async consoleOutput(ctx: RequestContext, inst: Instance, length?: number | null): Promise<string> {
    this.api.checkState(inst, 'get_console_output', { vm: [ACTIVE, STOPPED, PAUSED, SUSPENDED, RESCUED, RESIZED, ERROR, SHELVED, SHELVED_OFFLOADED], task: [inst.task_state] });
    return (await this.api.toHost(inst)).get_console_output(ctx, { instance: inst, tail_length: length ?? null });
  }
}
