import { HostState } from '../host_state';
import { matchSpec } from './extra_specs_ops';
import { FilterResult, HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Names Nova's HostState has that this one computes. */
function derived(h: HostState): Record<string, unknown> {
  return {
    free_ram_mb: h.memory_mb - h.memory_mb_used, free_disk_mb: (h.local_gb - h.local_gb_used) * 1024,
    total_usable_ram_mb: h.memory_mb, total_usable_disk_gb: h.local_gb, vcpus_total: h.vcpus,
    hypervisor_hostname: h.nodename,
  };
}

/** Walks `cpu_info:features` style paths through the host's attributes, JSON strings included. */
function capability(h: HostState, path: string[]): unknown {
  const top = path[0];
  let cap: unknown = top in h ? (h as unknown as Record<string, unknown>)[top] : derived(h)[top] ?? h.stats?.[top];
  for (const key of path.slice(1)) {
    if (typeof cap === 'string') { try { cap = JSON.parse(cap); } catch { return undefined; } }
    if (cap === null || typeof cap !== 'object') return undefined;
    cap = (cap as Record<string, unknown>)[key];
  }
  return cap;
}

const asText = (v: unknown): string => (Array.isArray(v) ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * Flavor extra specs scoped `capabilities:` (or unscoped ones) must match what the host reports:
 * its attributes, its `stats` and nested `cpu_info` fields, with extra_specs_ops operators.
 */
export class ComputeCapabilitiesFilter implements HostFilter {
  readonly name = 'ComputeCapabilitiesFilter';
  readonly runOncePerRequest = true;
  hostPasses(host: Args[0], spec: Args[1]): FilterResult {
    for (const [key, wanted] of Object.entries(spec.flavor.extra_specs ?? {})) {
      let scope = key.split(':');
      if (scope.length > 1) {
        if (scope[0] !== 'capabilities') continue;
        scope = scope.slice(1);
      }
      const cap = capability(host, scope);
      if (cap === undefined || cap === null) return `reports no capability ${scope.join(':')} (flavor extra spec ${key})`;
      if (!matchSpec(asText(cap), String(wanted))) return `capability ${scope.join(':')} is ${asText(cap)}, flavor wants '${wanted}'`;
    }
    return true;
  }
}
