import { QueryTypes, Sequelize, Transaction } from 'sequelize';

/**
 * Runs a raw UPDATE and returns how many rows it changed. With QueryTypes.UPDATE every dialect answers
 * `[_, count]` (SQLite, MariaDB and PostgreSQL alike); conditional UPDATEs that guard quotas and claims
 * depend on this count being right.
 */
export async function updateCount(seq: Sequelize, sql: string, replacements: Record<string, unknown>, transaction?: Transaction): Promise<number> {
  const [, count] = (await seq.query(sql, { replacements, type: QueryTypes.UPDATE, transaction })) as unknown as [unknown, number];
  return count;
}

/**
 * Runs `work` in a transaction, except on SQLite, where Sequelize gives each transaction a handle
 * of its own that competes with the shared one for the write lock (and for libuv's few threads):
 * there the writes run in order on the shared handle and callers clean up on failure themselves.
 */
export async function writeTogether<T>(seq: Sequelize, work: (transaction: Transaction | undefined) => Promise<T>): Promise<T> {
  if (seq.getDialect() === 'sqlite') return work(undefined);
  return seq.transaction((t) => work(t));
}
