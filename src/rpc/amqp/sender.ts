import type { Delivery, EventContext, Message, Sender, Session } from 'rhea';
import { Logger } from '../../lib/log';
import { TransportError } from '../errors';
import { BrokerConnection, describeError, refusalHint } from './connection';

/** One message on its way to the broker, settled once: by the broker's `accepted`, or with an error. */
export class Outgoing {
  private finished = false;
  private timer?: NodeJS.Timeout;
  /** True once the broker accepted it (the message is in a queue, or dropped as unroutable). */
  confirmed = false;

  constructor(readonly message: Message, private readonly onDone: (err?: Error) => void) {}

  get done(): boolean { return this.finished; }

  /** Gives up after `ms` with the error `why()` returns (unless settled before). */
  expireAfter(ms: number, why: () => Error): this {
    this.timer = setTimeout(() => this.finish(why()), ms);
    return this;
  }

  finish(err?: Error): void {
    if (this.finished) return;
    this.finished = true;
    if (!err) this.confirmed = true;
    clearTimeout(this.timer);
    this.onDone(err);
  }
}

/** A broker refusal that will not go away by retrying (the queue exists with other settings, access). */
function senderRefusal(address: string, ctx: EventContext, display: string): TransportError | undefined {
  const error = ctx.sender?.error ?? ctx.session?.error;
  if (!error) return undefined;
  const text = describeError(error);
  return new TransportError(`the message broker at ${display} refused to send to ${address}: ${text}${refusalHint(text)}`);
}

/**
 * The sending link for one address, on its own session. Messages wait in `waiting` until the link
 * has credit; sent ones stay in `unconfirmed` until the broker answers. When the connection drops,
 * unconfirmed messages go back to the head of the queue and are sent again on the next connection:
 * at-least-once, so a receiver may see a message twice, never zero times.
 */
class SenderLink {
  private link?: Sender;
  private session?: Session;
  private waiting: Outgoing[] = [];
  private unconfirmed = new Map<Delivery, Outgoing>();
  private retryTimer?: NodeJS.Timeout;

  constructor(
    readonly address: string,
    private readonly durable: boolean,
    private readonly broker: BrokerConnection,
    private readonly display: string,
    private readonly log: Logger,
  ) {}

  get idle(): boolean { return this.waiting.length === 0 && this.unconfirmed.size === 0; }

  enqueue(o: Outgoing): void {
    this.waiting.push(o);
    this.flush();
  }

  /** The connection dropped: the link is gone, and whatever the broker did not confirm is resent. */
  disconnected(): void {
    this.link = undefined;
    this.session = undefined;
    this.requeueUnconfirmed();
  }

  close(): void {
    clearTimeout(this.retryTimer);
    const s = this.session;
    this.link = undefined;
    this.session = undefined;
    if (s && this.broker.connected) s.close();
  }

  flush(): void {
    if (!this.link) {
      this.waiting = this.waiting.filter((o) => !o.done); // given up on while we waited
      if (this.waiting.length > 0) this.attach();
      return;
    }
    const link = this.link;
    while (this.waiting.length > 0 && link.sendable()) {
      const o = this.waiting.shift()!;
      if (o.done) continue;
      this.unconfirmed.set(link.send(o.message), o);
    }
  }

  private attach(): void {
    if (!this.broker.connected) return; // sent when the connection is back
    const session = this.broker.session();
    const link = session.open_sender({ target: { address: this.address, durable: this.durable ? 2 : 0 } });
    this.session = session;
    this.link = link;
    const mine = () => this.link === link;
    link.on('sendable', () => { if (mine()) this.flush(); });
    link.on('accepted', (ctx: EventContext) => this.settled(ctx.delivery!)?.finish());
    link.on('rejected', (ctx: EventContext) => {
      const error = (ctx.delivery?.remote_state as { error?: unknown } | undefined)?.error;
      this.settled(ctx.delivery!)?.finish(new TransportError(`the message broker at ${this.display} rejected a message to ${this.address}: ${describeError(error)}`));
    });
    link.on('released', (ctx: EventContext) => {
      // The broker could not take it now (e.g. a queue limit): try again shortly.
      const o = this.settled(ctx.delivery!);
      if (o && !o.done) { this.waiting.unshift(o); this.retryLater(); }
    });
    const detached = (ctx: EventContext) => {
      if (!mine()) return;
      this.link = undefined;
      this.session = undefined;
      const refusal = senderRefusal(this.address, ctx, this.display);
      if (refusal) {
        // Retrying cannot help: fail what waits for this address now, not at its deadline.
        for (const o of [...this.unconfirmed.values(), ...this.waiting]) o.finish(refusal);
        this.unconfirmed.clear();
        this.waiting = [];
        this.log.error(refusal.message);
        session.close();
        return;
      }
      this.requeueUnconfirmed();
      this.retryLater();
    };
    link.on('sender_error', detached);
    link.on('sender_close', detached);
    session.on('session_error', detached);
    session.on('session_close', detached);
  }

  private settled(d: Delivery): Outgoing | undefined {
    const o = this.unconfirmed.get(d);
    this.unconfirmed.delete(d);
    return o;
  }

  private requeueUnconfirmed(): void {
    const again = [...this.unconfirmed.values()].filter((o) => !o.done);
    this.unconfirmed.clear();
    this.waiting = [...again, ...this.waiting];
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.flush(), 200);
  }
}

/** Keeps this many idle sending links open; the least recently used idle ones beyond it are closed. */
const MAX_IDLE_SENDERS = 128;

/** One sending link per address, made on first use and re-made after a reconnect. */
export class SenderPool {
  private links = new Map<string, SenderLink>();

  constructor(private readonly broker: BrokerConnection, private readonly display: string, private readonly log: Logger) {}

  /** Queues `o` for `address`; `o` settles when the broker accepts it or its deadline passes. */
  send(address: string, durable: boolean, o: Outgoing): void {
    let link = this.links.get(address);
    if (link) {
      this.links.delete(address); // re-insert: the Map's order is the recency order
    } else {
      link = new SenderLink(address, durable, this.broker, this.display, this.log);
    }
    this.links.set(address, link);
    link.enqueue(o);
    if (this.links.size > MAX_IDLE_SENDERS) this.trim();
  }

  /** True while some message waits to be sent or confirmed. */
  get busy(): boolean {
    for (const l of this.links.values()) if (!l.idle) return true;
    return false;
  }

  connected(): void { for (const l of this.links.values()) l.flush(); }
  disconnected(): void { for (const l of this.links.values()) l.disconnected(); }
  close(): void { for (const l of this.links.values()) l.close(); this.links.clear(); }

  private trim(): void {
    for (const [address, l] of this.links) {
      if (this.links.size <= MAX_IDLE_SENDERS) return;
      if (l.idle) { l.close(); this.links.delete(address); }
    }
  }
}
