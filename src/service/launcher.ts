import { Daemon } from '../daemons/daemon';
import { loadDaemon } from '../daemons';
import { Logger } from '../lib/log';
import { Runtime } from './runtime';

/**
 * Starts daemons in order in one process and stops them in reverse on SIGTERM/SIGINT: each stops
 * taking work and finishes what it holds; the process exits 0, or 1 past graceful_shutdown_timeout.
 */
export class Launcher {
  readonly daemons: Daemon[] = [];
  private stopping?: Promise<void>;

  constructor(readonly rt: Runtime, private log: Logger) {}

  async start(names: string[]): Promise<void> {
    try {
      for (const name of names) {
        const daemon = await loadDaemon(name)(this.rt);
        await daemon.start();
        this.daemons.push(daemon);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const d of [...this.daemons].reverse()) {
        await d.stop().catch((e) => this.log.error(`stopping ${d.name}: ${e.message}`));
      }
      await this.rt.close();
    })();
    return this.stopping;
  }

  /** Exits the process cleanly on SIGTERM/SIGINT. */
  handleSignals(): void {
    const onSignal = (sig: string) => {
      this.log.info(`${sig} received: draining`);
      const limit = this.rt.conf.DEFAULT.graceful_shutdown_timeout;
      const timer = limit > 0 ? setTimeout(() => { this.log.error(`still draining after ${limit}s (graceful_shutdown_timeout): exiting`); process.exit(1); }, limit * 1000) : undefined;
      timer?.unref();
      this.stop().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', () => onSignal('SIGTERM'));
    process.once('SIGINT', () => onSignal('SIGINT'));
  }
}
