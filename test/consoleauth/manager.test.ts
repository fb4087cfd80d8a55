import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConsoleProxyMethods } from '../../src/console/proxy_rpc';
import { ConsoleAuthManager } from '../../src/consoleauth/manager';
import { consoleAuthRpcApi, CONSOLEAUTH_TOPIC } from '../../src/consoleauth/rpcapi';
import { adminContext } from '../../src/context';
import { Database } from '../../src/db/database';
import { instanceSoftDestroy } from '../../src/db/api/instances';
import { ConsoleAuthTokenRow } from '../../src/db/models/console_auth_token';
import { nullLogger } from '../../src/lib/log';
import { MemoryTransport } from '../../src/rpc/memory';
import { RpcServer } from '../../src/rpc/server';
import { insertInstance } from '../helpers/instances';

describe('nova-consoleauth', () => {
  let db: Database;
  let clock: number;
  const closed: string[] = [];
  const proxies: ConsoleProxyMethods = { close_console_sessions: async (_c, a) => { closed.push(a.instance_uuid); } };
  let ca: ConsoleAuthManager;
  const ctx = adminContext();
  const vnc = (instance_uuid: string) => ({
    console_type: 'novnc', host: '10.0.0.5', port: 5901, internal_access_path: null, instance_uuid,
    access_url_base: 'http://proxy.example:6080/vnc_lite.html',
  });

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-consoleauth-'));
    db = await Database.open(`sqlite:///${path.join(dir, 'nova.sqlite')}`);
    await db.sync();
  });
  after(async () => { await db.close(); });
  beforeEach(async () => {
    await ConsoleAuthTokenRow.destroy({ where: {} });
    closed.length = 0;
    clock = Date.parse('2026-01-01T00:00:00Z');
    ca = new ConsoleAuthManager({ tokenTtl: 600, cleanupInterval: 60, log: nullLogger, proxies, now: () => clock });
  });

  it('authorizes a console with a random url-safe token and stores only its SHA-256', async () => {
    const inst = await insertInstance({ project: 'p1' });
    const a = await ca.authorize_console(ctx, vnc(inst.uuid));
    const b = await ca.authorize_console(ctx, vnc(inst.uuid));
    assert.match(a.token, /^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    assert.notEqual(a.token, b.token);
    assert.equal(a.expires, clock / 1000 + 600);
    assert.equal(a.access_url, `http://proxy.example:6080/vnc_lite.html?path=%3Ftoken%3D${a.token}`);
    const rows = await ConsoleAuthTokenRow.findAll({ raw: true });
    assert.equal(rows.length, 2);
    const dump = JSON.stringify(rows);
    assert.ok(!dump.includes(a.token) && !dump.includes(b.token), 'no token is stored in clear');
    assert.ok(rows.some((r) => (r as unknown as { token_hash: string }).token_hash === createHash('sha256').update(a.token).digest('hex')));
  });

  it('answers the connection for a valid token, bound to its instance, host, port and type', async () => {
    const one = await insertInstance({ project: 'p1' });
    const two = await insertInstance({ project: 'p1' });
    const a = await ca.authorize_console(ctx, vnc(one.uuid));
    const b = await ca.authorize_console(ctx, { ...vnc(two.uuid), console_type: 'spice-html5', port: 5930, access_url_base: 'http://p:6082/spice_auto.html' });
    assert.deepEqual(await ca.check_token(ctx, { token: a.token }), {
      instance_uuid: one.uuid, console_type: 'novnc', host: '10.0.0.5', port: 5901, internal_access_path: null,
      access_url: a.access_url, expires: a.expires,
    });
    const info = await ca.check_token(ctx, { token: b.token });
    assert.equal(info?.instance_uuid, two.uuid);
    assert.equal(info?.port, 5930);
    assert.equal(info?.access_url, `http://p:6082/spice_auto.html?token=${b.token}`);
    // A token is not a prefix game: one character off is unknown.
    assert.equal(await ca.check_token(ctx, { token: a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A') }), null);
    assert.equal(await ca.check_token(ctx, { token: 'x' }), null);
    assert.equal(await ca.check_token(ctx, { token: 42 as unknown as string }), null);
  });

  it('expires tokens after token_ttl (the clock is injected) and removes expired ones', async () => {
    const inst = await insertInstance({ project: 'p1' });
    const a = await ca.authorize_console(ctx, vnc(inst.uuid));
    clock += 599_000;
    assert.ok(await ca.check_token(ctx, { token: a.token }));
    const b = await ca.authorize_console(ctx, vnc(inst.uuid));
    clock += 1_000; // exactly token_ttl after the first
    assert.equal(await ca.check_token(ctx, { token: a.token }), null);
    assert.ok(await ca.check_token(ctx, { token: b.token }));
    assert.equal(await ca.cleanupExpired(), 1);
    assert.equal(await ConsoleAuthTokenRow.count(), 1);
  });

  it('revokes every token of an instance and tells the proxies to close its sessions', async () => {
    const one = await insertInstance({ project: 'p1' });
    const two = await insertInstance({ project: 'p1' });
    const a1 = await ca.authorize_console(ctx, vnc(one.uuid));
    const a2 = await ca.authorize_console(ctx, { ...vnc(one.uuid), console_type: 'xvpvnc', access_url_base: 'http://p:6081/console' });
    const b = await ca.authorize_console(ctx, vnc(two.uuid));
    await ca.delete_tokens_for_instance(ctx, { instance_uuid: one.uuid });
    assert.equal(await ca.check_token(ctx, { token: a1.token }), null);
    assert.equal(await ca.check_token(ctx, { token: a2.token }), null);
    assert.equal((await ca.check_token(ctx, { token: b.token }))?.instance_uuid, two.uuid);
    assert.deepEqual(closed, [one.uuid]);
  });

  it('refuses the token of a deleted instance even before its tokens are revoked', async () => {
    const inst = await insertInstance({ project: 'p1' });
    const a = await ca.authorize_console(ctx, vnc(inst.uuid));
    await instanceSoftDestroy(inst.uuid);
    assert.equal(await ca.check_token(ctx, { token: a.token }), null);
  });

  it('refuses bad authorizations with the cause named and writes nothing', async () => {
    const inst = await insertInstance({ project: 'p1' });
    const bad: Array<[object, RegExp]> = [
      [{ console_type: 'telnet' }, /console_type 'telnet' is not one of/],
      [{ port: 70000 }, /port 70000 is not a TCP port/],
      [{ host: '' }, /host must be a non-empty string/],
      [{ token: 'short' }, /token must be 32 to 255 url-safe characters/],
      [{ access_url_base: 'x'.repeat(300) }, /access_url_base must be a non-empty string of at most 255/],
    ];
    for (const [change, message] of bad) {
      await assert.rejects(ca.authorize_console(ctx, { ...vnc(inst.uuid), ...change }), { name: 'InvalidInput', message });
    }
    assert.equal(await ConsoleAuthTokenRow.count(), 0);
  });

  it('serves authorize_console, check_token and delete_tokens_for_instance over RPC', async () => {
    const transport = new MemoryTransport('memory://consoleauth-test');
    await transport.start();
    const server = new RpcServer(transport, { topic: CONSOLEAUTH_TOPIC, server: 'h1' }, [ca], nullLogger);
    await server.start();
    try {
      const client = consoleAuthRpcApi(transport, 5000);
      const inst = await insertInstance({ project: 'p1' });
      const a = await client.authorize_console(ctx, vnc(inst.uuid));
      assert.equal((await client.check_token(ctx, { token: a.token }))?.port, 5901);
      await assert.rejects(client.authorize_console(ctx, { ...vnc(inst.uuid), port: 0 }), { name: 'InvalidInput' });
      await client.delete_tokens_for_instance(ctx, { instance_uuid: inst.uuid }); // a cast: returns before the work
      for (let i = 0; i < 100 && await client.check_token(ctx, { token: a.token }); i++) await new Promise((r) => setImmediate(r));
      assert.equal(await client.check_token(ctx, { token: a.token }), null);
    } finally {
      await server.stop();
      await transport.stop();
    }
  });
});
