import { RequestContext } from '../context';

/**
 * Where a message goes, as oslo.messaging's Target: a topic's work queue (competing consumers), one
 * server's queue (`server` set), or every server listening on the topic (`fanout`).
 */
export interface Target {
  topic: string;
  server?: string;
  fanout?: boolean;
}

/** What travels on the wire. */
export interface Envelope {
  method: string;
  version: string;
  namespace?: string;
  context: RequestContext;
  args: Record<string, unknown>;
}

/** The answer to a call: a result, or the remote failure described. */
export interface Reply {
  result?: unknown;
  failure?: RemoteFailure;
}

export interface RemoteFailure {
  class: string;
  message: string;
  /** HTTP-like code the error maps to, when it has one (404, 409, ...). */
  code?: number;
  kwargs?: Record<string, unknown>;
  tb?: string;
}

/** A message handler. For calls the returned Reply goes back to the caller. */
export type Handler = (env: Envelope) => Promise<Reply>;

export interface Subscription {
  /** Stop receiving new messages; resolves when messages in hand are handled. */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Messages handled at once by this subscription. */
  prefetch?: number;
}

/** A message transport: memory:// in one process, amqp:// through a broker. */
export interface Transport {
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Receive messages sent to `target`. With `server` set: that server's queue; with `fanout`: broadcasts. */
  listen(target: Target, handler: Handler, opts?: ListenOptions): Promise<Subscription>;
  /** Deliver one message and do not wait for the handler. */
  cast(target: Target, env: Envelope): Promise<void>;
  /** Deliver one message and wait for the handler's reply, at most `timeoutMs`. */
  call(target: Target, env: Envelope, timeoutMs: number): Promise<Reply>;
  /** Called when the transport loses or regains its connection (for health reporting). */
  onStatus?(listener: (status: 'connected' | 'disconnected', detail?: string) => void): void;
}

export function targetName(t: Target): string {
  return t.fanout ? `${t.topic} (fanout)` : t.server ? `${t.topic}.${t.server}` : t.topic;
}
