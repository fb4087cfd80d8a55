import { BuildRequest } from '../../compute/build';
import { HostState } from '../host_state';

/** What a filter says of a host: it passes, or why not. */
export type FilterResult = true | string;

/** One scheduler filter (nova/scheduler/filters): a host passes or is removed, with a reason. */
export interface HostFilter {
  readonly name: string;
  /** True for filters whose answer is the same for every instance of a request. */
  readonly runOncePerRequest?: boolean;
  hostPasses(host: HostState, spec: BuildRequest, ctx: FilterContext): FilterResult;
}

/** Per-request facts filters may need beyond the host and the spec. */
export interface FilterContext {
  /** The instance being placed (for server-group and hint filters). */
  instanceUuid: string;
  /** Hosts already chosen for earlier instances of the same request. */
  chosenHosts: string[];
  /** Hosts running members of the request's server group, with how many each (affinity filters). */
  groupHosts?: Map<string, number>;
}

/** The flavor's resources as a claim counts them. */
export function requested(spec: BuildRequest): { vcpus: number; memory_mb: number; disk_gb: number } {
  const f = spec.flavor;
  return { vcpus: f.vcpus, memory_mb: f.memory_mb, disk_gb: f.root_gb + f.ephemeral_gb + Math.ceil((f.swap ?? 0) / 1024) };
}
