/** Nova's two time formats: API resources ("2013-09-03T04:01:32Z") and raw DB times ("2012-10-29T13:42:02.000000"). */
export function isoZ(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function dbTime(d: Date | string | null | undefined): string | null {
  if (!d) return null;
  return new Date(d).toISOString().replace(/\.(\d{3})Z$/, '.$1000');
}

/** Query values arrive as string or repeated; the last one wins, as in Nova's parsing. */
export function q1(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** All values of a repeated query parameter. */
export function qAll(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
