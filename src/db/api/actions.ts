import { Op } from 'sequelize';
import { InstanceActionEventRow, InstanceActionRow, InstanceFaultRow } from '../models/instance';
import { updateCount } from './sql';

export interface FaultObj { instance_uuid: string; code: number; message: string; details: string | null; host: string | null; created: string }

export async function faultCreate(f: { instance_uuid: string; code: number; message: string; details?: string | null; host?: string | null }): Promise<void> {
  await InstanceFaultRow.create({ ...f, message: f.message.slice(0, 255) });
}

/** The latest fault of each instance, in one query. */
export async function faultsLatest(uuids: string[]): Promise<Map<string, FaultObj>> {
  const out = new Map<string, FaultObj>();
  if (uuids.length === 0) return out;
  const rows = await InstanceFaultRow.findAll({ where: { instance_uuid: uuids }, order: [['id', 'DESC']] });
  for (const r of rows) {
    if (out.has(r.instance_uuid)) continue;
    out.set(r.instance_uuid, {
      instance_uuid: r.instance_uuid, code: r.code, message: r.message, details: r.details, host: r.host,
      created: r.created_at.toISOString(),
    });
  }
  return out;
}

/**
 * Marks an action updated now (2.58's `updated_at`, what changes-since filters on). A plain update
 * of updated_at alone is skipped by Sequelize, hence the explicit UPDATE.
 */
async function touch(actionId: number): Promise<void> {
  await updateCount(InstanceActionRow.sequelize!, 'UPDATE instance_actions SET updated_at = :now WHERE id = :id', { now: new Date(), id: actionId });
}

export interface ActionStart { action: string; instance_uuid: string; request_id: string; user_id: string | null; project_id: string | null }

export async function actionStart(a: ActionStart): Promise<void> {
  await InstanceActionRow.create({ ...a, start_time: new Date() });
}

async function findAction(instance_uuid: string, request_id: string): Promise<InstanceActionRow | null> {
  return InstanceActionRow.findOne({ where: { instance_uuid, request_id }, order: [['id', 'DESC']] });
}

export async function actionEventStart(e: { instance_uuid: string; request_id: string; event: string; host: string | null }): Promise<void> {
  const action = await findAction(e.instance_uuid, e.request_id);
  if (!action) return; // periodic tasks and internal work have no user action to attach to
  await InstanceActionEventRow.create({ action_id: action.id, event: e.event, start_time: new Date(), host: e.host });
  await touch(action.id);
}

export async function actionEventFinish(e: { instance_uuid: string; request_id: string; event: string; result: string; traceback?: string | null; details?: string | null }): Promise<void> {
  const action = await findAction(e.instance_uuid, e.request_id);
  if (!action) return;
  const now = new Date();
  const ev = await InstanceActionEventRow.findOne({ where: { action_id: action.id, event: e.event, finish_time: null }, order: [['id', 'DESC']] });
  if (ev) await ev.update({ finish_time: now, result: e.result, traceback: e.traceback ?? null, details: e.details ?? null });
  else await InstanceActionEventRow.create({ action_id: action.id, event: e.event, start_time: now, finish_time: now, result: e.result, traceback: e.traceback ?? null, details: e.details ?? null });
  if (e.result === 'Error') await action.update({ message: 'Error' });
  await touch(action.id);
}

export interface ActionObj {
  id: number; action: string; instance_uuid: string; request_id: string; user_id: string | null; project_id: string | null;
  start_time: string; updated_at: string; message: string | null;
  events?: Array<{ event: string; start_time: string; finish_time: string | null; result: string | null; traceback: string | null; host: string | null; details: string | null }>;
}

function actionObj(r: InstanceActionRow): ActionObj {
  return {
    id: r.id, action: r.action, instance_uuid: r.instance_uuid, request_id: r.request_id, user_id: r.user_id,
    project_id: r.project_id, start_time: r.start_time.toISOString(), updated_at: r.updated_at.toISOString(), message: r.message,
  };
}

export async function actionsList(instance_uuid: string, opts: { limit?: number; markerRequestId?: string; changesSince?: Date; changesBefore?: Date } = {}): Promise<ActionObj[]> {
  const where: Record<string | symbol, unknown> = { instance_uuid };
  const range: Record<symbol, Date> = {};
  if (opts.changesSince) range[Op.gte] = opts.changesSince;
  if (opts.changesBefore) range[Op.lte] = opts.changesBefore;
  if (opts.changesSince || opts.changesBefore) where.updated_at = range;
  if (opts.markerRequestId) {
    const m = await findAction(instance_uuid, opts.markerRequestId);
    if (m) where.id = { [Op.lt]: m.id };
  }
  const rows = await InstanceActionRow.findAll({ where, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: opts.limit });
  return rows.map(actionObj);
}

export async function actionGet(instance_uuid: string, request_id: string): Promise<ActionObj | null> {
  const r = await findAction(instance_uuid, request_id);
  if (!r) return null;
  const events = await InstanceActionEventRow.findAll({ where: { action_id: r.id }, order: [['id', 'ASC']] });
  return {
    ...actionObj(r),
    events: events.map((e) => ({
      event: e.event, start_time: e.start_time.toISOString(), finish_time: e.finish_time?.toISOString() ?? null,
      result: e.result, traceback: e.traceback, host: e.host, details: e.details,
    })),
  };
}
