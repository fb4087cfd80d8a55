import { NovaConf } from '../../conf/schema';
import { FilterResult, HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/**
 * `isolated_images` run only on `isolated_hosts`; with restrict_isolated_hosts_to_isolated_images
 * (the default) isolated hosts also take nothing else.
 */
export class IsolatedHostsFilter implements HostFilter {
  readonly name = 'IsolatedHostsFilter';
  readonly runOncePerRequest = true;
  constructor(private conf: NovaConf) {}
  hostPasses(host: Args[0], spec: Args[1]): FilterResult {
    const { isolated_images: images, isolated_hosts: hosts, restrict_isolated_hosts_to_isolated_images: restrict } = this.conf.filter_scheduler;
    if (images.length === 0 && hosts.length === 0) return true;
    const imageIsolated = images.includes(spec.image?.id);
    const hostIsolated = hosts.includes(host.host);
    if (restrict) {
      if (imageIsolated === hostIsolated) return true;
      return hostIsolated ? 'isolated host, image is not isolated' : 'image is isolated, host is not';
    }
    return !imageIsolated || hostIsolated ? true : 'image is isolated, host is not';
  }
}
