import { NovaConf } from '../../conf/schema';
import { HostState } from '../host_state';
import { HostWeigher } from './weigher';

/** Busy hosts weigh less with the default negative multiplier (Nova's IoOpsWeigher). */
export class IoOpsWeigher implements HostWeigher {
  readonly name = 'IoOpsWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = conf.filter_scheduler.io_ops_weight_multiplier; }
  weigh(h: HostState): number { return h.num_io_ops; }
}

/** More instances weigh more; off by default, a negative multiplier spreads by instance count. */
export class NumInstancesWeigher implements HostWeigher {
  readonly name = 'NumInstancesWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = conf.filter_scheduler.num_instances_weight_multiplier; }
  weigh(h: HostState): number { return h.num_instances; }
}

/** Hosts where builds failed recently weigh less: the configured multiplier is applied negated. */
export class BuildFailureWeigher implements HostWeigher {
  readonly name = 'BuildFailureWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = -conf.filter_scheduler.build_failure_weight_multiplier; }
  weigh(h: HostState): number { return h.failed_builds; }
}
