import { ComputeManager } from '../compute/manager';
import { COMPUTE_TOPIC } from '../compute/rpcapi';
import { loadComputeDriver } from '../drivers';
import { ComputeNetworkAPI } from '../network/api';
import { NetworkAPIClient } from '../network/rpcapi';
import { Service } from '../service/service';
import { DaemonFactory, serviceDaemon } from './daemon';

/** nova-compute: runs guests through the configured driver. Never opens the database. */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('compute');
  const transport = await rt.transport();
  const manager = new ComputeManager({
    conf: rt.conf, log, host: rt.host, driver: loadComputeDriver(rt.conf, log), conductor: await rt.conductor(),
    compute: await rt.compute(), images: () => rt.imageService(), consoleauth: await rt.consoleauth(),
    network: new ComputeNetworkAPI(rt.conf, async () => rt.shared('network-rpc', () => new NetworkAPIClient(transport, rt.rpcTimeoutMs)), await rt.conductor(), log),
  });
  return serviceDaemon('compute', new Service({
    binary: 'nova-compute', topic: COMPUTE_TOPIC, host: rt.host, managers: [manager], transport: await rt.transport(),
    registry: await rt.conductorRegistry(), reportInterval: rt.conf.DEFAULT.report_interval, log,
    prefetch: rt.conf.DEFAULT.max_concurrent_builds * 4,
  }));
};
