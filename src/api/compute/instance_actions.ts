import { ActionObj } from '../../db/api/actions';
import { HttpError } from '../faults';
import { dbTime, q1 } from '../format';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import { changesWindow, nextLink, queryLimit, rejectUnknown } from './query_params';
import { loadServer, targetOf } from './servers_common';
import { hostId } from './views/servers';

const P = (a: string) => `os_compute_api:os-instance-actions:${a}`;
registerPolicies([
  { name: P('list'), check: 'rule:project_reader_or_admin' }, { name: P('show'), check: 'rule:project_reader_or_admin' },
  { name: P('events'), check: 'rule:context_is_admin' }, { name: P('events:details'), check: 'rule:context_is_admin' },
]);

function actionView(a: ActionObj, withUpdated: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    action: a.action, instance_uuid: a.instance_uuid, request_id: a.request_id, user_id: a.user_id, project_id: a.project_id,
    start_time: dbTime(a.start_time), message: a.message,
  };
  if (withUpdated) out.updated_at = dbTime(a.updated_at);
  return out;
}

/** /servers/{id}/os-instance-actions[/{request_id}]: deleted servers too (2.21), paging (2.58), events (2.51), hosts (2.62). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  r.get('/servers/:server_id/os-instance-actions', {
    handler: async (req) => {
      const inst = await loadServer(req, d, P('list'), { readDeleted: req.version.gte('2.21') ? 'yes' : 'no' });
      const paged = req.version.gte('2.58');
      const opts: { limit?: number; marker?: string; changesSince?: Date; changesBefore?: Date } = {};
      let limit = d.conf.api.max_limit;
      if (paged) {
        rejectUnknown(req, ['limit', 'marker', 'changes-since', ...(req.version.gte('2.66') ? ['changes-before'] : [])]);
        limit = queryLimit(req, limit);
        const window = changesWindow(req, req.version.gte('2.66'));
        Object.assign(opts, { limit, marker: q1(req.query.marker), changesSince: window.since, changesBefore: window.before });
      }
      const list = await d.compute.instanceActions(inst, opts);
      const out: Record<string, unknown> = { instanceActions: list.map((a) => actionView(a, paged)) };
      if (paged && limit > 0 && list.length === limit) out.links = [nextLink(req, `servers/${req.params.server_id}/os-instance-actions`, list[list.length - 1].request_id)];
      return out;
    },
  });

  r.get('/servers/:server_id/os-instance-actions/:request_id', {
    handler: async (req) => {
      const inst = await loadServer(req, d, P('show'), { readDeleted: req.version.gte('2.21') ? 'yes' : 'no' });
      const action = await d.compute.instanceAction(inst, req.params.request_id);
      if (!action) throw new HttpError(404, `Action ${req.params.request_id} not found`);
      const out = actionView(action, req.version.gte('2.58'));
      const target = targetOf(inst);
      const admin = req.can(P('events'), target);
      if (admin || req.version.gte('2.51')) {
        const details = req.version.gte('2.84') && req.can(P('events:details'), target);
        out.events = (action.events ?? []).map((e) => {
          const ev: Record<string, unknown> = { event: e.event, start_time: dbTime(e.start_time), finish_time: dbTime(e.finish_time), result: e.result };
          if (admin) ev.traceback = e.traceback;
          if (admin && req.version.gte('2.62')) ev.host = e.host ?? '';
          if (req.version.gte('2.62')) ev.hostId = hostId(action.project_id ?? inst.project_id, e.host);
          if (details) ev.details = e.details;
          return ev;
        });
      }
      return { instanceAction: out };
    },
  });
}
