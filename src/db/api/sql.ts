import { QueryTypes, Sequelize } from 'sequelize';

/**
 * Runs a raw UPDATE and returns how many rows it changed. With QueryTypes.UPDATE every dialect answers
 * `[_, count]` (SQLite, MariaDB and PostgreSQL alike); conditional UPDATEs that guard quotas and claims
 * depend on this count being right.
 */
export async function updateCount(seq: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<number> {
  const [, count] = (await seq.query(sql, { replacements, type: QueryTypes.UPDATE })) as unknown as [unknown, number];
  return count;
}
