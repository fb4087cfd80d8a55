import { Op, WhereOptions } from 'sequelize';
import { FlavorAccessExists, FlavorAccessNotFound, FlavorExists, FlavorIdExists, FlavorNotFound, MarkerNotFound } from '../../exception';
import { FlavorCopy } from '../models/instance';
import { FlavorExtraSpecRow, FlavorProjectRow, FlavorRow } from '../models/flavor';
import { paginationWhere } from './paging';

export type FlavorObj = FlavorCopy & { disabled: boolean; created_at: string; updated_at: string };

async function toObjs(rows: FlavorRow[]): Promise<FlavorObj[]> {
  if (rows.length === 0) return [];
  const specs = await FlavorExtraSpecRow.findAll({ where: { flavor_id: rows.map((r) => r.id) } });
  return rows.map((r) => ({
    id: r.id, flavorid: r.flavorid, name: r.name, memory_mb: r.memory_mb, vcpus: r.vcpus, root_gb: r.root_gb,
    ephemeral_gb: r.ephemeral_gb, swap: r.swap, rxtx_factor: r.rxtx_factor, vcpu_weight: r.vcpu_weight, is_public: r.is_public,
    disabled: r.disabled, description: r.description,
    extra_specs: Object.fromEntries(specs.filter((s) => s.flavor_id === r.id).map((s) => [s.key, s.value])),
    created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString(),
  }));
}

/** By flavorid (the API id); `projectId` limits private flavors to those the project may use. */
export async function flavorGet(flavorid: string, projectId?: string | null): Promise<FlavorObj> {
  const row = await FlavorRow.findOne({ where: { flavorid } });
  if (!row || (projectId && !row.is_public && !(await FlavorProjectRow.findOne({ where: { flavor_id: row.id, project_id: projectId } })))) {
    throw new FlavorNotFound({ flavor_id: flavorid });
  }
  return (await toObjs([row]))[0];
}

export async function flavorGetById(id: number): Promise<FlavorObj> {
  const row = await FlavorRow.findByPk(id);
  if (!row) throw new FlavorNotFound({ flavor_id: id });
  return (await toObjs([row]))[0];
}

export interface FlavorFilters {
  /** Non-admin callers: only public flavors and private ones shared with this project. */
  visibleTo?: string | null;
  /** true: public flavors, plus those shared with `accessProject`; false: private ones only; null: all. */
  is_public?: boolean | null;
  accessProject?: string | null;
  disabled?: boolean;
  min_memory_mb?: number;
  min_root_gb?: number;
  name?: string;
}

async function sharedWith(projectId: string): Promise<number[]> {
  return (await FlavorProjectRow.findAll({ where: { project_id: projectId } })).map((a) => a.flavor_id);
}

/** Flavors in `sortKey` order (then id), after `marker` (a flavorid), as Nova's FlavorList.get_all. */
export async function flavorList(f: FlavorFilters, opts: { sortKey?: string; sortDir?: 'asc' | 'desc'; limit?: number; marker?: string } = {}): Promise<FlavorObj[]> {
  const visibility: WhereOptions[] = [];
  if (f.visibleTo) visibility.push({ [Op.or]: [{ is_public: true }, { id: await sharedWith(f.visibleTo) }] });
  const conds: WhereOptions[] = [...visibility];
  if (f.disabled !== undefined) conds.push({ disabled: f.disabled });
  if (f.min_memory_mb !== undefined) conds.push({ memory_mb: { [Op.gte]: f.min_memory_mb } });
  if (f.min_root_gb !== undefined) conds.push({ root_gb: { [Op.gte]: f.min_root_gb } });
  if (f.name) conds.push({ name: f.name });
  if (f.is_public === false) conds.push({ is_public: false });
  if (f.is_public === true) {
    conds.push(f.accessProject ? { [Op.or]: [{ is_public: true }, { id: await sharedWith(f.accessProject) }] } : { is_public: true });
  }
  const key = opts.sortKey ?? 'flavorid';
  const dir = opts.sortDir ?? 'asc';
  const keys = key === 'id' ? ['id'] : [key, 'id'];
  const dirs = keys.map(() => dir);
  if (opts.marker !== undefined) {
    const m = await FlavorRow.findOne({ where: { [Op.and]: [...visibility, { flavorid: opts.marker }] } });
    if (!m) throw new MarkerNotFound({ marker: opts.marker });
    conds.push(paginationWhere(keys, dirs, m.get({ plain: true }) as Record<string, unknown>));
  }
  const rows = await FlavorRow.findAll({ where: { [Op.and]: conds }, order: keys.map((k, i) => [k, dirs[i].toUpperCase()]), limit: opts.limit });
  return toObjs(rows);
}

export async function flavorCreate(v: Omit<FlavorCopy, 'id' | 'extra_specs'> & { extra_specs?: Record<string, string> }): Promise<FlavorObj> {
  if (await FlavorRow.findOne({ where: { name: v.name } })) throw new FlavorExists({ name: v.name });
  if (await FlavorRow.findOne({ where: { flavorid: v.flavorid } })) throw new FlavorIdExists({ flavor_id: v.flavorid });
  try {
    const row = await FlavorRow.create({ ...v });
    if (v.extra_specs) await flavorExtraSpecsSet(row.id, v.extra_specs);
    return (await toObjs([row]))[0];
  } catch (e) {
    if ((e as Error).name === 'SequelizeUniqueConstraintError') throw new FlavorExists({ name: v.name });
    throw e;
  }
}

export async function flavorUpdateDescription(flavorid: string, description: string | null): Promise<FlavorObj> {
  const row = await FlavorRow.findOne({ where: { flavorid } });
  if (!row) throw new FlavorNotFound({ flavor_id: flavorid });
  await row.update({ description });
  return (await toObjs([row]))[0];
}

export async function flavorDestroy(flavorid: string): Promise<void> {
  const row = await FlavorRow.findOne({ where: { flavorid } });
  if (!row) throw new FlavorNotFound({ flavor_id: flavorid });
  await FlavorExtraSpecRow.destroy({ where: { flavor_id: row.id } });
  await FlavorProjectRow.destroy({ where: { flavor_id: row.id } });
  await row.destroy();
}

export async function flavorExtraSpecsSet(flavorDbId: number, specs: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(specs)) {
    const [row, created] = await FlavorExtraSpecRow.findOrCreate({ where: { flavor_id: flavorDbId, key }, defaults: { value } });
    if (!created) await row.update({ value });
  }
}

export async function flavorExtraSpecDelete(flavorDbId: number, key: string): Promise<boolean> {
  return (await FlavorExtraSpecRow.destroy({ where: { flavor_id: flavorDbId, key } })) > 0;
}

export async function flavorAccessList(flavorDbId: number): Promise<string[]> {
  return (await FlavorProjectRow.findAll({ where: { flavor_id: flavorDbId }, order: [['id', 'ASC']] })).map((r) => r.project_id);
}

export async function flavorAccessAdd(flavorDbId: number, flavorid: string, projectId: string): Promise<void> {
  if (await FlavorProjectRow.findOne({ where: { flavor_id: flavorDbId, project_id: projectId } })) {
    throw new FlavorAccessExists({ flavor_id: flavorid, project_id: projectId });
  }
  await FlavorProjectRow.create({ flavor_id: flavorDbId, project_id: projectId });
}

export async function flavorAccessRemove(flavorDbId: number, flavorid: string, projectId: string): Promise<void> {
  const n = await FlavorProjectRow.destroy({ where: { flavor_id: flavorDbId, project_id: projectId } });
  if (n === 0) throw new FlavorAccessNotFound({ flavor_id: flavorid, project_id: projectId });
}

/** Nova's default flavors (m1.tiny ... m1.xlarge), created by the sync that creates the database. */
export const DEFAULT_FLAVORS: Array<Omit<FlavorCopy, 'id' | 'extra_specs'>> = [
  { flavorid: '1', name: 'm1.tiny', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null },
  { flavorid: '2', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null },
  { flavorid: '3', name: 'm1.medium', memory_mb: 4096, vcpus: 2, root_gb: 40, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null },
  { flavorid: '4', name: 'm1.large', memory_mb: 8192, vcpus: 4, root_gb: 80, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null },
  { flavorid: '5', name: 'm1.xlarge', memory_mb: 16384, vcpus: 8, root_gb: 160, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null },
];

export async function ensureDefaultFlavors(): Promise<void> {
  if ((await FlavorRow.count()) > 0) return;
  for (const f of DEFAULT_FLAVORS) await flavorCreate(f);
}
