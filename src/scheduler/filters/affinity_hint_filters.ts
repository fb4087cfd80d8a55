import { FilterResult, HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** A hint given once (`--hint same_host=X`) is a string, given several times a list. */
export function hintList(hints: Record<string, unknown>, name: string): string[] {
  const v = hints?.[name];
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** Scheduler hint `same_host`: only hosts running one of the named instances. */
export class SameHostFilter implements HostFilter {
  readonly name = 'SameHostFilter';
  hostPasses(host: Args[0], spec: Args[1]): FilterResult {
    const wanted = hintList(spec.scheduler_hints, 'same_host');
    if (wanted.length === 0) return true;
    return wanted.some((u) => host.instance_uuids.has(u)) ? true : 'runs none of the same_host instances';
  }
}

/** Scheduler hint `different_host`: only hosts running none of the named instances. */
export class DifferentHostFilter implements HostFilter {
  readonly name = 'DifferentHostFilter';
  hostPasses(host: Args[0], spec: Args[1]): FilterResult {
    const avoid = hintList(spec.scheduler_hints, 'different_host');
    const there = avoid.filter((u) => host.instance_uuids.has(u));
    return there.length === 0 ? true : `runs different_host instance ${there[0]}`;
  }
}
