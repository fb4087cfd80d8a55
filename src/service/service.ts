import { adminContext, RequestContext } from '../context';
import { Logger } from '../lib/log';
import { Endpoint, RpcServer } from '../rpc/server';
import { Transport } from '../rpc/types';
import { PeriodicRunner, PeriodicTask } from './periodic';

export interface ServiceRecord {
  id: number;
  uuid: string;
  host: string;
  binary: string;
  topic: string | null;
  disabled: boolean;
  report_count: number;
}

/** How a service registers and heartbeats: directly in the database, or through the conductor. */
export interface ServiceRegistry {
  register(ctx: RequestContext, s: { host: string; binary: string; topic: string | null }): Promise<ServiceRecord>;
  heartbeat(ctx: RequestContext, serviceId: number): Promise<void>;
}

/** The work of one service, exposed over RPC. */
export interface Manager extends Endpoint {
  /**
   * Runs first, before the service registers (Nova's init_host): connect to what the service drives.
   * A failure leaves the service's row as it was, so a service that cannot start is never shown up.
   */
  prepareHost?(): Promise<void>;
  /** Runs once registered, before the service takes messages (report resources, resume work, ...). */
  initHost?(service: ServiceRecord): Promise<void>;
  /** Periodic tasks of this manager. */
  periodicTasks?(): PeriodicTask[];
  /** Runs after the service stopped taking messages and finished the ones in hand. */
  cleanupHost?(): Promise<void>;
}

export type ServiceState = 'created' | 'starting' | 'running' | 'draining' | 'stopped' | 'failed';

export interface ServiceOptions {
  binary: string;
  topic: string | null;
  host: string;
  /** The managers whose methods this service exposes (several endpoints may share one topic). */
  managers: Manager[];
  transport: Transport;
  registry: ServiceRegistry;
  reportInterval: number;
  log: Logger;
  prefetch?: number;
}

/**
 * One service's lifecycle: register, take messages, heartbeat, run periodic tasks; on stop, stop
 * taking messages, finish the ones in hand, and stop the tasks. Explicit states, no hidden threads.
 */
export class Service {
  state: ServiceState = 'created';
  record?: ServiceRecord;
  private rpc?: RpcServer;
  private periodic: PeriodicRunner;
  private heartbeatFailures = 0;

  constructor(readonly opts: ServiceOptions) {
    this.periodic = new PeriodicRunner(opts.log);
  }

  get binary(): string { return this.opts.binary; }
  get host(): string { return this.opts.host; }

  async start(): Promise<void> {
    this.state = 'starting';
    const { opts } = this;
    try {
      for (const m of opts.managers) await m.prepareHost?.();
      this.record = await opts.registry.register(adminContext(), { host: opts.host, binary: opts.binary, topic: opts.topic });
      for (const m of opts.managers) await m.initHost?.(this.record);
      if (opts.topic) {
        this.rpc = new RpcServer(opts.transport, { topic: opts.topic, server: opts.host }, opts.managers, opts.log, { prefetch: opts.prefetch });
        await this.rpc.start();
      }
      this.periodic.start([
        { name: 'report_state', spacing: opts.reportInterval, run: () => this.reportState() },
        ...opts.managers.flatMap((m) => m.periodicTasks?.() ?? []),
      ]);
      this.state = 'running';
      opts.log.info(`${opts.binary} started on ${opts.host}${opts.topic ? ` (topic ${opts.topic})` : ''}`);
    } catch (e) {
      this.state = 'failed';
      await this.rpc?.stop().catch(() => undefined);
      await this.periodic.stop();
      throw e;
    }
  }

  private async reportState(): Promise<void> {
    if (!this.record) return;
    try {
      await this.opts.registry.heartbeat(adminContext(), this.record.id);
      if (this.heartbeatFailures > 0) this.opts.log.info(`${this.opts.binary} heartbeat recovered`);
      this.heartbeatFailures = 0;
    } catch (e) {
      this.heartbeatFailures++;
      // One line per failure streak start, then every 10th, so a long outage does not flood the log.
      if (this.heartbeatFailures === 1 || this.heartbeatFailures % 10 === 0) {
        this.opts.log.warn(`${this.opts.binary} heartbeat failed (${this.heartbeatFailures}x): ${(e as Error).message}`);
      }
    }
  }

  /** Stops taking work, finishes what it holds, then stops. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'draining';
    await this.rpc?.stop();
    await this.periodic.stop();
    for (const m of this.opts.managers) await m.cleanupHost?.();
    this.state = 'stopped';
    this.opts.log.info(`${this.opts.binary} stopped on ${this.opts.host}`);
  }
}
