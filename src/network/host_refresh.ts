import { RequestContext } from '../context';
import { serviceGetByHostAndBinary } from '../db/api/services';
import { Logger } from '../lib/log';
import { isServiceUp } from '../service/servicegroup';
import { NetworkAPIClient } from './rpcapi';

export const NETWORK_BINARY = 'nova-network';

/** A host's own way to apply its plan, when the caller is that host's network service. */
export interface LocalSync { host: string; sync(): Promise<unknown> }

/**
 * After a database change, makes the hosts concerned apply it: this host directly, others through
 * their network service (`refresh_host` sent to that server). A host whose service is down is
 * skipped: it rebuilds everything from the database when it starts.
 */
export class HostRefresher {
  constructor(
    private client: () => Promise<NetworkAPIClient>,
    private local: LocalSync | null,
    private serviceDownTime: number,
    private log: Logger,
  ) {}

  async refresh(ctx: RequestContext, hosts: Iterable<string | null | undefined>, reason: string): Promise<void> {
    for (const host of new Set([...hosts].filter((h): h is string => !!h))) {
      if (this.local && host === this.local.host) {
        await this.local.sync();
        continue;
      }
      const service = await serviceGetByHostAndBinary(host, NETWORK_BINARY);
      if (!service || !isServiceUp(service, this.serviceDownTime)) {
        this.log.warn(`nova-network on ${host} is not up: ${reason} is applied there when it starts`);
        continue;
      }
      await (await this.client()).to(host).refresh_host(ctx, { reason });
    }
  }
}
