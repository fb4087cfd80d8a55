import { HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Removes hosts a build already failed on (rescheduling). */
export class RetryFilter implements HostFilter {
  readonly name = 'RetryFilter';
  readonly runOncePerRequest = true;
  hostPasses(host: Args[0], spec: Args[1]): true | string {
    const tried = spec.retry?.hosts?.some(([h, n]) => h === host.host && n === host.nodename);
    return tried ? 'build already failed there' : true;
  }
}
