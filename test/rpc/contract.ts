import { strict as assert } from 'node:assert';
import { makeContext } from '../../src/context';
import { InstanceNotFound } from '../../src/exception';
import { nullLogger } from '../../src/lib/log';
import { RpcClient } from '../../src/rpc/client';
import { MessagingTimeout, RemoteError } from '../../src/rpc/errors';
import { RpcServer } from '../../src/rpc/server';
import { Transport } from '../../src/rpc/types';

/**
 * The behaviour every transport must have, run against memory:// and against RabbitMQ.
 * `make` returns a started transport; each test uses fresh topic names.
 */
export function transportContract(name: string, make: () => Promise<Transport>, close: (t: Transport) => Promise<void>): void {
  describe(`RPC contract on ${name}`, function () {
    this.timeout(20000);
    let t: Transport;
    let servers: RpcServer[] = [];
    let n = 0;
    const topic = () => `test${process.pid}x${Date.now()}x${++n}`;
    const ctx = makeContext({ user_id: 'u', project_id: 'p', roles: ['member'] });

    beforeEach(async () => { t = await make(); servers = []; });
    afterEach(async () => { for (const s of servers) await s.stop(); await close(t); });

    function serve(tp: string, host: string, endpoint: object): Promise<void> {
      const s = new RpcServer(t, { topic: tp, server: host }, [{ rpcTarget: { version: '1.3' }, ...endpoint } as never], nullLogger);
      servers.push(s);
      return s.start();
    }

    it('calls a method and returns its result with the context', async () => {
      const tp = topic();
      await serve(tp, 'h1', { echo: async (c: { user_id: string }, a: { x: number }) => ({ x: a.x * 2, user: c.user_id }) });
      const client = new RpcClient(t, { topic: tp }, { version: '1.0', timeoutMs: 5000 });
      assert.deepEqual(await client.call(ctx, 'echo', { x: 21 }), { x: 42, user: 'u' });
    });

    it('rebuilds our own remote errors as their class, others as RemoteError', async () => {
      const tp = topic();
      await serve(tp, 'h1', {
        missing: async () => { throw new InstanceNotFound({ instance_id: 'abc' }); },
        broken: async () => { throw new TypeError('boom'); },
      });
      const client = new RpcClient(t, { topic: tp }, { version: '1.0', timeoutMs: 5000 });
      await assert.rejects(client.call(ctx, 'missing'), (e: Error) => e instanceof InstanceNotFound && e.message === 'Instance abc could not be found.');
      await assert.rejects(client.call(ctx, 'broken'), (e: Error) => e instanceof RemoteError && e.exc_type === 'TypeError' && e.message === 'boom');
    });

    it('refuses a newer minor version or an unknown method', async () => {
      const tp = topic();
      await serve(tp, 'h1', { ping: async () => 'pong' });
      const client = new RpcClient(t, { topic: tp }, { version: '1.4', timeoutMs: 5000 });
      await assert.rejects(client.call(ctx, 'ping'), /does not support RPC method ping at version 1.4/);
      await assert.rejects(client.prepare({ version: '1.0' }).call(ctx, 'nope'), /does not support RPC method nope/);
    });

    it('times out a call nobody answers, naming topic and method', async () => {
      const client = new RpcClient(t, { topic: topic(), server: 'ghost' }, { version: '1.0', timeoutMs: 300 });
      await assert.rejects(client.call(ctx, 'hello'), (e: Error) => e instanceof MessagingTimeout && /hello on test.*\.ghost after 0.3s/.test(e.message));
    });

    it('sends to one server by name, splits a topic between workers, copies fanout to all', async () => {
      const tp = topic();
      const seen: Record<string, string[]> = { a: [], b: [] };
      const ep = (who: 'a' | 'b') => ({ note: async (_c: unknown, x: { v: string }) => { seen[who].push(x.v); } });
      await serve(tp, 'a', ep('a'));
      await serve(tp, 'b', ep('b'));
      const client = new RpcClient(t, { topic: tp }, { version: '1.0', timeoutMs: 5000 });
      await client.prepare({ server: 'b' }).cast(ctx, 'note', { v: 'only-b' });
      for (let i = 0; i < 20; i++) await client.cast(ctx, 'note', { v: `work${i}` });
      await client.prepare({ fanout: true }).cast(ctx, 'note', { v: 'all' });
      const deadline = Date.now() + 5000;
      while (seen.a.length + seen.b.length < 23 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(seen.b.includes('only-b') && !seen.a.includes('only-b'));
      assert.ok(seen.a.includes('all') && seen.b.includes('all'));
      const work = [...seen.a, ...seen.b].filter((v) => v.startsWith('work'));
      assert.equal(work.length, 20);
      assert.ok(seen.a.some((v) => v.startsWith('work')) && seen.b.some((v) => v.startsWith('work')), 'both workers got work');
    });

    it('keeps casts sent before anyone listens', async () => {
      const tp = topic();
      const client = new RpcClient(t, { topic: tp }, { version: '1.0', timeoutMs: 5000 });
      // A listener must have declared the queue once on a broker; the memory transport queues anyway.
      await serve(tp, 'h1', { note: async () => undefined });
      await servers.pop()!.stop();
      await client.cast(ctx, 'note', { v: 1 });
      const got: number[] = [];
      await serve(tp, 'h2', { note: async (_c: unknown, a: { v: number }) => { got.push(a.v); } });
      const deadline = Date.now() + 5000;
      while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(got, [1]);
    });
  });
}
