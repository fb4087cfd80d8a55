import type { Delivery, EventContext, Message, Receiver, Session } from 'rhea';
import { Logger } from '../../lib/log';
import { TransportError } from '../errors';
import { BrokerConnection, describeError, refusalHint } from './connection';

export interface ReceiverSpec {
  /** AMQP source address: `/queue/NAME` or `/topic/KEY`. */
  address: string;
  /** Terminus durability; must match every other link to the same queue. */
  durable: boolean;
  /** At most this many messages handed to `handle` and not yet acknowledged. */
  prefetch: number;
}

/** After a refused re-attach (not the first one), try again this much later. */
const REATTACH_DELAY_MS = 5000;

/**
 * A receiving link on its own session that acknowledges a message only once its handler finished,
 * so a message in hand when the process dies or the link drops is redelivered by the broker.
 * Flow control is ours (`credit_window: 0`): rhea's window refills on receipt, which would let more
 * than `prefetch` messages be in hand at once. Credit is given back only when the link has none
 * left: RabbitMQ 3.10's AMQP 1.0 plugin miscounts credit granted while deliveries are in flight and
 * then sends far more than granted (measured: 148 in hand for a prefetch of 8 when topping up by one
 * per acknowledgement). Should it still overshoot, the extra messages wait here, unacknowledged,
 * until a handler slot frees. After a reconnect the link is attached again on the new connection.
 */
export class ReceiverLink {
  private link?: Receiver;
  private session?: Session;
  private inFlight = 0;
  /** Finished handlers whose credit is not yet given back to the broker. */
  private owed = 0;
  /** Messages the broker sent beyond the credit we gave, waiting for a handler slot. */
  private backlog: Array<{ msg: Message; delivery: Delivery; from: Receiver }> = [];
  private grantPending = false;
  private closing = false;
  private idle: Array<() => void> = [];
  private retryTimer?: NodeJS.Timeout;
  private first?: { resolve: () => void; reject: (e: Error) => void };

  constructor(
    readonly spec: ReceiverSpec,
    private readonly handle: (msg: Message) => Promise<void>,
    private readonly broker: BrokerConnection,
    private readonly display: string,
    private readonly log: Logger,
  ) {}

  /** Attaches (now, or once connected); fails if the broker refuses or nothing happens in `timeoutMs`. */
  open(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.first = undefined;
        this.abandon();
        reject(new TransportError(`cannot listen on ${this.spec.address}: the message broker at ${this.display} ` +
          `did not attach it within ${timeoutMs / 1000}s (${this.broker.connected ? 'connected' : this.broker.reason})`));
      }, timeoutMs);
      this.first = {
        resolve: () => { clearTimeout(timer); resolve(); },
        reject: (e) => { clearTimeout(timer); this.abandon(); reject(e); },
      };
      if (this.broker.connected) this.attach();
    });
  }

  connected(): void { if (!this.closing) this.attach(); }

  disconnected(): void {
    this.link = undefined;
    this.session = undefined;
    this.owed = 0;
    this.backlog = []; // the broker gives these to someone else: their link is gone
  }

  /** Stops taking messages, waits for the handlers in progress (they still acknowledge), then detaches. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retryTimer);
    for (const b of this.backlog.splice(0)) b.delivery.release();
    if (this.inFlight > 0) await new Promise<void>((r) => this.idle.push(r));
    const { link, session } = this;
    this.link = undefined;
    this.session = undefined;
    if (!link || !session || !this.broker.connected) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      link.once('receiver_close', () => { clearTimeout(timer); resolve(); });
      link.close();
    });
    if (this.broker.connected) session.close();
  }

  /** Gives up on a link that never became usable, so that a late attach does not linger. */
  private abandon(): void {
    this.closing = true;
    const session = this.session;
    this.link = undefined;
    this.session = undefined;
    if (session && this.broker.connected) session.close();
  }

  private attach(): void {
    if (this.link) return;
    const session = this.broker.session();
    const link = session.open_receiver({
      source: { address: this.spec.address, durable: this.spec.durable ? 2 : 0 },
      credit_window: 0,
      autoaccept: false,
    });
    this.session = session;
    this.link = link;
    const mine = () => this.link === link;
    link.on('receiver_open', () => {
      if (!mine()) return;
      this.owed = 0;
      const credit = this.spec.prefetch - this.inFlight;
      if (credit > 0) link.add_credit(credit);
      this.first?.resolve();
      this.first = undefined;
    });
    link.on('message', (ctx: EventContext) => this.received(ctx.message!, ctx.delivery!, link));
    const detached = (ctx: EventContext) => {
      if (!mine()) return;
      this.link = undefined;
      this.session = undefined;
      this.backlog = [];
      const error = ctx.receiver?.error ?? ctx.session?.error;
      if (this.first) {
        const text = describeError(error);
        this.first.reject(new TransportError(`the message broker at ${this.display} refused to let us listen on ${this.spec.address}: ${text}${refusalHint(text)}`));
        this.first = undefined;
        if (this.broker.connected) session.close();
        return;
      }
      if (this.closing) return;
      const why = error ? `: ${describeError(error)}${refusalHint(describeError(error))}` : '';
      this.log[error ? 'error' : 'warn'](`AMQP: the broker detached ${this.spec.address}${why}; attaching again`);
      this.retryTimer = setTimeout(() => { if (this.broker.connected && !this.closing) this.attach(); }, error ? REATTACH_DELAY_MS : 200);
    };
    link.on('receiver_error', detached);
    link.on('receiver_close', detached);
    session.on('session_error', detached);
    session.on('session_close', detached);
  }

  private received(msg: Message, delivery: Delivery, from: Receiver): void {
    if (this.closing) { delivery.release(); return; } // back to the queue for another consumer
    if (this.inFlight >= this.spec.prefetch) {
      if (this.backlog.length === 0) {
        this.log.warn(`AMQP: the broker sent more messages on ${this.spec.address} than the ${this.spec.prefetch} of credit given; holding them until a handler is free`);
      }
      this.backlog.push({ msg, delivery, from });
    } else {
      this.run(msg, delivery, from);
    }
    this.grantIfSpent();
  }

  private run(msg: Message, delivery: Delivery, from: Receiver): void {
    this.inFlight++;
    this.handle(msg)
      .catch((e: Error) => this.log.error(`AMQP: handler for ${this.spec.address} failed: ${e.message}`))
      .finally(() => {
        this.inFlight--;
        // On a link that dropped meanwhile the broker has already given the message to someone else.
        if (from === this.link) delivery.accept();
        const next = this.backlog.shift();
        if (next && !this.closing) {
          this.run(next.msg, next.delivery, next.from); // the overshoot takes this slot: no credit back
        } else {
          if (next) next.delivery.release();
          if (this.link && !this.closing) this.owed++;
          this.grantIfSpent();
        }
        if (this.inFlight === 0) for (const f of this.idle.splice(0)) f();
      });
  }

  /**
   * Gives back the credit of finished handlers, but only once the link has no credit left (see
   * above). Deferred to the end of this turn of the event loop, so that handlers finishing together
   * are granted in one flow rather than the first alone (a round trip to the broker each).
   */
  private grantIfSpent(): void {
    if (this.grantPending || this.owed === 0 || this.link?.has_credit() !== false) return;
    this.grantPending = true;
    setImmediate(() => {
      this.grantPending = false;
      const link = this.link;
      if (!link || this.closing || this.owed === 0 || link.has_credit()) return;
      link.add_credit(this.owed);
      this.owed = 0;
    });
  }
}
