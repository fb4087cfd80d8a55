import { Runtime } from '../service/runtime';
import { Service } from '../service/service';

/** One daemon of the `nova daemon NAME` family: starts, serves, stops cleanly. */
export interface Daemon {
  readonly name: string;
  start(): Promise<void>;
  /** Stop taking work, finish what is in hand, release resources. */
  stop(): Promise<void>;
}

export type DaemonFactory = (rt: Runtime) => Promise<Daemon>;

/** A daemon that is one RPC service (conductor, scheduler, compute, ...). */
export function serviceDaemon(name: string, service: Service): Daemon {
  return { name, start: () => service.start(), stop: () => service.stop() };
}
