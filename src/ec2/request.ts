import { Ec2Error } from './errors';

/** The parameters of one EC2 Query request: the query string and the form body, merged. */
export type Ec2Params = Record<string, string>;

/** Parses `a=1&b=2` (form or query); later values win, as the Query API has no repeated keys. */
export function parseQueryString(text: string): Ec2Params {
  const out: Ec2Params = {};
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

/** Both sources of one request; the body (POST form) wins over the query string. */
export function requestParams(query: string, body: string | undefined): Ec2Params {
  return { ...parseQueryString(query), ...(body ? parseQueryString(body) : {}) };
}

/** A required parameter, or MissingParameter naming it. */
export function required(p: Ec2Params, name: string): string {
  const v = p[name];
  if (v === undefined || v === '') throw new Ec2Error('MissingParameter', `The request must contain the parameter ${name}`);
  return v;
}

/** An integer parameter (InvalidParameterValue when it is not one). */
export function intParam(p: Ec2Params, name: string, fallback: number): number {
  const v = p[name];
  if (v === undefined || v === '') return fallback;
  if (!/^-?\d+$/.test(v)) throw new Ec2Error('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid. Expected an integer.`);
  return Number(v);
}

/** `Name.1`, `Name.2`, ... in index order (the Query API's lists; gaps are allowed). */
export function listParam(p: Ec2Params, name: string): string[] {
  const re = new RegExp(`^${name.replace(/\./g, '\\.')}\\.(\\d+)$`);
  return Object.keys(p).map((k) => [k, re.exec(k)] as const).filter(([, m]) => m)
    .sort((a, b) => Number(a[1]![1]) - Number(b[1]![1])).map(([k]) => p[k]);
}

/** Structured lists: `Prefix.N.Field` -> [{Field: ...}] in index order (Tag.1.Key, Filter.1.Name, ...). */
export function structListParam(p: Ec2Params, prefix: string): Array<Record<string, string>> {
  const re = new RegExp(`^${prefix}\\.(\\d+)\\.(.+)$`);
  const byIndex = new Map<number, Record<string, string>>();
  for (const [k, v] of Object.entries(p)) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    if (!byIndex.has(i)) byIndex.set(i, {});
    byIndex.get(i)![m[2]] = v;
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

export interface Ec2Filter { name: string; values: string[] }

/** `Filter.N.Name` with `Filter.N.Value.M`. */
export function filtersParam(p: Ec2Params): Ec2Filter[] {
  return structListParam(p, 'Filter').map((f) => {
    if (!f.Name) throw new Ec2Error('InvalidParameterValue', 'Each filter needs a Name (Filter.N.Name).');
    const values = Object.keys(f).filter((k) => /^Value\.\d+$/.test(k)).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6))).map((k) => f[k]);
    return { name: f.Name, values };
  });
}

/** True when `value` passes every filter of this name (no filter of the name: true); `*` and `?` are wildcards. */
export function matchesFilter(filters: Ec2Filter[], name: string, value: string | null | undefined): boolean {
  return filters.filter((f) => f.name === name).every((f) => value !== null && value !== undefined && f.values.some((v) => wildcard(v).test(value)));
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}
