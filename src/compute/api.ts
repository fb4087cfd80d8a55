import { NovaConf } from '../conf/schema';
import { Logger } from '../lib/log';
import { Runtime } from '../service/runtime';
import { HostAPI } from './host_api';

/**
 * The compute service's API side (Nova's compute/api.py): what REST controllers call. It checks
 * state and quota, records the instance action, sets the task state, then sends the work.
 */
export class ComputeAPI {
  readonly hosts: HostAPI;
  constructor(readonly rt: Runtime, readonly conf: NovaConf, readonly log: Logger) {
    this.hosts = new HostAPI(conf, () => rt.compute());
  }
}
