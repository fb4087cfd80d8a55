import { badRequest } from '../faults';
import { q1 } from '../format';
import { ApiRequest } from '../router';

/**
 * Query-string helpers shared by the list APIs (servers, instance actions, migrations), with the
 * wording Nova's query validation uses.
 */

function invalid(name: string, value: string, reason: string) {
  return badRequest(`Invalid input for query parameters ${name}. Value: ${value}. ${reason}`);
}

/** An ISO 8601 time parameter (`changes-since`, ...); no zone means UTC, as oslo's parse_isotime. */
export function queryTime(req: ApiRequest, name: string): Date | undefined {
  const v = q1(req.query[name]);
  if (v === undefined) return undefined;
  const shape = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
  const d = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) || !v.includes(':') ? v : `${v}Z`);
  if (!shape.test(v) || Number.isNaN(d.getTime())) throw invalid(name, v, `'${v}' is not a 'date-time'`);
  return d;
}

/** `changes-since` and `changes-before` (when `withBefore`), the second not earlier than the first. */
export function changesWindow(req: ApiRequest, withBefore: boolean): { since?: Date; before?: Date } {
  const since = queryTime(req, 'changes-since');
  const before = withBefore ? queryTime(req, 'changes-before') : undefined;
  if (since && before && before < since) throw badRequest('The value of changes-since must be less than or equal to changes-before.');
  return { since, before };
}

/** `limit`, capped at `[api] max_limit` (Nova's get_limit_and_marker). */
export function queryLimit(req: ApiRequest, maxLimit: number): number {
  const l = q1(req.query.limit);
  if (l === undefined) return maxLimit;
  if (!/^\d+$/.test(l)) throw invalid('limit', l, `'${l}' does not match '^[0-9]*$'`);
  return Math.min(maxLimit, Number(l));
}

/** 400 for a parameter the schema does not allow (additionalProperties false). */
export function rejectUnknown(req: ApiRequest, allowed: Iterable<string>): void {
  const known = new Set(allowed);
  const extra = Object.keys(req.query).find((k) => !known.has(k));
  if (extra) throw invalid(extra, String(q1(req.query[extra])), `Additional properties are not allowed ('${extra}' was unexpected)`);
}

/** The `next` link of a full page: this request's parameters, sorted, with the new marker. */
export function nextLink(req: ApiRequest, path: string, marker: string): { rel: 'next'; href: string } {
  const params = new URLSearchParams();
  const query: Record<string, string | string[]> = { ...req.query, marker };
  for (const k of Object.keys(query).sort()) for (const v of ([] as string[]).concat(query[k])) params.append(k, v);
  return { rel: 'next', href: `${req.baseUrl}/${path}?${params.toString()}` };
}
