import { Transaction } from 'sequelize';
import { InstanceNotFound } from '../../exception';
import { InstanceRow, InstanceSystemMetadataRow } from '../models/instance';

/**
 * The encrypted password a guest posts to the metadata service (Nova's nova/api/metadata/password.py):
 * kept in system_metadata as `password_0` .. `password_3`, 255 characters each.
 */
export const PASSWORD_CHUNKS = 4;
export const PASSWORD_CHUNK_LENGTH = 255;
/** Largest body a guest may post, in bytes. */
export const PASSWORD_MAX_SIZE = PASSWORD_CHUNKS * PASSWORD_CHUNK_LENGTH;

const KEYS = Array.from({ length: PASSWORD_CHUNKS }, (_, i) => `password_${i}`);

/** The stored password, or null when there is none (all chunks empty or absent). */
export function extractPassword(systemMetadata: Record<string, string | null | undefined>): string | null {
  const joined = Object.keys(systemMetadata).filter((k) => k.startsWith('password_')).sort()
    .map((k) => systemMetadata[k] ?? '').join('');
  return joined || null;
}

/** The system_metadata items that store `password` (null or '' clears every chunk). */
export function passwordChunks(password: string | null): Record<string, string> {
  const chars = [...(password ?? '')];
  return Object.fromEntries(KEYS.map((k, i) => [k, chars.slice(i * PASSWORD_CHUNK_LENGTH, (i + 1) * PASSWORD_CHUNK_LENGTH).join('')]));
}

async function writeChunks(uuid: string, password: string | null, transaction: Transaction): Promise<void> {
  await InstanceSystemMetadataRow.destroy({ where: { instance_uuid: uuid, key: KEYS }, transaction });
  await InstanceSystemMetadataRow.bulkCreate(Object.entries(passwordChunks(password)).map(([key, value]) => ({ instance_uuid: uuid, key, value })), { transaction });
}

async function lockedInstance(uuid: string, transaction: Transaction): Promise<void> {
  const row = await InstanceRow.findOne({ where: { uuid, deleted: 0 }, attributes: ['id'], transaction, lock: transaction.LOCK.UPDATE });
  if (!row) throw new InstanceNotFound({ instance_id: uuid });
}

// SQLite takes its write lock at BEGIN IMMEDIATE; other dialects lock the instance row (FOR UPDATE).
const WRITE_TRANSACTION = { type: Transaction.TYPES.IMMEDIATE };

/**
 * Stores the password unless one is already there; false when it was (the guest may set it once, until
 * `nova clear-password`). The instance row is locked, so two posts at once cannot both win.
 */
export async function instancePasswordSetOnce(uuid: string, password: string): Promise<boolean> {
  return InstanceRow.sequelize!.transaction(WRITE_TRANSACTION, async (transaction) => {
    await lockedInstance(uuid, transaction);
    const rows = await InstanceSystemMetadataRow.findAll({ where: { instance_uuid: uuid }, attributes: ['key', 'value'], transaction });
    if (extractPassword(Object.fromEntries(rows.map((r) => [r.key, r.value])))) return false;
    await writeChunks(uuid, password, transaction);
    return true;
  });
}

/** Empties the stored password (Nova's clear: the chunks stay, empty), so the guest may post again. */
export async function instancePasswordClear(uuid: string): Promise<void> {
  await InstanceRow.sequelize!.transaction(WRITE_TRANSACTION, async (transaction) => {
    await lockedInstance(uuid, transaction);
    await writeChunks(uuid, null, transaction);
  });
}
