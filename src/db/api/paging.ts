import { Op, WhereOptions } from 'sequelize';

/**
 * The WHERE clause selecting rows after `marker` in the order given by `keys`/`dirs`:
 * (k1 > m1) or (k1 = m1 and k2 > m2) or ..., as Nova's paginate_query builds it.
 */
export function paginationWhere(keys: string[], dirs: Array<'asc' | 'desc'>, marker: Record<string, unknown>): WhereOptions {
  const ors: WhereOptions[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands: Record<string, unknown>[] = [];
    for (let j = 0; j < i; j++) ands.push({ [keys[j]]: marker[keys[j]] ?? null });
    const v = marker[keys[i]];
    const after = dirs[i] === 'asc' ? Op.gt : Op.lt;
    if (v === null || v === undefined) {
      // NULLs sort first ascending (SQLite, MySQL): after a NULL come the non-NULL values.
      if (dirs[i] === 'asc') ands.push({ [keys[i]]: { [Op.ne]: null } });
      else continue;
    } else if (dirs[i] === 'desc') {
      // Descending, NULLs come last: they follow any non-NULL marker value.
      ands.push({ [Op.or]: [{ [keys[i]]: { [after]: v } }, { [keys[i]]: null }] });
    } else {
      ands.push({ [keys[i]]: { [after]: v } });
    }
    ors.push({ [Op.and]: ands });
  }
  return { [Op.or]: ors };
}
