import { Op, WhereOptions } from 'sequelize';
import { KeyPairExists, KeypairNotFound, MarkerNotFound } from '../../exception';
import { KeyPairRow } from '../models/flavor';

export interface KeypairObj { id: number; name: string; user_id: string; fingerprint: string; public_key: string; type: string; created_at: string; updated_at: string }

function obj(r: KeyPairRow): KeypairObj {
  return { id: r.id, name: r.name, user_id: r.user_id, fingerprint: r.fingerprint, public_key: r.public_key, type: r.type, created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() };
}

export async function keypairCreate(v: { name: string; user_id: string; fingerprint: string; public_key: string; type: string }): Promise<KeypairObj> {
  if (await KeyPairRow.findOne({ where: { user_id: v.user_id, name: v.name } })) throw new KeyPairExists({ key_name: v.name });
  try {
    return obj(await KeyPairRow.create(v));
  } catch (e) {
    if ((e as Error).name === 'SequelizeUniqueConstraintError') throw new KeyPairExists({ key_name: v.name });
    throw e;
  }
}

export async function keypairGet(userId: string, name: string): Promise<KeypairObj> {
  const r = await KeyPairRow.findOne({ where: { user_id: userId, name } });
  if (!r) throw new KeypairNotFound({ name, user_id: userId });
  return obj(r);
}

/** A user's key pairs by name, after `marker` (a name; MarkerNotFound when the user has none so named). */
export async function keypairList(userId: string, opts: { limit?: number; marker?: string } = {}): Promise<KeypairObj[]> {
  const where: WhereOptions[] = [{ user_id: userId }];
  if (opts.marker !== undefined) {
    if (!(await KeyPairRow.findOne({ where: { user_id: userId, name: opts.marker } }))) throw new MarkerNotFound({ marker: opts.marker });
    where.push({ name: { [Op.gt]: opts.marker } });
  }
  const rows = await KeyPairRow.findAll({ where: { [Op.and]: where }, order: [['name', 'ASC']], limit: opts.limit });
  return rows.map(obj);
}

export async function keypairCount(userId: string): Promise<number> {
  return KeyPairRow.count({ where: { user_id: userId } });
}

export async function keypairDestroy(userId: string, name: string): Promise<void> {
  const n = await KeyPairRow.destroy({ where: { user_id: userId, name } });
  if (n === 0) throw new KeypairNotFound({ name, user_id: userId });
}
