import * as os from 'node:os';
import { create_container } from 'rhea';
import type { Connection, ConnectionOptions, EventContext, Receiver, Sender } from 'rhea';
import { loadConfig } from '../src/conf/loader';
import { makeContext } from '../src/context';
import { nullLogger } from '../src/lib/log';
import { parseBrokerUrl } from '../src/rpc/amqp/broker-url';
import { RpcClient } from '../src/rpc/client';
import { MemoryTransport } from '../src/rpc/memory';
import { RpcServer } from '../src/rpc/server';
import { getTransport } from '../src/rpc/transport';
import { Transport } from '../src/rpc/types';
import { BenchRow, msSince, percentiles } from './harness';

/**
 * RPC round trip and cast throughput on memory:// and on RabbitMQ through our AMQP transport, with a
 * bare rhea request/reply on the same broker as the baseline (the goal: ours within 1.5x of it).
 * Ours and bare run in alternating rounds, so that load from anything else on the machine falls on
 * both alike. Queue names are fixed so that repeated runs reuse their queues.
 */
const BROKER = process.env.NOVA_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/';
const CALLS = 2000;
const WARMUP = 200;
const ROUNDS = 10;
const CASTS = 5000;
const CASTS_IN_FLIGHT = 256;
const ctx = makeContext({ user_id: 'bench', project_id: 'bench', roles: ['member'] });
const round = (v: number, digits = 3) => Number(v.toFixed(digits));

/** One way of doing RPC, ready to be measured. */
interface Subject {
  call(): Promise<void>;
  /** Sends `n` casts, `inFlight` at a time; resolves when the receiving side handled all of them. */
  casts(n: number, inFlight: number): Promise<void>;
  close(): Promise<void>;
}

/** Our stack end to end: RpcClient -> transport -> RpcServer -> endpoint and back. */
async function oursOn(caller: Transport, server: Transport, topic: string): Promise<Subject> {
  let received = 0;
  const endpoint = { rpcTarget: { version: '1.0' }, ping: async () => 'pong', note: async () => { received++; } };
  const rpcServer = new RpcServer(server, { topic, server: 'bench' }, [endpoint as never], nullLogger);
  await rpcServer.start();
  const client = new RpcClient(caller, { topic }, { version: '1.0', timeoutMs: 30000 });
  return {
    call: async () => { await client.call(ctx, 'ping'); },
    async casts(n, inFlight) {
      received = 0;
      let sent = 0;
      await Promise.all(Array.from({ length: inFlight }, async () => {
        while (sent < n) { sent++; await client.cast(ctx, 'note', {}); }
      }));
      while (received < n) await new Promise((r) => setImmediate(r));
    },
    close: () => rpcServer.stop(),
  };
}

async function amqpTransport(): Promise<Transport> {
  const { conf } = loadConfig({ overrides: { transport_url: BROKER } });
  const t = getTransport(conf, nullLogger);
  await t.start();
  return t;
}

function opened(conn: Connection): Promise<void> {
  return new Promise((resolve, reject) => {
    conn.once('connection_open', () => resolve());
    conn.once('disconnected', (c: EventContext) => reject(c.error ?? new Error('disconnected')));
  });
}

function attached(link: Sender | Receiver): Promise<void> {
  return new Promise((resolve) => link.once(link.is_sender() ? 'sendable' : 'receiver_open', () => resolve()));
}

/**
 * The baseline: plain rhea, two connections (caller, server) as ours uses, bodies of the same size,
 * a reply queue and one reply sender kept open by the server; durable queue and messages for casts.
 */
async function bare(): Promise<Subject> {
  const u = parseBrokerUrl(BROKER);
  const container = create_container({ id: `nova-bench-bare-${process.pid}` });
  const connect = () => container.connect({
    host: u.host, port: u.port, username: u.username, password: u.password,
    hostname: u.vhost ? `vhost:${u.vhost}` : undefined, reconnect: false, tcp_no_delay: true,
  } as ConnectionOptions); // tcp_no_delay is honoured by rhea but missing from its typings
  const client = connect();
  const server = connect();
  await Promise.all([opened(client), opened(server)]);
  const [requestQ, replyQ, castQ] = ['/queue/nova-bench-bare', '/queue/reply_nova-bench-bare', '/queue/nova-bench-bare-cast'];
  const requestBody = JSON.stringify({ method: 'ping', version: '1.0', context: ctx, args: {} });
  const replyBody = JSON.stringify({ result: 'pong' });
  const castBody = JSON.stringify({ method: 'note', version: '1.0', context: ctx, args: {} });

  const replySender = server.open_sender({ target: { address: replyQ } });
  const requests = server.open_receiver({ source: { address: requestQ } });
  requests.on('message', (c: EventContext) => { replySender.send({ body: replyBody, correlation_id: c.message!.correlation_id }); });
  let received = 0;
  const castReceiver = server.open_receiver({ source: { address: castQ, durable: 2 } });
  castReceiver.on('message', () => { received++; });

  const sender = client.open_sender({ target: { address: requestQ } });
  const replies = client.open_receiver({ source: { address: replyQ } });
  const castSender = client.open_sender({ target: { address: castQ, durable: 2 } });
  let waiting: { id: number; done: () => void } | undefined;
  replies.on('message', (c: EventContext) => { if (waiting && c.message!.correlation_id === waiting.id) waiting.done(); });
  await Promise.all([replySender, requests, castReceiver, sender, replies, castSender].map(attached));
  let id = 0;
  return {
    call: () => new Promise<void>((done) => {
      waiting = { id: ++id, done };
      sender.send({ body: requestBody, reply_to: replyQ, correlation_id: id });
    }),
    async casts(n) {
      received = 0;
      let sent = 0;
      const pump = () => { while (sent < n && castSender.sendable()) { castSender.send({ body: castBody, durable: true }); sent++; } };
      castSender.on('sendable', pump);
      pump();
      while (received < n) await new Promise((r) => setImmediate(r));
      castSender.off('sendable', pump);
    },
    async close() { client.close(); server.close(); },
  };
}

interface Measured { calls: number[]; castsPerSecond: number; cpuPerCallUs: number }

/** Measures the subjects in alternating rounds: calls one at a time, then cast bursts. */
async function measure(subjects: Subject[]): Promise<Measured[]> {
  const out = subjects.map(() => ({ calls: [] as number[], castMs: 0, cpuUs: 0 }));
  for (const s of subjects) for (let i = 0; i < WARMUP; i++) await s.call();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, s] of subjects.entries()) {
      const cpu = process.cpuUsage();
      for (let i = 0; i < CALLS / ROUNDS; i++) {
        const t0 = process.hrtime.bigint();
        await s.call();
        out[k].calls.push(msSince(t0));
      }
      const used = process.cpuUsage(cpu);
      out[k].cpuUs += used.user + used.system;
    }
  }
  for (let r = 0; r < 2; r++) {
    for (const [k, s] of subjects.entries()) {
      const t0 = process.hrtime.bigint();
      await s.casts(CASTS / 2, CASTS_IN_FLIGHT);
      out[k].castMs += msSince(t0);
    }
  }
  return out.map((o) => ({ calls: o.calls, castsPerSecond: CASTS / (o.castMs / 1000), cpuPerCallUs: o.cpuUs / CALLS }));
}

function rows(group: string, m: Measured, note?: string): BenchRow[] {
  const p = percentiles(m.calls);
  return [
    { group, name: 'call round trip, median', value: round(p.median), unit: 'ms', note: `${CALLS} calls one at a time${note ? `; ${note}` : ''}` },
    { group, name: 'call round trip, p99', value: round(p.p99), unit: 'ms' },
    { group, name: 'CPU per call', value: Math.round(m.cpuPerCallUs), unit: 'µs', note: 'caller and server together (this process), broker excluded' },
    { group, name: 'cast throughput', value: Math.round(m.castsPerSecond), unit: 'msg/s', note: `${CASTS} casts, ${CASTS_IN_FLIGHT} in flight, until all handled` },
  ];
}

export const title = 'RPC: call round trip and cast throughput, memory:// and AMQP 1.0 (RabbitMQ) vs bare rhea';

export async function run(): Promise<BenchRow[]> {
  const load = os.loadavg()[0];
  const memory = new MemoryTransport('memory://bench');
  await memory.start();
  const memorySubject = await oursOn(memory, memory, 'bench');
  const [mem] = await measure([memorySubject]);
  await memorySubject.close();
  await memory.stop();

  const [caller, server] = [await amqpTransport(), await amqpTransport()];
  const subjects: Subject[] = [];
  try {
    subjects.push(await oursOn(caller, server, 'nova-bench-rpc'), await bare());
    const [ours, baseline] = await measure(subjects);
    const o = percentiles(ours.calls);
    const b = percentiles(baseline.calls);
    const display = parseBrokerUrl(BROKER).display;
    return [
      { group: 'machine', name: 'load average (1 min) at start', value: round(load, 2), unit: '', note: `${os.cpus().length} cores; broker, caller and server share them` },
      ...rows('memory://', mem),
      ...rows('amqp:// nova transport', ours, `RpcClient/RpcServer, ${display}, durable queues, casts confirmed by the broker`),
      ...rows('amqp:// bare rhea', baseline, 'same broker and bodies, no RPC layer, alternating rounds with ours'),
      { group: 'amqp:// ours / bare', name: 'call median ratio', value: round(o.median / b.median, 2), unit: 'x', note: 'goal: at most 1.5' },
      { group: 'amqp:// ours / bare', name: 'call p99 ratio', value: round(o.p99 / b.p99, 2), unit: 'x' },
      { group: 'amqp:// ours / bare', name: 'CPU per call ratio', value: round(ours.cpuPerCallUs / baseline.cpuPerCallUs, 2), unit: 'x' },
      { group: 'amqp:// ours / bare', name: 'cast throughput ratio', value: round(ours.castsPerSecond / baseline.castsPerSecond, 2), unit: 'x' },
    ];
  } finally {
    for (const s of subjects) await s.close();
    await caller.stop();
    await server.stop();
  }
}
