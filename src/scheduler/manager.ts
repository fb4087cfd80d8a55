import { BuildRequest } from '../compute/build';
import { NovaConf } from '../conf/schema';
import { RequestContext } from '../context';
import { Logger } from '../lib/log';
import { Semaphore } from '../lib/semaphore';
import { Manager } from '../service/service';
import { Decision, FilterScheduler } from './filter_scheduler';
import { HostManager } from './host_manager';
import { SchedulerMethods } from './rpcapi';

export class SchedulerManager implements Manager, SchedulerMethods {
  readonly rpcTarget = { version: '4.0' };
  readonly scheduler: FilterScheduler;
  /**
   * One decision at a time in this process: each one then sees the claims of the one before, so
   * concurrent requests spread over hosts instead of all choosing the same best one (Nova updates
   * its cached host states under a lock for the same reason). Claims stay atomic across processes.
   */
  private decisions = new Semaphore(1);

  constructor(conf: NovaConf, private log: Logger) {
    this.scheduler = new FilterScheduler(conf, new HostManager(conf));
  }

  async select_destinations(ctx: RequestContext, a: { request: BuildRequest }): Promise<Decision> {
    const d = await this.decisions.run(() => this.scheduler.select(a.request));
    this.log.debug(`placed ${a.request.instance_uuids.length} instance(s) on ${d.selections.map((s) => s.host).join(', ')}`, { request_id: ctx.request_id });
    return d;
  }
}
