import { RebootType } from '../../compute/rpcapi';
import { ServerActionsAPI } from '../../compute/server_actions';
import { Instance } from '../../objects/instance';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { bare, consoleOutput, lockV273, reboot, resetState } from './schemas/server_actions';
import { loadServer, targetOf, withConflicts } from './servers_common';

const MEMBER = 'rule:project_member_or_admin';
const ADMIN = 'rule:context_is_admin';

// Nova's defaults (nova/policies/{servers,pause_server,suspend_server,lock_server,admin_actions,deferred_delete,console_output}.py).
registerPolicies([
  { name: 'os_compute_api:servers:reboot', check: MEMBER }, { name: 'os_compute_api:servers:start', check: MEMBER },
  { name: 'os_compute_api:servers:stop', check: MEMBER }, { name: 'os_compute_api:servers:trigger_crash_dump', check: MEMBER },
  { name: 'os_compute_api:os-pause-server:pause', check: MEMBER }, { name: 'os_compute_api:os-pause-server:unpause', check: MEMBER },
  { name: 'os_compute_api:os-suspend-server:suspend', check: MEMBER }, { name: 'os_compute_api:os-suspend-server:resume', check: MEMBER },
  { name: 'os_compute_api:os-lock-server:lock', check: MEMBER }, { name: 'os_compute_api:os-lock-server:unlock', check: MEMBER },
  { name: 'os_compute_api:os-lock-server:unlock:unlock_override', check: ADMIN },
  { name: 'os_compute_api:os-admin-actions:reset_state', check: ADMIN },
  { name: 'os_compute_api:os-admin-actions:inject_network_info', check: ADMIN },
  { name: 'os_compute_api:os-deferred-delete:force', check: MEMBER }, { name: 'os_compute_api:os-deferred-delete:restore', check: MEMBER },
  { name: 'os_compute_api:os-console-output', check: MEMBER },
]);

type Work = (req: ApiRequest, inst: Instance) => Promise<unknown>;
export interface ActionSpec { body?: object; min?: string; status?: number }

/**
 * Registers one thin action: load (404 for others' servers), authorize against the server, run,
 * and map an invalid state to Nova's 409 with the API's action name. 202 with no body by default.
 */
export function serverAction(r: ApiRouter, d: ControllerDeps, name: string, rule: string, apiName: string, work: Work, spec: ActionSpec = {}): void {
  r.action('/servers/:server_id', name, {
    status: spec.status ?? 202, body: spec.body ?? bare(name), min: spec.min,
    handler: async (req) => {
      const inst = await loadServer(req, d, rule);
      return withConflicts(apiName, req.params.server_id, () => work(req, inst));
    },
  });
}

/** Power, lock, console, crash dump, reset state and force delete actions of /servers/{id}/action. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const a = d.compute.actions;
  const action = (name: string, rule: string, apiName: string, work: Work, spec: ActionSpec = {}) => serverAction(r, d, name, rule, apiName, work, spec);
  action('reboot', 'os_compute_api:servers:reboot', 'reboot', async (req, inst) => {
    await a.reboot(req.ctx, inst, String(req.body.reboot.type).toUpperCase() as RebootType);
  }, { body: reboot });
  action('os-stop', 'os_compute_api:servers:stop', 'stop', (req, inst) => a.stop(req.ctx, inst));
  action('os-start', 'os_compute_api:servers:start', 'start', (req, inst) => a.start(req.ctx, inst));
  action('pause', 'os_compute_api:os-pause-server:pause', 'pause', (req, inst) => a.pause(req.ctx, inst));
  action('unpause', 'os_compute_api:os-pause-server:unpause', 'unpause', (req, inst) => a.unpause(req.ctx, inst));
  action('suspend', 'os_compute_api:os-suspend-server:suspend', 'suspend', (req, inst) => a.suspend(req.ctx, inst));
  action('resume', 'os_compute_api:os-suspend-server:resume', 'resume', (req, inst) => a.resume(req.ctx, inst));
  action('trigger_crash_dump', 'os_compute_api:servers:trigger_crash_dump', 'trigger_crash_dump',
    (req, inst) => a.triggerCrashDump(req.ctx, inst), { min: '2.17', body: bare('trigger_crash_dump', { type: 'null' }) });

  r.action('/servers/:server_id', 'lock', {
    status: 202,
    body: [{ max: '2.72', schema: bare('lock') }, { min: '2.73', schema: lockV273 }],
    handler: async (req) => {
      const inst = await loadServer(req, d, 'os_compute_api:os-lock-server:lock');
      const reason = req.version.gte('2.73') && req.body.lock ? req.body.lock.locked_reason : undefined;
      await a.lock(req.ctx, inst, reason);
    },
  });
  r.action('/servers/:server_id', 'unlock', {
    status: 202, body: bare('unlock'),
    handler: async (req) => {
      const inst = await loadServer(req, d, 'os_compute_api:os-lock-server:unlock');
      if (!ServerActionsAPI.isExpectedLockedBy(req.ctx, inst)) req.authorize('os_compute_api:os-lock-server:unlock:unlock_override', targetOf(inst));
      await a.unlock(req.ctx, inst);
    },
  });

  action('os-resetState', 'os_compute_api:os-admin-actions:reset_state', 'os-resetState', async (req, inst) => {
    await d.compute.resetState(req.ctx, inst, req.body['os-resetState'].state);
  }, { body: resetState });
  action('forceDelete', 'os_compute_api:os-deferred-delete:force', 'forceDelete', (req, inst) => d.compute.delete(req.ctx, inst));

  r.action('/servers/:server_id', 'os-getConsoleOutput', {
    status: 200, body: consoleOutput,
    handler: async (req) => {
      const inst = await loadServer(req, d, 'os_compute_api:os-console-output');
      const raw = req.body['os-getConsoleOutput'].length;
      const length = raw === undefined || raw === null ? null : Number(raw);
      const output = await a.consoleOutput(req.ctx, inst, length);
      // Control characters other than tab and newline are removed, as Nova does.
      return { output: output.replace(/[\x00-\x08\x0B-\x1F]/g, '') };
    },
  });
}
