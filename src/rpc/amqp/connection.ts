import type { Socket } from 'node:net';
import { create_container } from 'rhea';
import type { Connection, ConnectionOptions, Container, EventContext, Session } from 'rhea';
import { Logger } from '../../lib/log';
import { TransportError } from '../errors';
import { BrokerUrl, CONNECT_HINT } from './broker-url';

export interface ConnectionSettings {
  containerId: string;
  /** Seconds without traffic before the connection counts as dead (0: never). */
  idleTimeoutS: number;
  retryIntervalS: number;
  retryBackoffS: number;
  retryIntervalMaxS: number;
}

export interface ConnectionEvents {
  /** A (new) connection is open: attach links on it. */
  up(conn: Connection): void;
  /** The connection is gone; every link on it is dead. A reconnect follows unless stopping. */
  down(reason: string): void;
}

/** start() gives up after this many attempts or this long, whichever comes first. */
const START_ATTEMPTS = 3;
const START_BUDGET_MS = 5000;
/** One connection attempt (TCP + SASL + open + a session round trip). */
const OPEN_TIMEOUT_MS = 5000;

class DialError extends Error {
  constructor(message: string, readonly fatal: boolean) { super(message); }
}

/** Why a socket or AMQP error ended a connection, in a few words (ECONNREFUSED, the broker's text). */
export function describeError(e: unknown): string {
  if (!e) return 'connection closed';
  const err = e as { code?: string; condition?: string; description?: string; message?: string };
  if (err.code && /^E[A-Z]+$/.test(err.code)) return err.code;
  const text = err.description ?? err.message ?? String(e);
  return err.condition ? `${text} (${err.condition})` : text;
}

/** What to check when the broker refuses a link, if the refusal says (a queue's durability mismatch). */
export function refusalHint(text: string): string {
  return /PRECONDITION_FAILED.*durable/i.test(text)
    ? ' ([oslo_messaging_amqp] durable_queues must be the same in every service using this broker)' : '';
}

/**
 * One AMQP connection to the broker, kept open: `start` connects with a few bounded attempts and
 * fails with one clear line; after that a lost connection is re-dialled with oslo's backoff
 * (`connection_retry_interval`, `+ connection_retry_backoff` per failure, at most
 * `connection_retry_interval_max`), and `up`/`down` tell the links to re-attach.
 * rhea's own reconnect is off: we need a fresh connection whose every link we re-attach ourselves.
 */
export class BrokerConnection {
  private readonly container: Container;
  private current?: Connection;
  private stopping = false;
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs: number;
  private lastReason = 'not connected yet';

  constructor(
    private readonly url: BrokerUrl,
    private readonly settings: ConnectionSettings,
    private readonly events: ConnectionEvents,
    private readonly log: Logger,
  ) {
    this.container = create_container({ id: settings.containerId });
    // rhea throws from the container when an error event finds no listener; every link and session
    // has its own handlers, so anything that reaches here is only worth a log line.
    this.container.on('error', (e: Error) => this.log.warn(`AMQP: ${describeError(e)}`));
    this.retryDelayMs = settings.retryIntervalS * 1000;
  }

  get connection(): Connection | undefined { return this.current; }
  get connected(): boolean { return this.current !== undefined; }
  /** Why the last connection attempt failed or the last connection ended. */
  get reason(): string { return this.lastReason; }

  async start(): Promise<void> {
    const deadline = Date.now() + START_BUDGET_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        this.current = await this.dial(Math.max(1000, Math.min(OPEN_TIMEOUT_MS, deadline - Date.now())));
        this.retryDelayMs = this.settings.retryIntervalS * 1000;
        this.events.up(this.current);
        return;
      } catch (e) {
        const fatal = e instanceof DialError && e.fatal;
        const pause = Math.min(this.settings.retryIntervalS * 1000, 1000);
        if (fatal || attempt >= START_ATTEMPTS || Date.now() + pause >= deadline) {
          throw new TransportError(fatal ? `cannot connect to the message broker at ${this.url.display}: ${e.message}`
            : `cannot connect to the message broker at ${this.url.display}: ${e.message} (${CONNECT_HINT})`);
        }
        this.log.debug(`AMQP: connecting to ${this.url.display} failed (${e.message}); attempt ${attempt + 1} in ${pause} ms`);
        await new Promise((r) => setTimeout(r, pause));
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    const conn = this.current;
    this.current = undefined;
    if (!conn) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { abortSocket(conn); resolve(); }, 2000);
      const done = () => { clearTimeout(timer); resolve(); };
      conn.once('connection_close', done);
      conn.once('disconnected', done);
      conn.close();
    });
  }

  /** A new session on the open connection; each link gets its own, since a refused attach ends its session. */
  session(): Session {
    if (!this.current) throw new TransportError(`not connected to the message broker at ${this.url.display}: ${this.lastReason}`);
    const s = this.current.create_session();
    s.on('session_error', (ctx: EventContext) => this.log.debug(`AMQP session error: ${describeError(ctx.session?.error)}`));
    s.on('session_close', () => undefined);
    s.begin();
    return s;
  }

  /**
   * Opens one connection and resolves once it can carry a session: RabbitMQ accepts the AMQP open
   * for an unknown vhost and closes the connection right after, so `open` alone proves nothing.
   */
  private dial(timeoutMs: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      let phase: 'opening' | 'up' | 'dead' = 'opening';
      let opened = false;
      const u = this.url;
      const options = {
        host: u.host, port: u.port, transport: u.tls ? 'tls' : 'tcp',
        username: u.username, password: u.password,
        hostname: u.vhost ? `vhost:${u.vhost}` : undefined,
        container_id: this.settings.containerId,
        reconnect: false,
        tcp_no_delay: true, // else Nagle holds each small frame: ~44 ms per request/reply
        idle_time_out: this.settings.idleTimeoutS > 0 ? this.settings.idleTimeoutS * 1000 : undefined,
      } as ConnectionOptions;
      const conn = this.container.connect(options);
      const timer = setTimeout(() => end(`no answer within ${timeoutMs / 1000}s`, false), timeoutMs);
      const end = (reason: string, fatal: boolean) => {
        if (phase === 'dead') return;
        const was = phase;
        phase = 'dead';
        clearTimeout(timer);
        abortSocket(conn);
        this.lastReason = reason;
        if (was === 'opening') reject(new DialError(reason, fatal));
        else this.lost(conn, reason);
      };
      conn.on('connection_open', () => {
        opened = true;
        const probe = conn.create_session();
        probe.on('session_open', () => {
          probe.close();
          if (phase !== 'opening') return;
          phase = 'up';
          clearTimeout(timer);
          resolve(conn);
        });
        probe.on('session_error', (ctx: EventContext) => end(describeError(ctx.session?.error), false));
        probe.on('session_close', () => undefined);
        probe.begin();
      });
      conn.on('connection_error', (ctx: EventContext) => end(...this.refusal(ctx.error, opened)));
      conn.on('connection_close', () => end('the broker closed the connection', false));
      conn.on('disconnected', (ctx: EventContext) => end(describeError(ctx.error), false));
      conn.on('protocol_error', (e: unknown) => end(`AMQP protocol error: ${describeError(e)}`, false));
      conn.on('error', (e: unknown) => end(describeError(e), false));
    });
  }

  /** Turns an AMQP refusal into words: bad credentials (SASL) or a vhost the user may not use. */
  private refusal(e: unknown, opened: boolean): [string, boolean] {
    const condition = (e as { condition?: string })?.condition;
    if (condition === 'amqp:unauthorized-access') {
      if (!opened) {
        return [`authentication failed for user '${this.url.username ?? ''}' (check the user name and password in [DEFAULT] transport_url)`, true];
      }
      return [`user '${this.url.username ?? ''}' may not use virtual host '${this.url.vhost ?? '/'}': ${describeError(e)} ` +
        `(check the vhost in [DEFAULT] transport_url and 'rabbitmqctl list_permissions')`, true];
    }
    return [describeError(e), false];
  }

  private lost(conn: Connection, reason: string): void {
    if (conn !== this.current) return;
    this.current = undefined;
    this.events.down(reason);
    if (!this.stopping) this.redial();
  }

  private redial(): void {
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay + this.settings.retryBackoffS * 1000, this.settings.retryIntervalMaxS * 1000);
    this.log.info(`AMQP: reconnecting to ${this.url.display} in ${(delay / 1000).toFixed(1)}s (${this.lastReason})`);
    this.retryTimer = setTimeout(() => {
      this.dial(OPEN_TIMEOUT_MS).then((conn) => {
        if (this.stopping) { conn.close(); return; }
        this.current = conn;
        this.retryDelayMs = this.settings.retryIntervalS * 1000;
        this.log.info(`AMQP: connected to ${this.url.display}`);
        this.events.up(conn);
      }, (e: Error) => {
        if (this.stopping) return;
        this.log.debug(`AMQP: reconnect to ${this.url.display} failed: ${e.message}`);
        this.redial();
      });
    }, delay);
  }
}

/** rhea does not expose its socket in the typings; we need it to drop a connection at once. */
function abortSocket(conn: Connection): void {
  (conn as unknown as { socket?: Socket }).socket?.destroy();
}
