import { FilterResult, HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Hard affinity: once the group has a member somewhere, every other member goes to those hosts. */
export class ServerGroupAffinityFilter implements HostFilter {
  readonly name = 'ServerGroupAffinityFilter';
  hostPasses(host: Args[0], spec: Args[1], ctx: Args[2]): FilterResult {
    if (spec.instance_group?.policy !== 'affinity') return true;
    const hosts = ctx.groupHosts ?? new Map();
    if (hosts.size === 0) return true;
    return hosts.has(host.host) ? true : `server group ${spec.instance_group.uuid} (affinity) is on ${[...hosts.keys()].join(', ')}`;
  }
}

/**
 * Hard anti-affinity: a host takes fewer than `max_server_per_host` members of the group (rule
 * of microversion 2.64; 1 without it).
 */
export class ServerGroupAntiAffinityFilter implements HostFilter {
  readonly name = 'ServerGroupAntiAffinityFilter';
  hostPasses(host: Args[0], spec: Args[1], ctx: Args[2]): FilterResult {
    const group = spec.instance_group;
    if (group?.policy !== 'anti-affinity') return true;
    const max = Number(group.rules?.max_server_per_host ?? 1) || 1;
    const here = ctx.groupHosts?.get(host.host) ?? 0;
    return here < max ? true : `already has ${here} member(s) of anti-affinity server group ${group.uuid} (max_server_per_host ${max})`;
  }
}
