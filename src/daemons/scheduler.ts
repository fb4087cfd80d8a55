import { SchedulerManager } from '../scheduler/manager';
import { SCHEDULER_TOPIC } from '../scheduler/rpcapi';
import { Service } from '../service/service';
import { DaemonFactory, serviceDaemon } from './daemon';

/** nova-scheduler: picks and claims hosts for builds and moves. */
export const create: DaemonFactory = async (rt) => {
  await rt.database();
  const log = rt.log.child('scheduler');
  return serviceDaemon('scheduler', new Service({
    binary: 'nova-scheduler', topic: SCHEDULER_TOPIC, host: rt.host, managers: [new SchedulerManager(rt.conf, log)],
    transport: await rt.transport(), registry: rt.dbRegistry(), reportInterval: rt.conf.DEFAULT.report_interval, log,
  }));
};
