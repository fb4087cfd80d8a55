import { fn, col, Op, WhereOptions } from 'sequelize';
import { MarkerNotFound } from '../../exception';
import { FlavorCopy, InstanceRow } from '../models/instance';
import { paginationWhere } from './paging';

/** What usage reports need of an instance, deleted ones included. */
export interface UsageInstance {
  uuid: string;
  display_name: string;
  project_id: string;
  vm_state: string;
  launched_at: Date | null;
  terminated_at: Date | null;
  deleted: boolean;
  /** The flavor copy kept with the instance (null for rows made without one). */
  flavor: FlavorCopy | null;
  instance_type_id: number | null;
}

/**
 * Instances alive at some point of [begin, end): not terminated before `begin` and launched before
 * `end`, ordered by project then uuid and paged after the `marker` uuid, as Nova's
 * instance_get_active_by_window_joined. Deleted instances count.
 */
export async function instancesActiveInWindow(begin: Date, end: Date, opts: { projectId?: string; limit?: number; marker?: string } = {}): Promise<UsageInstance[]> {
  const conds: WhereOptions[] = [
    { [Op.or]: [{ terminated_at: null }, { terminated_at: { [Op.gt]: begin } }] },
    { launched_at: { [Op.lt]: end } },
  ];
  if (opts.projectId) conds.push({ project_id: opts.projectId });
  if (opts.marker !== undefined) {
    const m = await InstanceRow.findOne({ where: { uuid: opts.marker } });
    if (!m) throw new MarkerNotFound({ marker: opts.marker });
    conds.push(paginationWhere(['project_id', 'uuid'], ['asc', 'asc'], { project_id: m.project_id, uuid: m.uuid }));
  }
  const rows = await InstanceRow.findAll({
    where: { [Op.and]: conds },
    order: [['project_id', 'ASC'], ['uuid', 'ASC']],
    limit: opts.limit,
    attributes: ['uuid', 'display_name', 'project_id', 'vm_state', 'launched_at', 'terminated_at', 'deleted', 'flavor', 'instance_type_id'],
  });
  return rows.map((r) => ({
    uuid: r.uuid, display_name: r.display_name, project_id: r.project_id, vm_state: r.vm_state,
    launched_at: r.launched_at ? new Date(r.launched_at) : null, terminated_at: r.terminated_at ? new Date(r.terminated_at) : null,
    deleted: r.deleted !== 0, flavor: r.flavor?.cur ?? null, instance_type_id: r.instance_type_id,
  }));
}

/** One user's live instances in a project, with their vCPUs and RAM (Nova counts user quotas so). */
export async function instanceUsageByUser(projectId: string, userId: string): Promise<{ instances: number; cores: number; ram: number }> {
  const row = (await InstanceRow.findOne({
    where: { project_id: projectId, user_id: userId, deleted: 0 },
    attributes: [[fn('COUNT', col('id')), 'n'], [fn('SUM', col('vcpus')), 'cores'], [fn('SUM', col('memory_mb')), 'ram']],
    raw: true,
  })) as unknown as { n: number | string | null; cores: number | string | null; ram: number | string | null } | null;
  return { instances: Number(row?.n ?? 0), cores: Number(row?.cores ?? 0), ram: Number(row?.ram ?? 0) };
}
