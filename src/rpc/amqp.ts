import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import type { Message } from 'rhea';
import { NovaConf } from '../conf/schema';
import { Logger } from '../lib/log';
import { BrokerConnection } from './amqp/connection';
import { BrokerUrl, nodeAddress, parseBrokerUrl } from './amqp/broker-url';
import { ReceiverLink } from './amqp/receiver';
import { Outgoing, SenderPool } from './amqp/sender';
import { MessagingTimeout, TransportError } from './errors';
import { Envelope, Handler, ListenOptions, Reply, Subscription, Target, targetName, Transport } from './types';

type AmqpOptions = NovaConf['oslo_messaging_amqp'];
type StatusListener = (status: 'connected' | 'disconnected', detail?: string) => void;

const DEFAULT_PREFETCH = 64;
const REPLY_PREFETCH = 1000;
/**
 * Fanout copies expire after this long. RabbitMQ never deletes the queue behind a `/topic/`
 * subscription, and a re-attach gets a new one, so copies left in an old queue are read by nobody;
 * the TTL keeps such orphans from growing without bound.
 */
const FANOUT_TTL_MS = 10 * 60 * 1000;

interface PendingCall { resolve(r: Reply): void; reject(e: Error): void }

/** Reads a JSON body whether it came as an AMQP string value or as a data section. */
function decodeBody<T>(body: unknown): T {
  if (typeof body === 'string') return JSON.parse(body) as T;
  if (Buffer.isBuffer(body)) return JSON.parse(body.toString('utf8')) as T;
  const content = (body as { content?: unknown } | null)?.content;
  if (Buffer.isBuffer(content)) return JSON.parse(content.toString('utf8')) as T;
  throw new Error(`unexpected message body of type ${typeof body}`);
}

/**
 * The AMQP 1.0 transport (`amqp://user:pass@host:port/[vhost]`) on RabbitMQ's AMQP 1.0 plugin, with
 * the addressing and semantics of the memory transport: work queues with competing consumers, one
 * server's queue, fanout copies, and calls answered on this process's reply queue. Delivery is
 * at-least-once both ways: casts count as sent only once the broker accepted them (and are sent
 * again after a reconnect if it never did), and a received message is acknowledged only after its
 * handler finished and the reply, for a call, was sent.
 */
export class AmqpTransport implements Transport {
  private readonly broker: BrokerConnection;
  private readonly senders: SenderPool;
  private readonly target: BrokerUrl;
  private readonly containerId: string;
  private readonly receivers = new Set<ReceiverLink>();
  private readonly calls = new Map<string, PendingCall>();
  private replyLink?: Promise<ReceiverLink>;
  private statusListeners: StatusListener[] = [];
  private state: 'new' | 'running' | 'stopped' = 'new';
  private callSeq = 0;

  constructor(readonly url: string, private readonly opts: AmqpOptions, private readonly log: Logger) {
    this.target = parseBrokerUrl(url);
    this.containerId = `${opts.container_name || `nova-${os.hostname()}-${process.pid}`}-${randomBytes(4).toString('hex')}`;
    this.broker = new BrokerConnection(this.target, {
      containerId: this.containerId,
      idleTimeoutS: opts.idle_timeout,
      retryIntervalS: opts.connection_retry_interval,
      retryBackoffS: opts.connection_retry_backoff,
      retryIntervalMaxS: opts.connection_retry_interval_max,
    }, { up: () => this.connected(), down: (reason) => this.disconnected(reason) }, log);
    this.senders = new SenderPool(this.broker, this.target.display, log);
  }

  private get sendTimeoutMs(): number { return this.opts.default_send_timeout * 1000; }

  /** Terminus durability of a target's node: `/queue/` nodes follow durable_queues, fanout never. */
  private durable(t: Target): boolean { return !t.fanout && this.opts.durable_queues; }

  onStatus(listener: StatusListener): void { this.statusListeners.push(listener); }

  async start(): Promise<void> {
    if (this.state === 'running') return;
    await this.broker.start();
    this.state = 'running';
    this.log.info(`AMQP: connected to ${this.target.display} as ${this.containerId}`);
  }

  async stop(): Promise<void> {
    if (this.state !== 'running') { this.state = 'stopped'; return; }
    this.state = 'stopped';
    await Promise.all([...this.receivers].map((r) => r.close()));
    this.receivers.clear();
    for (const c of [...this.calls.values()]) c.reject(new TransportError(`transport ${this.target.display} stopped before the reply came`));
    const deadline = Date.now() + 2000;
    while (this.senders.busy && this.broker.connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.senders.close();
    await this.broker.stop();
  }

  async listen(target: Target, handler: Handler, opts: ListenOptions = {}): Promise<Subscription> {
    this.assertRunning();
    const spec = { address: nodeAddress(target), durable: this.durable(target), prefetch: opts.prefetch ?? DEFAULT_PREFETCH };
    const link = new ReceiverLink(spec, (msg) => this.serve(msg, handler), this.broker, this.target.display, this.log);
    this.receivers.add(link);
    try {
      await link.open(this.sendTimeoutMs);
    } catch (e) {
      this.receivers.delete(link);
      throw e;
    }
    return { close: async () => { await link.close(); this.receivers.delete(link); } };
  }

  async cast(target: Target, env: Envelope): Promise<void> {
    this.assertRunning();
    const message: Message = { body: JSON.stringify(env), content_type: 'application/json', durable: this.durable(target) };
    if (target.fanout) message.ttl = FANOUT_TTL_MS;
    await new Promise<void>((resolve, reject) => {
      const o = new Outgoing(message, (err) => (err ? reject(err) : resolve()))
        .expireAfter(this.sendTimeoutMs, () => this.unsent('cast', env.method, target, this.sendTimeoutMs));
      this.senders.send(nodeAddress(target), this.durable(target), o);
    });
  }

  call(target: Target, env: Envelope, timeoutMs: number): Promise<Reply> {
    this.assertRunning();
    return new Promise<Reply>((resolve, reject) => {
      const id = String(++this.callSeq);
      let request: Outgoing | undefined;
      const finish = (err?: Error, reply?: Reply) => {
        if (!this.calls.delete(id)) return;
        clearTimeout(timer);
        request?.finish(); // a request still waiting is not worth sending any more
        if (err) reject(err); else resolve(reply!);
      };
      const timer = setTimeout(() => {
        // Never taken by the broker: say so, rather than blame a service that never got the request.
        finish(request?.confirmed ? new MessagingTimeout(target, env.method, timeoutMs) : this.unsent('call', env.method, target, timeoutMs));
      }, timeoutMs);
      this.calls.set(id, { resolve: (r) => finish(undefined, r), reject: (e) => finish(e) });
      this.replyQueue(timeoutMs).then((replies) => {
        if (!this.calls.has(id)) return;
        const message: Message = {
          body: JSON.stringify(env), content_type: 'application/json', durable: false,
          reply_to: replies.spec.address, correlation_id: id, ttl: timeoutMs,
        };
        request = new Outgoing(message, (err) => { if (err) finish(err); });
        this.senders.send(nodeAddress(target), this.durable(target), request);
      }, (e: Error) => finish(e));
    });
  }

  private assertRunning(): void {
    if (this.state !== 'running') throw new TransportError(`transport ${this.target.display} is not started`);
  }

  private unsent(kind: 'cast' | 'call', method: string, target: Target, ms: number): TransportError {
    const why = this.broker.connected ? 'connected, but it did not confirm' : `disconnected: ${this.broker.reason}`;
    return new TransportError(`cannot ${kind} ${method} on ${targetName(target)}: the message broker at ${this.target.display} ` +
      `did not take it within ${ms / 1000}s (${why})`);
  }

  /** This process's reply queue, attached on the first call (a process that never calls makes none). */
  private replyQueue(timeoutMs: number): Promise<ReceiverLink> {
    this.replyLink ??= (async () => {
      const spec = { address: `/queue/reply_${this.containerId}`, durable: false, prefetch: REPLY_PREFETCH };
      const link = new ReceiverLink(spec, async (msg) => {
        const pending = this.calls.get(String(msg.correlation_id));
        if (pending) pending.resolve(decodeBody<Reply>(msg.body));
      }, this.broker, this.target.display, this.log);
      this.receivers.add(link);
      try {
        await link.open(timeoutMs);
        return link;
      } catch (e) {
        this.receivers.delete(link);
        this.replyLink = undefined;
        throw e;
      }
    })();
    return this.replyLink;
  }

  /** Runs the handler for one received message; for a call, sends the reply and waits for the broker to take it. */
  private async serve(msg: Message, handler: Handler): Promise<void> {
    let env: Envelope;
    try {
      env = decodeBody<Envelope>(msg.body);
    } catch (e) {
      this.log.error(`AMQP: dropped a message that is not an RPC envelope: ${(e as Error).message}`);
      return;
    }
    let reply: Reply;
    try {
      reply = (await handler(env)) ?? {};
    } catch (e) {
      reply = { failure: { class: 'TransportError', message: String((e as Error)?.message ?? e) } };
    }
    if (!msg.reply_to || msg.correlation_id === undefined) return;
    const ttl = typeof msg.ttl === 'number' && msg.ttl > 0 ? msg.ttl : this.sendTimeoutMs;
    const message: Message = { body: JSON.stringify(reply), content_type: 'application/json', correlation_id: msg.correlation_id, ttl };
    await new Promise<void>((resolve) => {
      const o = new Outgoing(message, (err) => {
        if (err) this.log.warn(`AMQP: reply to ${env.method} not sent: ${err.message}`);
        resolve();
      }).expireAfter(ttl, () => new TransportError(`the message broker at ${this.target.display} did not take the reply within ${ttl / 1000}s`));
      this.senders.send(msg.reply_to!, false, o);
    });
  }

  private connected(): void {
    for (const r of this.receivers) r.connected();
    this.senders.connected();
    for (const l of this.statusListeners) l('connected');
  }

  private disconnected(reason: string): void {
    this.log.warn(`AMQP: lost the connection to ${this.target.display}: ${reason}`);
    for (const r of this.receivers) r.disconnected();
    this.senders.disconnected();
    for (const l of this.statusListeners) l('disconnected', reason);
  }
}
