import { Logger } from '../lib/log';

export interface PeriodicTask {
  name: string;
  /** Seconds between the end of one run and the start of the next. */
  spacing: number;
  /** Run once at start instead of waiting a full spacing first. */
  runImmediately?: boolean;
  run(): Promise<void>;
}

/** Runs periodic tasks, never two runs of one task at once, and stops them cleanly. */
export class PeriodicRunner {
  private timers = new Map<string, NodeJS.Timeout>();
  private running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private log: Logger) {}

  start(tasks: PeriodicTask[]): void {
    for (const t of tasks) this.schedule(t, t.runImmediately ? 0 : t.spacing * 1000);
  }

  private schedule(t: PeriodicTask, delay: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const p = t.run()
        .catch((e) => this.log.error(`periodic task ${t.name} failed: ${e?.message ?? e}`))
        .finally(() => { this.running.delete(p); this.schedule(t, t.spacing * 1000); });
      this.running.add(p);
    }, delay);
    timer.unref();
    this.timers.set(t.name, timer);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    await Promise.all([...this.running]);
  }
}
