import { NovaConf } from '../../conf/schema';
import { freeDiskGb, freeRamMb, freeVcpus, HostState } from '../host_state';
import { HostWeigher } from './weigher';

/** More free RAM weighs more (spreads); a negative multiplier stacks. */
export class RAMWeigher implements HostWeigher {
  readonly name = 'RAMWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = conf.filter_scheduler.ram_weight_multiplier; }
  weigh(h: HostState): number { return freeRamMb(h); }
}

export class CPUWeigher implements HostWeigher {
  readonly name = 'CPUWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = conf.filter_scheduler.cpu_weight_multiplier; }
  weigh(h: HostState): number { return freeVcpus(h); }
}

export class DiskWeigher implements HostWeigher {
  readonly name = 'DiskWeigher';
  readonly multiplier: number;
  constructor(conf: NovaConf) { this.multiplier = conf.filter_scheduler.disk_weight_multiplier; }
  weigh(h: HostState): number { return freeDiskGb(h); }
}
