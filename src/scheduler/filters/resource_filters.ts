import { freeDiskGb, freeRamMb, freeVcpus } from '../host_state';
import { HostFilter, requested } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Passes hosts with enough RAM under ram_allocation_ratio. */
export class RamFilter implements HostFilter {
  readonly name = 'RamFilter';
  hostPasses(host: Args[0], spec: Args[1]): true | string {
    const need = requested(spec).memory_mb;
    const free = freeRamMb(host);
    return need <= free ? true : `needs ${need} MB RAM, ${Math.floor(free)} MB free`;
  }
}

/** Passes hosts with enough vCPUs under cpu_allocation_ratio. */
export class CoreFilter implements HostFilter {
  readonly name = 'CoreFilter';
  hostPasses(host: Args[0], spec: Args[1]): true | string {
    const need = requested(spec).vcpus;
    const free = freeVcpus(host);
    return need <= free ? true : `needs ${need} vCPUs, ${Math.floor(free)} free`;
  }
}

/** Passes hosts with enough disk under disk_allocation_ratio. */
export class DiskFilter implements HostFilter {
  readonly name = 'DiskFilter';
  hostPasses(host: Args[0], spec: Args[1]): true | string {
    const need = requested(spec).disk_gb;
    const free = freeDiskGb(host);
    return need <= free ? true : `needs ${need} GB disk, ${Math.floor(free)} GB free`;
  }
}
