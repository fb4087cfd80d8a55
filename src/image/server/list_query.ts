import { RequestContext } from '../../context';
import { ImageListQuery } from '../../db/api/images';
import { imageGet, ImageRecord } from '../../db/api/images';
import { maySee } from './access';
import { badRequest } from './errors';

/** Glance's defaults: limit_param_default and api_limit_max. */
export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

const SORT_KEYS = ['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at'];
const SORT_KEY_TEXT = SORT_KEYS.join(', ');
/** Filters on base columns taking an operator prefix (`in:a,b`, `gte:2024-01-01T00:00:00Z`). */
const OPERATOR_COLUMNS = ['name', 'id', 'status', 'container_format', 'disk_format'];
const TIME_COLUMNS = ['created_at', 'updated_at'];
const RANGE_COLUMNS = ['size', 'virtual_size', 'min_ram', 'min_disk'];
const INT_COLUMNS = ['min_ram', 'min_disk', 'size', 'virtual_size'];
const PLAIN_COLUMNS = ['owner', 'checksum', 'os_hash_value', 'os_hash_algo', 'min_ram', 'min_disk', 'size', 'virtual_size'];
const NOT_FILTERS = new Set(['limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'member_status', 'tag', 'visibility', 'os_hidden', 'protected']);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;

type Query = Record<string, string | string[] | undefined>;
const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const last = (v: string | string[] | undefined): string | undefined => all(v).at(-1);

/** `op:value`, unless the whole value is an ISO 8601 time (whose colons are not an operator). */
function splitOperator(expression: string): { op: string; value: string } {
  const i = expression.indexOf(':');
  if (i < 0 || ISO_TIME.test(expression)) return { op: 'eq', value: expression };
  return { op: expression.slice(0, i), value: expression.slice(i + 1) };
}

function parseLimit(v: string | undefined): number {
  if (v === undefined) return DEFAULT_LIMIT;
  if (!/^-?\d+$/.test(v.trim())) throw badRequest('limit param must be an integer');
  const n = Number(v);
  if (n < 0) throw badRequest('limit param must be positive');
  return Math.min(n, MAX_LIMIT);
}

function parseSort(q: Query): { keys: string[]; dirs: Array<'asc' | 'desc'> } {
  const key = (k: string) => {
    if (!SORT_KEYS.includes(k)) throw badRequest(`Invalid sort key: ${k}. It must be one of the following: ${SORT_KEY_TEXT}.`);
    return k;
  };
  const dir = (d: string) => {
    if (d !== 'asc' && d !== 'desc') throw badRequest(`Invalid sort direction: ${d}`);
    return d;
  };
  const keys: string[] = [];
  let dirs: Array<'asc' | 'desc'> = [];
  if (q.sort !== undefined) {
    if (q.sort_key !== undefined || q.sort_dir !== undefined) throw badRequest('Old and new sorting syntax cannot be combined');
    for (const part of (last(q.sort) ?? '').trim().split(',')) {
      const [k, d] = part.split(':');
      keys.push(key(k.trim()));
      dirs.push(dir((d ?? 'desc').trim() || 'desc'));
    }
  } else {
    for (const k of all(q.sort_key)) keys.push(key(k.trim()));
    dirs = all(q.sort_dir).map((d) => dir(d.trim()));
    if (dirs.length > 1 && dirs.length !== keys.length) throw badRequest('Number of sort dirs does not match the number of sort keys');
  }
  if (keys.length === 0) keys.push('created_at');
  const fallback = dirs.length === 1 ? dirs[0] : 'desc';
  if (dirs.length <= 1) dirs = keys.map(() => fallback);
  // Unique order, as Glance pages: created_at then id break ties.
  for (const k of ['created_at', 'id']) if (!keys.includes(k)) { keys.push(k); dirs.push(fallback); }
  return { keys, dirs };
}

function boolFilter(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (s !== 'true' && s !== 'false') throw badRequest(`Invalid value '${v}' for '${name}' filter. Valid values are 'true' or 'false'.`);
  return s === 'true';
}

function intValue(v: string, msg: string): number {
  if (!/^-?\d+$/.test(v.trim())) throw badRequest(msg);
  return Number(v);
}

/** Reads GET /v2/images parameters into a database query, with Glance's checks and messages. */
export async function parseListQuery(ctx: RequestContext, q: Query): Promise<{ query: ImageListQuery; marker?: ImageRecord }> {
  const limit = parseLimit(last(q.limit));
  const memberStatus = last(q.member_status) ?? 'accepted';
  if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus)) throw badRequest(`Invalid status: ${memberStatus}`);
  const visibility = last(q.visibility);
  if (visibility && !['community', 'public', 'private', 'shared', 'all'].includes(visibility)) throw badRequest(`Invalid visibility value: ${visibility}`);
  if (q['changes-since'] !== undefined) throw badRequest('The "changes-since" filter is no longer available on v2.');
  const { keys, dirs } = parseSort(q);

  const columns: ImageListQuery['columns'] = [];
  columns.push({ key: 'os_hidden', op: 'eq', value: boolFilter('os_hidden', last(q.os_hidden)) ?? false });
  const prot = boolFilter('protected', last(q.protected));
  if (prot !== undefined) columns.push({ key: 'protected', op: 'eq', value: prot });
  const props: Record<string, string> = {};
  for (const [name, raw] of Object.entries(q)) {
    const value = last(raw);
    if (NOT_FILTERS.has(name) || value === undefined) continue;
    const range = /^(.*)_(min|max)$/.exec(name);
    if (range && RANGE_COLUMNS.includes(range[1])) {
      const n = intValue(value, 'Unable to filter on a range with a non-numeric value.');
      columns.push({ key: range[1], op: range[2] === 'min' ? 'gte' : 'lte', value: n });
    } else if (TIME_COLUMNS.includes(name)) {
      const { op, value: time } = splitOperator(value);
      if (!(TIME_OPS as readonly string[]).includes(op)) throw badRequest(`Unable to filter by unknown operator '${op}'.`);
      // A time without a zone is UTC, as oslo's normalize_time reads it.
      const at = Date.parse(/[T ]/.test(time) && !/(Z|[+-]\d{2}:?\d{2})$/.test(time) ? `${time.replace(' ', 'T')}Z` : time);
      if (!ISO_TIME.test(time) || Number.isNaN(at)) throw badRequest(`Bad "${name}" query filter format. Use ISO 8601 DateTime notation.`);
      columns.push({ key: name, op: op as (typeof TIME_OPS)[number], value: new Date(at) });
    } else if (OPERATOR_COLUMNS.includes(name)) {
      const { op, value: v } = splitOperator(value);
      if (op === 'in') columns.push({ key: name, op: 'in', value: v.split(',').map((x) => x.trim().replace(/^"(.*)"$/, '$1')) });
      else if (op === 'eq') columns.push({ key: name, op: 'eq', value: v });
      else throw badRequest(`Unable to filter by unknown operator '${op}'.`);
    } else if (PLAIN_COLUMNS.includes(name)) {
      columns.push({ key: name, op: 'eq', value: INT_COLUMNS.includes(name) ? intValue(value, `Invalid value '${value}' for parameter '${name}': must be an integer`) : value });
    } else {
      props[name] = value;
    }
  }

  let marker: ImageRecord | undefined;
  const markerId = last(q.marker);
  if (markerId !== undefined) {
    const m = await imageGet(markerId);
    if (!m || !(await maySee(ctx, m)).visible) throw badRequest(`No image found with ID ${markerId}`);
    marker = m;
  }
  return {
    marker,
    query: {
      viewer: { projectId: ctx.project_id, isAdmin: ctx.is_admin }, visibility, memberStatus, columns, props,
      tags: all(q.tag).map((t) => t.trim()), sortKeys: keys, sortDirs: dirs, marker, limit,
    },
  };
}
