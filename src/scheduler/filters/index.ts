import { NovaConf } from '../../conf/schema';
import { AvailabilityZoneFilter } from './availability_zone_filter';
import { ComputeFilter } from './compute_filter';
import { HostFilter } from './filter';
import { CoreFilter, DiskFilter, RamFilter } from './resource_filters';
import { RetryFilter } from './retry_filter';
import { ComputeCapabilitiesFilter } from './compute_capabilities_filter';
import { ImagePropertiesFilter } from './image_properties_filter';
import { DifferentHostFilter, SameHostFilter } from './affinity_hint_filters';
import { IsolatedHostsFilter } from './isolated_hosts_filter';
import { AggregateInstanceExtraSpecsFilter, AggregateMultiTenancyIsolation } from './aggregate_filters';
import { ServerGroupAffinityFilter, ServerGroupAntiAffinityFilter } from './server_group_filters';
import { IoOpsFilter, NumInstancesFilter } from './load_filters';

/** Every filter class by the name used in `[filter_scheduler] enabled_filters`. */
export const FILTERS: Record<string, new (conf: NovaConf) => HostFilter> = {
  ComputeFilter, RamFilter, CoreFilter, DiskFilter, AvailabilityZoneFilter, RetryFilter,
  ComputeCapabilitiesFilter, ImagePropertiesFilter, SameHostFilter, DifferentHostFilter, IsolatedHostsFilter,
  AggregateInstanceExtraSpecsFilter, AggregateMultiTenancyIsolation, ServerGroupAffinityFilter,
  ServerGroupAntiAffinityFilter, NumInstancesFilter, IoOpsFilter,
};

/** Filters that always run: RetryFilter keeps a reschedule off the hosts that already failed. */
const ALWAYS = ['RetryFilter'];

export function loadFilters(conf: NovaConf): HostFilter[] {
  const names = [...ALWAYS, ...conf.filter_scheduler.enabled_filters.filter((n) => !ALWAYS.includes(n))];
  return names.map((name) => {
    const cls = FILTERS[name];
    if (!cls) {
      throw new Error(`[filter_scheduler] enabled_filters names unknown filter '${name}' (known: ${Object.keys(FILTERS).sort().join(', ')})`);
    }
    return new cls(conf);
  });
}
