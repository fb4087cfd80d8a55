import { HostFilter } from './filter';

/** Passes hosts whose compute service is enabled and up. */
export class ComputeFilter implements HostFilter {
  readonly name = 'ComputeFilter';
  readonly runOncePerRequest = true;
  hostPasses(host: Parameters<HostFilter['hostPasses']>[0]): true | string {
    if (!host.service) return 'no compute service';
    if (host.service.disabled) return 'compute service disabled';
    if (!host.service.up) return 'compute service down';
    return true;
  }
}
