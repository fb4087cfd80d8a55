/** Rows changed by a raw UPDATE, across dialects (sqlite `changes`, mysql `affectedRows`, postgres `rowCount`). */
export function affectedRows(meta: unknown): number {
  const m = meta as { changes?: number; affectedRows?: number; rowCount?: number } | number;
  if (typeof m === 'number') return m;
  return m?.changes ?? m?.affectedRows ?? m?.rowCount ?? 0;
}
