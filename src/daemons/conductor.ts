import { ComputeTaskManager, ConductorManager } from '../conductor/manager';
import { CONDUCTOR_TOPIC } from '../conductor/rpcapi';
import { Service } from '../service/service';
import { DaemonFactory, serviceDaemon } from './daemon';

/** nova-conductor: the database proxy for compute hosts and the build orchestrator. */
export const create: DaemonFactory = async (rt) => {
  await rt.database();
  const log = rt.log.child('conductor');
  const tasks = new ComputeTaskManager(rt.conf, log, await rt.scheduler(), await rt.compute());
  return serviceDaemon('conductor', new Service({
    binary: 'nova-conductor', topic: CONDUCTOR_TOPIC, host: rt.host, managers: [new ConductorManager(), tasks],
    transport: await rt.transport(), registry: rt.dbRegistry(), reportInterval: rt.conf.DEFAULT.report_interval, log,
  }));
};
