import { NetworkManager } from '../network/manager';
import { managerKind } from '../network/managers';
import { NETWORK_TOPIC, NetworkAPIClient } from '../network/rpcapi';
import { Service } from '../service/service';
import { DaemonFactory, serviceDaemon } from './daemon';

/**
 * nova-network: Flat, FlatDHCP or VLAN networking of this host ([DEFAULT] network_manager). Uses the
 * database. Not root (a developer's `npm start`): it does not start, and instances are built without
 * network, as in a cloud without nova-network.
 */
export const create: DaemonFactory = async (rt) => {
  const log = rt.log.child('network');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    const why = 'nova-network not started: it must run as root (it manages bridges, iptables and dnsmasq); instances are built without network';
    return { name: 'network', async start() { log.warn(why); }, async stop() {} };
  }
  await rt.database();
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
