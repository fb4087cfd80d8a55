import { NetworkManager } from '../network/manager';
import { managerKind } from '../network/managers';
import { NETWORK_TOPIC, NetworkAPIClient } from '../network/rpcapi';
import { Service } from '../service/service';
import { DaemonFactory, serviceDaemon } from './daemon';

/** nova-network: Flat, FlatDHCP or VLAN networking of this host ([DEFAULT] network_manager). Uses the database. */
export const create: DaemonFactory = async (rt) => {
  await rt.database();
  const log = rt.log.child('network');
  const transport = await rt.transport();
  const manager = new NetworkManager({
    conf: rt.conf, log, host: rt.host, kind: managerKind(rt.conf),
    rpc: async () => rt.shared('network-rpc', () => new NetworkAPIClient(transport, rt.rpcTimeoutMs)),
  });
  return serviceDaemon('network', new Service({
    binary: 'nova-network', topic: NETWORK_TOPIC, host: rt.host, managers: [manager], transport,
    registry: rt.dbRegistry(), reportInterval: rt.conf.DEFAULT.report_interval, log,
  }));
};
