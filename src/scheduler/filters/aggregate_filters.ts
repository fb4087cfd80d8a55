import { HostState } from '../host_state';
import { matchSpec } from './extra_specs_ops';
import { FilterResult, HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Nova's aggregate_metadata_get_by_host: every key of the host's aggregates, comma lists split. */
export function aggregateMetadata(h: HostState): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const agg of h.aggregates) {
    for (const [k, v] of Object.entries(agg.metadata)) {
      const set = out.get(k) ?? new Set<string>();
      for (const part of String(v).split(',')) set.add(part.trim());
      out.set(k, set);
    }
  }
  return out;
}

/**
 * Flavor extra specs scoped `aggregate_instance_extra_specs:` (or unscoped) must match the metadata
 * of one of the host's aggregates, so aggregates attract only the flavors that ask for them.
 */
export class AggregateInstanceExtraSpecsFilter implements HostFilter {
  readonly name = 'AggregateInstanceExtraSpecsFilter';
  readonly runOncePerRequest = true;
  hostPasses(host: Args[0], spec: Args[1]): FilterResult {
    const specs = Object.entries(spec.flavor.extra_specs ?? {});
    if (specs.length === 0) return true;
    const metadata = aggregateMetadata(host);
    for (const [key, wanted] of specs) {
      let scope = key.split(':');
      if (scope.length > 1) {
        if (scope[0] !== 'aggregate_instance_extra_specs') continue;
        scope = scope.slice(1);
      }
      const name = scope.join(':');
      const values = metadata.get(name);
      if (!values) return `no aggregate sets ${name} (flavor extra spec ${key})`;
      if (![...values].some((v) => matchSpec(v, String(wanted)))) return `aggregate ${name}=${[...values].join(',')} does not match '${wanted}'`;
    }
    return true;
  }
}

/**
 * Hosts in aggregates with `filter_tenant_id` (or `filter_tenant_id*`) metadata take only those
 * projects' instances; other hosts take anyone's.
 */
export class AggregateMultiTenancyIsolation implements HostFilter {
  readonly name = 'AggregateMultiTenancyIsolation';
  readonly runOncePerRequest = true;
  hostPasses(host: Args[0], spec: Args[1]): FilterResult {
    const allowed = new Set<string>();
    for (const [k, values] of aggregateMetadata(host)) if (k.startsWith('filter_tenant_id')) values.forEach((v) => allowed.add(v));
    if (allowed.size === 0) return true;
    return allowed.has(spec.project_id) ? true : `isolated for project(s) ${[...allowed].join(', ')}`;
  }
}
