import { BuildRequest } from '../../compute/build';
import { NovaConf } from '../../conf/schema';
import { HostState } from '../host_state';
import { HostWeigher } from './weigher';

/** Members of the request's group already on the host, when the group has `policy`. */
function membersOn(h: HostState, spec: BuildRequest, policy: string): number {
  const group = spec.instance_group;
  if (!group || group.policy !== policy) return 0;
  // This request's own instances are members too, once placed.
  const members = new Set([...(group.members ?? []), ...spec.instance_uuids]);
  return [...h.instance_uuids].filter((u) => members.has(u)).length;
}

/** soft-affinity: hosts with more members of the group weigh more. */
export class ServerGroupSoftAffinityWeigher implements HostWeigher {
  readonly name = 'ServerGroupSoftAffinityWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = conf.filter_scheduler.soft_affinity_weight_multiplier; }
  weigh(h: HostState, spec: BuildRequest): number { return membersOn(h, spec, 'soft-affinity'); }
}

/** soft-anti-affinity: hosts with more members of the group weigh less. */
export class ServerGroupSoftAntiAffinityWeigher implements HostWeigher {
  readonly name = 'ServerGroupSoftAntiAffinityWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = conf.filter_scheduler.soft_anti_affinity_weight_multiplier; }
  weigh(h: HostState, spec: BuildRequest): number { return -membersOn(h, spec, 'soft-anti-affinity'); }
}
