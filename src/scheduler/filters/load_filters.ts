import { NovaConf } from '../../conf/schema';
import { FilterResult, HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Hosts with `max_instances_per_host` instances or more take no more. */
export class NumInstancesFilter implements HostFilter {
  readonly name = 'NumInstancesFilter';
  constructor(private conf: NovaConf) {}
  hostPasses(host: Args[0]): FilterResult {
    const max = this.conf.filter_scheduler.max_instances_per_host;
    return host.num_instances < max ? true : `has ${host.num_instances} instances (max_instances_per_host ${max})`;
  }
}

/** Hosts busy with `max_io_ops_per_host` IO-heavy operations (builds, resizes, snapshots...) take no more. */
export class IoOpsFilter implements HostFilter {
  readonly name = 'IoOpsFilter';
  constructor(private conf: NovaConf) {}
  hostPasses(host: Args[0]): FilterResult {
    const max = this.conf.filter_scheduler.max_io_ops_per_host;
    return host.num_io_ops < max ? true : `has ${host.num_io_ops} IO operations (max_io_ops_per_host ${max})`;
  }
}
