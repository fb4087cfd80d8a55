/** Runs at most `size` tasks at once; the rest wait in order. */
export class Semaphore {
  private active = 0;
  private waiting: Array<() => void> = [];
  constructor(private size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
