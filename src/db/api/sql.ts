import { QueryTypes, Sequelize, Transaction } from 'sequelize';

/** Rows changed by a raw UPDATE, across dialects (sqlite `changes`, mysql `affectedRows`, postgres `rowCount`). */
export function affectedRows(meta: unknown): number {
  const m = meta as { changes?: number; affectedRows?: number; rowCount?: number } | number;
  if (typeof m === 'number') return m;
  return m?.changes ?? m?.affectedRows ?? m?.rowCount ?? 0;
}

/**
 * Runs a raw UPDATE and returns how many rows it changed. A plain `query()` gives no count on
 * SQLite (its statement object lacks `changes`), so conditional updates must go through this.
 */
export async function updateCount(seq: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<number> {
  const n = await seq.query(sql, { replacements, type: QueryTypes.BULKUPDATE });
  return affectedRows(n);
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
