import { strict as assert } from 'node:assert';
import { ChildProcess, execFile, fork } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { makeContext } from '../../../src/context';
import { Logger, nullLogger } from '../../../src/lib/log';
import { RpcClient } from '../../../src/rpc/client';
import { TransportError } from '../../../src/rpc/errors';
import { RpcServer } from '../../../src/rpc/server';
import { Envelope, Transport } from '../../../src/rpc/types';
import { transportContract } from '../../rpc/contract';
import { amqpTransport, BROKER_URL, ensureBroker, rabbitmqctl, waitFor } from './broker';

const run = promisify(execFile);
const ctx = makeContext({ user_id: 'u', project_id: 'p', roles: ['member'] });
let seq = 0;
const topic = () => `test${process.pid}x${Date.now()}x${++seq}a`;
const note = (v: string): Envelope => ({ method: 'note', version: '1.0', context: ctx, args: { v } });

describe('AMQP 1.0 transport', function () {
  before(async function () {
    this.timeout(90000);
    await ensureBroker();
  });

  transportContract('amqp:// (RabbitMQ)', () => amqpTransport(), (t) => t.stop());
  describe('on RabbitMQ', behaviour);
});

function behaviour(this: Mocha.Suite): void {
  this.timeout(60000);
  const open: Transport[] = [];
  const servers: RpcServer[] = [];
  const transport = async (overrides: Record<string, string> = {}) => { const t = await amqpTransport(overrides); open.push(t); return t; };
  const serve = async (t: Transport, tp: string, host: string, endpoint: object) => {
    const s = new RpcServer(t, { topic: tp, server: host }, [{ rpcTarget: { version: '1.0' }, ...endpoint } as never], nullLogger);
    servers.push(s);
    await s.start();
    return s;
  };
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    for (const t of open.splice(0)) await t.stop();
  });

  it('fails start() against an unreachable broker with one line naming it, password masked', async () => {
    const url = 'amqp://guest:secret@127.0.0.1:5999/';
    const started = Date.now();
    await assert.rejects(amqpTransport({ transport_url: url }), (e: Error) => {
      assert.ok(e instanceof TransportError);
      assert.equal(e.message, 'cannot connect to the message broker at amqp://guest:****@127.0.0.1:5999/: ECONNREFUSED ' +
        '(check [DEFAULT] transport_url and that RabbitMQ runs with the rabbitmq_amqp1_0 plugin)');
      return true;
    });
    assert.ok(Date.now() - started < 20000, 'start() gave up instead of retrying forever');
  });

  it('fails start() with bad credentials or an unknown vhost, naming the cause', async () => {
    const bad = BROKER_URL.replace(/\/\/([^:]+):[^@]*@/, '//$1:wrong-password@');
    await assert.rejects(amqpTransport({ transport_url: bad }), (e: Error) =>
      e instanceof TransportError && !e.message.includes('wrong-password') && !e.message.includes('\n') &&
      /^cannot connect to the message broker at amqp:\/\/guest:\*\*\*\*@.*: authentication failed for user 'guest' \(check the user name and password/.test(e.message));
    await assert.rejects(amqpTransport({ transport_url: `${BROKER_URL}nova-no-such-vhost` }), (e: Error) =>
      e instanceof TransportError && /may not use virtual host 'nova-no-such-vhost'/.test(e.message));
  });

  it('uses the virtual host named in the URL path', async () => {
    const vhost = `test${process.pid}vhost`;
    rabbitmqctl('add_vhost', vhost);
    try {
      rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
      const t = await transport({ transport_url: `${BROKER_URL}${vhost}` });
      const tp = topic();
      await serve(t, tp, 'h1', { ping: async () => 'pong' });
      assert.equal(await new RpcClient(t, { topic: tp }, { version: '1.0', timeoutMs: 5000 }).call(ctx, 'ping'), 'pong');
      assert.match(rabbitmqctl('list_queues', '-p', vhost, 'name'), new RegExp(`^${tp}$`, 'm'));
    } finally {
      for (const s of servers.splice(0)) await s.stop();
      for (const t of open.splice(0)) await t.stop();
      rabbitmqctl('delete_vhost', vhost);
    }
  });

  it('names a durable_queues mismatch, and the refusal harms no other link', async () => {
    const tp = topic();
    const [durable, transient] = [await transport(), await transport({ 'oslo_messaging_amqp.durable_queues': 'false' })];
    const got: string[] = [];
    await durable.listen({ topic: tp }, async (env) => { got.push((env.args as { v: string }).v); return {}; });
    await assert.rejects(transient.cast({ topic: tp }, note('refused')), (e: Error) =>
      e instanceof TransportError && /refused to send to \/queue\/test.*PRECONDITION_FAILED.*durable_queues must be the same in every service/.test(e.message));
    await assert.rejects(transient.listen({ topic: tp }, async () => ({})), (e: Error) =>
      e instanceof TransportError && /refused to let us listen on \/queue\/test.*PRECONDITION_FAILED.*durable_queues must be the same/.test(e.message));
    // The same transports keep working for everything else.
    const other = topic();
    const otherGot: string[] = [];
    await transient.listen({ topic: other }, async (env) => { otherGot.push((env.args as { v: string }).v); return {}; });
    await transient.cast({ topic: other }, note('fine'));
    await durable.cast({ topic: tp }, note('still-listening'));
    await waitFor('both casts', () => otherGot.includes('fine') && got.includes('still-listening'));
    assert.deepEqual(got, ['still-listening']);
  });

  it('splits a work queue between two connections and copies fanout to both', async () => {
    const [a, b, caller] = [await transport(), await transport(), await transport()];
    const tp = topic();
    const seen: Record<'a' | 'b', string[]> = { a: [], b: [] };
    const ep = (who: 'a' | 'b') => ({ note: async (_c: unknown, x: { v: string }) => { seen[who].push(x.v); } });
    await serve(a, tp, 'a', ep('a'));
    await serve(b, tp, 'b', ep('b'));
    const client = new RpcClient(caller, { topic: tp }, { version: '1.0', timeoutMs: 5000 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => client.cast(ctx, 'note', { v: `work${i}` })));
    await client.prepare({ fanout: true }).cast(ctx, 'note', { v: 'all' });
    await waitFor('41 casts and a fanout copy', () => seen.a.length + seen.b.length >= 42);
    const work = [...seen.a, ...seen.b].filter((v) => v.startsWith('work'));
    assert.equal(new Set(work).size, 40);
    assert.ok(seen.a.some((v) => v.startsWith('work')) && seen.b.some((v) => v.startsWith('work')), 'both connections got work');
    assert.ok(seen.a.includes('all') && seen.b.includes('all'), 'fanout reached both connections');
  });

  it('hands at most `prefetch` messages to the handler before they are acknowledged', async () => {
    const [server, caller] = [await transport(), await transport()];
    const tp = topic();
    const release: Array<() => void> = [];
    let running = 0, most = 0, done = 0, letGo = false;
    await server.listen({ topic: tp }, async () => {
      running++; most = Math.max(most, running);
      if (!letGo) await new Promise<void>((r) => release.push(r));
      running--; done++;
      return {};
    }, { prefetch: 2 });
    try {
      for (let i = 0; i < 6; i++) await caller.cast({ topic: tp }, note(`m${i}`));
      await waitFor('two handlers to start', () => running >= 2);
      await new Promise((r) => setTimeout(r, 300)); // room for a third delivery, were credit refilled on receipt
      assert.equal(running, 2);
      while (done < 6) {
        release.splice(0).forEach((f) => f());
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(most, 2);
    } finally {
      letGo = true;
      release.splice(0).forEach((f) => f());
    }
  });

  it('keeps to `prefetch` under a stream of messages, without the broker overshooting its credit', async () => {
    const warnings: string[] = [];
    const log: Logger = { ...nullLogger, warn: (m: string) => { warnings.push(m); }, child: () => log };
    const server = await amqpTransport({}, log);
    open.push(server);
    const caller = await transport();
    const tp = topic();
    let running = 0, most = 0, done = 0;
    await server.listen({ topic: tp }, async () => {
      running++; most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, Math.random() * 2));
      running--; done++;
      return {};
    }, { prefetch: 4 });
    let sent = 0;
    await Promise.all(Array.from({ length: 32 }, async () => { while (sent < 600) { sent++; await caller.cast({ topic: tp }, note(`s${sent}`)); } }));
    await waitFor('600 messages handled', () => done >= 600, 60000);
    assert.equal(most, 4);
    assert.deepEqual(warnings.filter((w) => /more messages .* than the 4 of credit/.test(w)), []);
  });

  it('redelivers a message whose consumer process died before finishing it', async () => {
    const tp = topic();
    const caller = await transport();
    const child: ChildProcess = fork(path.join(__dirname, 'fixtures', 'dying-consumer.js'), { env: { ...process.env, TOPIC: tp }, stdio: 'ignore' });
    try {
      const messages: Array<{ ready?: boolean; got?: { v: string }; error?: string }> = [];
      child.on('message', (m) => messages.push(m as never));
      await waitFor('the child consumer', () => messages.some((m) => m.ready || m.error));
      assert.ok(!messages.some((m) => m.error), JSON.stringify(messages));
      await caller.cast({ topic: tp }, note('precious'));
      await waitFor('the child to hold the message', () => messages.some((m) => m.got?.v === 'precious'));
    } finally {
      child.kill('SIGKILL');
    }
    const got: string[] = [];
    const survivor = await transport();
    await survivor.listen({ topic: tp }, async (env) => { got.push((env.args as { v: string }).v); return {}; });
    await waitFor('the redelivery', () => got.length > 0);
    assert.deepEqual(got, ['precious']);
  });

  it('stop() lets a handler in progress finish and acknowledges its message', async () => {
    const tp = topic();
    const [server, caller] = [await transport(), await transport()];
    let started = false, finished = false;
    await server.listen({ topic: tp }, async () => { started = true; await new Promise((r) => setTimeout(r, 300)); finished = true; return {}; });
    await caller.cast({ topic: tp }, note('x'));
    await waitFor('the handler', () => started);
    await server.stop();
    open.splice(open.indexOf(server), 1);
    assert.equal(finished, true);
    const again: string[] = [];
    await (await transport()).listen({ topic: tp }, async (env) => { again.push((env.args as { v: string }).v); return {}; });
    await caller.cast({ topic: tp }, note('marker'));
    await waitFor('the marker', () => again.includes('marker'));
    assert.deepEqual(again, ['marker'], 'the finished message was not redelivered');
  });

  it('loses no cast across a broker restart, and calls work again after it', async function () {
    this.timeout(120000);
    const live = topic();
    const parked = topic();
    const [server, caller, impatient] = [await transport(), await transport(), await transport({ 'oslo_messaging_amqp.default_send_timeout': '1' })];
    const status: Record<string, string[]> = { server: [], caller: [] };
    server.onStatus!((s) => status.server.push(s));
    caller.onStatus!((s) => status.caller.push(s));
    const got: string[] = [];
    await serve(server, live, 'h1', { note: async (_c: unknown, a: { v: string }) => { got.push(a.v); }, ping: async () => 'pong' });
    // A queue that exists but has no consumer during the outage: its casts must survive on disk.
    await (await server.listen({ topic: parked }, async () => ({}))).close();
    const client = new RpcClient(caller, { topic: live }, { version: '1.0', timeoutMs: 30000 });
    const expected: string[] = [];
    const cast = (tp: string, v: string) => { expected.push(`${tp === parked ? 'parked' : 'live'}:${v}`); return caller.cast({ topic: tp }, note(v)); };
    for (let i = 0; i < 10; i++) { await cast(live, `before${i}`); await cast(parked, `before${i}`); }

    const stopping = run('rabbitmqctl', ['-q', 'stop_app']);
    let during: Promise<unknown>;
    let callDuring: Promise<unknown>;
    try {
      await waitFor('the caller to notice the outage', () => status.caller.includes('disconnected'), 30000);
      during = Promise.all(Array.from({ length: 10 }, (_, i) => [cast(live, `during${i}`), cast(parked, `during${i}`)]).flat());
      during.catch(() => undefined);
      callDuring = client.call(ctx, 'ping'); // waits for the broker within its own 30s timeout
      callDuring.catch(() => undefined);
      await assert.rejects(impatient.cast({ topic: live }, note('never')), (e: Error) => e instanceof TransportError &&
        e.message.startsWith('cannot cast note on ' + live + ': the message broker at amqp://guest:****@127.0.0.1:5672/ did not take it within 1s (disconnected: '));
      await stopping;
    } finally {
      await stopping.catch(() => undefined);
      await run('rabbitmqctl', ['-q', 'start_app']);
    }
    await during!;
    assert.equal(await callDuring!, 'pong');
    for (let i = 0; i < 10; i++) { await cast(live, `after${i}`); await cast(parked, `after${i}`); }
    assert.equal(await client.call(ctx, 'ping'), 'pong');

    const parkedGot: string[] = [];
    await server.listen({ topic: parked }, async (env) => { parkedGot.push((env.args as { v: string }).v); return {}; });
    const all = () => [...got.map((v) => `live:${v}`), ...parkedGot.map((v) => `parked:${v}`)];
    await waitFor('every cast', () => expected.every((e) => all().includes(e)), 30000);
    assert.ok(!all().some((v) => v.endsWith(':never')), 'a cast that failed was not sent later');
    assert.deepEqual(status.caller.slice(-2), ['disconnected', 'connected']);
    assert.deepEqual(status.server.slice(-2), ['disconnected', 'connected']);
  });
}
