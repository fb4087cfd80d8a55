import { consoleProxyFanout } from '../console/proxy_rpc';
import { ConsoleAuthManager } from '../consoleauth/manager';
import { CONSOLEAUTH_TOPIC } from '../consoleauth/rpcapi';
import { Service } from '../service/service';
import { DaemonFactory, serviceDaemon } from './daemon';

/** nova-consoleauth: issues and checks console tokens (stored hashed in the database). */
export const create: DaemonFactory = async (rt) => {
  await rt.database();
  const log = rt.log.child('consoleauth');
  const transport = await rt.transport();
  const manager = new ConsoleAuthManager({
    tokenTtl: rt.conf.consoleauth.token_ttl, cleanupInterval: rt.conf.DEFAULT.periodic_interval, log,
    proxies: consoleProxyFanout(transport, rt.rpcTimeoutMs),
  });
  return serviceDaemon('consoleauth', new Service({
    binary: 'nova-consoleauth', topic: CONSOLEAUTH_TOPIC, host: rt.host, managers: [manager], transport,
    registry: rt.dbRegistry(), reportInterval: rt.conf.DEFAULT.report_interval, log,
  }));
};
