import { CertManager } from '../cert/manager';
import { CERT_TOPIC } from '../cert/rpcapi';
import { Service } from '../service/service';
import { DaemonFactory, serviceDaemon } from './daemon';

/** nova-cert: the X.509 certificate authority (EC2 bundles, os-certificates). Runs where the database is. */
export const create: DaemonFactory = async (rt) => {
  await rt.database();
  const log = rt.log.child('cert');
  return serviceDaemon('cert', new Service({
    binary: 'nova-cert', topic: CERT_TOPIC, host: rt.host, managers: [new CertManager(rt.conf.crypto, log)],
    transport: await rt.transport(), registry: rt.dbRegistry(), reportInterval: rt.conf.DEFAULT.report_interval, log,
  }));
};
