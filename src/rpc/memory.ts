import { MessagingTimeout, TransportError } from './errors';
import { Envelope, Handler, ListenOptions, Reply, Subscription, Target, Transport } from './types';

interface Delivery {
  env: string; // serialized, so nothing is shared by reference: the same discipline as a wire
  reply?: (r: Reply) => void;
}

class Consumer {
  inFlight = 0;
  closed = false;
  private idle: Array<() => void> = [];
  constructor(readonly handler: Handler, readonly prefetch: number) {}
  get ready(): boolean { return !this.closed && this.inFlight < this.prefetch; }
  done(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const f of this.idle.splice(0)) f();
  }
  drained(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((r) => this.idle.push(r));
  }
}

/** A queue with competing consumers; messages wait in it until a consumer has room. */
class Queue {
  readonly messages: Delivery[] = [];
  readonly consumers: Consumer[] = [];
  private next = 0;

  push(d: Delivery): void {
    this.messages.push(d);
    this.pump();
  }

  pump(): void {
    while (this.messages.length > 0) {
      const c = this.pick();
      if (!c) return;
      const d = this.messages.shift()!;
      c.inFlight++;
      // Run on a later tick, as a broker delivery would, so a caller never re-enters itself.
      setImmediate(() => {
        c.handler(JSON.parse(d.env) as Envelope)
          .then((reply) => d.reply?.(JSON.parse(JSON.stringify(reply ?? {})) as Reply))
          .catch((e) => d.reply?.({ failure: { class: 'TransportError', message: String(e?.message ?? e) } }))
          .finally(() => { c.done(); this.pump(); });
      });
    }
  }

  private pick(): Consumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const c = this.consumers[(this.next + i) % n];
      if (c.ready) { this.next = (this.next + i + 1) % n; return c; }
    }
    return undefined;
  }
}

/**
 * The in-process transport (`memory://`) for the embedded single-process mode and for tests: the
 * same addressing as the broker (work queues, per-server queues, fanout), no network.
 */
export class MemoryTransport implements Transport {
  private queues = new Map<string, Queue>();
  private fanouts = new Map<string, Set<Queue>>();
  private running = false;

  constructor(readonly url = 'memory://') {}

  async start(): Promise<void> { this.running = true; }

  async stop(): Promise<void> {
    this.running = false;
    const fanoutQueues = [...this.fanouts.values()].flatMap((set) => [...set]);
    const all = [...this.queues.values(), ...fanoutQueues].flatMap((q) => q.consumers);
    all.forEach((c) => { c.closed = true; });
    await Promise.all(all.map((c) => c.drained()));
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) { q = new Queue(); this.queues.set(name, q); }
    return q;
  }

  private static address(t: Target): string {
    return t.server ? `${t.topic}.${t.server}` : t.topic;
  }

  async listen(target: Target, handler: Handler, opts: ListenOptions = {}): Promise<Subscription> {
    const consumer = new Consumer(handler, opts.prefetch ?? 64);
    if (target.fanout) {
      // Each fanout subscriber has a queue of its own, as a broker gives each subscription.
      const set = this.fanouts.get(target.topic) ?? new Set<Queue>();
      this.fanouts.set(target.topic, set);
      const own = new Queue();
      own.consumers.push(consumer);
      set.add(own);
      return { close: async () => { consumer.closed = true; set.delete(own); await consumer.drained(); } };
    }
    const q = this.queue(MemoryTransport.address(target));
    q.consumers.push(consumer);
    q.pump();
    return {
      close: async () => {
        consumer.closed = true;
        q.consumers.splice(q.consumers.indexOf(consumer), 1);
        await consumer.drained();
      },
    };
  }

  private deliver(target: Target, d: Delivery): void {
    if (!this.running) throw new TransportError(`transport ${this.url} is not started`);
    if (target.fanout) {
      for (const q of this.fanouts.get(target.topic) ?? []) q.push({ env: d.env });
      return;
    }
    this.queue(MemoryTransport.address(target)).push(d);
  }

  async cast(target: Target, env: Envelope): Promise<void> {
    this.deliver(target, { env: JSON.stringify(env) });
  }

  call(target: Target, env: Envelope, timeoutMs: number): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new MessagingTimeout(target, env.method, timeoutMs));
      }, timeoutMs);
      try {
        this.deliver(target, {
          env: JSON.stringify(env),
          reply: (r) => { if (!settled) { settled = true; clearTimeout(timer); resolve(r); } },
        });
      } catch (e) {
        clearTimeout(timer);
        reject(e);
      }
    });
  }
}
