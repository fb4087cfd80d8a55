import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as net from 'node:net';
import { WebSocket } from 'ws';
import { ConsoleProxyDaemon } from '../../src/console/proxy_daemon';
import { hashToken, newConsoleToken } from '../../src/consoleauth/manager';
import { consoleAuthTokenCreate, consoleAuthTokenDestroyAllByInstance } from '../../src/db/api/console_auth_tokens';
import { makeContext } from '../../src/context';
import { Instance } from '../../src/objects/instance';
import { startCloud, TestCloud, waitFor } from '../helpers/cloud';
import {
  bootInstance, ByteReader, computeApi, consoleTargets, ConsoleServer, freePort, readerOf, rfbHandshake, spiceLinkMessage,
  startCountingForwarder, startSpiceServer, startVncServer, tokenOf,
} from '../helpers/consoles';

type Forwarder = Awaited<ReturnType<typeof startCountingForwarder>>;

type OpenWs = WebSocket & { reader: ByteReader };

/**
 * Opens a websocket whose messages are read from the start (`reader`); resolves when open, rejects
 * with the HTTP status when the upgrade is refused.
 */
function openWs(url: string, o: { origin?: string; cookie?: string; protocols?: string[] } = {}): Promise<OpenWs> {
  const headers: Record<string, string> = {};
  if (o.origin) headers.origin = o.origin;
  if (o.cookie) headers.cookie = o.cookie;
  return new Promise((resolve, reject) => {
    const ws = Object.assign(new WebSocket(url, o.protocols ?? [], { headers }), { reader: new ByteReader() });
    ws.on('message', (d: Buffer) => ws.reader.push(Buffer.from(d)));
    ws.on('close', () => ws.reader.end());
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res: http.IncomingMessage) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body.trim()}`), { status: res.statusCode, body })));
    });
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve({ code: -1, reason: 'already closed' });
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Sends an XVP request line and reads the answer's head; the socket stays open after a 200. */
async function xvpConnect(port: number, requestLine: string): Promise<{ status: string; socket: net.Socket; reader: ByteReader }> {
  const socket = net.connect(port, '127.0.0.1');
  const reader = readerOf(socket);
  await new Promise((r) => socket.once('connect', r));
  socket.write(`${requestLine}\r\n\r\n`);
  let head = '';
  while (!head.endsWith('\r\n\r\n')) head += (await reader.read(1)).toString('latin1');
  return { status: head.split('\r\n')[0], socket, reader };
}

describe('console proxies relaying to real console servers', function () {
  this.timeout(60000);
  let vnc: ConsoleServer;
  let spice: ConsoleServer | null;
  let fwdA: Forwarder;
  let fwdB: Forwarder;
  let cloud: TestCloud;
  let ports: { novnc: number; xvp: number; spice: number };
  let a: Instance;
  let b: Instance;
  const alice = { token: 'alice:p1' };
  const daemon = (name: string) => cloud.launcher.daemons.find((d) => d.name === name) as ConsoleProxyDaemon;

  before(async () => {
    vnc = await startVncServer();
    spice = await startSpiceServer();
    fwdA = await startCountingForwarder(vnc.port);
    fwdB = await startCountingForwarder(vnc.port);
    consoleTargets.set('vm-a', { vnc: fwdA.port, spice: spice?.port });
    consoleTargets.set('vm-b', { vnc: fwdB.port });
    ports = { novnc: await freePort(), xvp: await freePort(), spice: await freePort() };
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth', 'novncproxy', 'xvpvncproxy', 'spicehtml5proxy'],
      overrides: {
        compute_driver: 'test.ConsoleTestDriver', periodic_interval: '3600', 'spice.enabled': 'true',
        'vnc.novncproxy_host': '127.0.0.1', 'vnc.novncproxy_port': String(ports.novnc), 'vnc.novncproxy_base_url': `http://127.0.0.1:${ports.novnc}/vnc_lite.html`,
        'vnc.xvpvncproxy_host': '127.0.0.1', 'vnc.xvpvncproxy_port': String(ports.xvp), 'vnc.xvpvncproxy_base_url': `http://127.0.0.1:${ports.xvp}/console`,
        'spice.html5proxy_host': '127.0.0.1', 'spice.html5proxy_port': String(ports.spice), 'spice.html5proxy_base_url': `http://127.0.0.1:${ports.spice}/spice_auto.html`,
      },
    });
    a = await bootInstance(cloud, 'vm-a');
    b = await bootInstance(cloud, 'vm-b');
  });
  after(async () => {
    await cloud?.stop();
    await fwdA?.stop();
    await fwdB?.stop();
    await vnc?.stop();
    await spice?.stop();
    consoleTargets.clear();
  });

  const consoleUrl = async (inst: Instance, protocol: string, type: string) => {
    const res = await cloud.request('POST', `/servers/${inst.uuid}/remote-consoles`, { ...alice, version: '2.6', body: { remote_console: { protocol, type } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.remote_console.url as string;
  };
  /** The websocket URL noVNC's page opens for a handed-out URL: ws://host:port/ + its `path` parameter. */
  const novncSocketUrl = (pageUrl: string) => {
    const u = new URL(pageUrl);
    return `ws://${u.host}/${(u.searchParams.get('path') ?? 'websockify').replace(/^\//, '')}`;
  };
  const novncOrigin = () => `http://127.0.0.1:${ports.novnc}`;
  const relayed = () => fwdA.connections + fwdB.connections;

  it('relays an RFB handshake through the noVNC websocket opened as the handed-out URL says (/ with ?token)', async () => {
    const before = fwdA.connections;
    const url = await consoleUrl(a, 'vnc', 'novnc');
    const ws = await openWs(novncSocketUrl(url), { origin: novncOrigin() });
    assert.equal(ws.protocol, '', 'noVNC offers no subprotocol and gets none');
    const init = await rfbHandshake(ws.reader, (buf) => ws.send(buf));
    assert.ok(init.width > 0 && init.height > 0, `framebuffer ${init.width}x${init.height}`);
    if (vnc.kind.startsWith('QEMU')) assert.match(init.name, /QEMU/);
    assert.equal(fwdA.connections, before + 1);
    assert.equal(daemon('novncproxy').sessions.forInstance(a.uuid).length, 1);
    ws.close();
    await closed(ws);
    await waitFor(async () => daemon('novncproxy').sessions.size === 0, 5000, 'the session to end');
  });

  it('takes the token from a cookie on /websockify and echoes the binary subprotocol when offered', async () => {
    const token = tokenOf(await consoleUrl(a, 'vnc', 'novnc'));
    const ws = await openWs(`ws://127.0.0.1:${ports.novnc}/websockify`, { cookie: `token=${token}`, protocols: ['binary'], origin: novncOrigin() });
    assert.equal(ws.protocol, 'binary');
    assert.ok((await rfbHandshake(ws.reader, (buf) => ws.send(buf))).width > 0);
    ws.close();
    await closed(ws);
  });

  it('relays an RFB handshake through the XVP proxy after its CONNECT exchange', async () => {
    const url = await consoleUrl(a, 'vnc', 'xvpvnc');
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${ports.xvp}/console\\?token=`));
    const { status, socket, reader } = await xvpConnect(ports.xvp, `CONNECT ${new URL(url).pathname}${new URL(url).search} HTTP/1.0`);
    assert.equal(status, 'HTTP/1.1 200 OK');
    assert.ok((await rfbHandshake(reader, (buf) => socket.write(buf))).width > 0);
    socket.destroy();
  });

  it('refuses missing, bad, expired and other-type tokens, bad origins and paths, and relays nothing', async () => {
    const before = relayed();
    const novnc = `ws://127.0.0.1:${ports.novnc}`;
    const expired = newConsoleToken();
    await consoleAuthTokenCreate({
      token_hash: hashToken(expired), console_type: 'novnc', host: '127.0.0.1', port: fwdA.port, internal_access_path: null,
      instance_uuid: a.uuid, expires: Math.floor(Date.now() / 1000) - 1, access_url_base: `${novncOrigin()}/vnc_lite.html`,
    });
    const xvpToken = tokenOf(await consoleUrl(a, 'vnc', 'xvpvnc'));
    const good = tokenOf(await consoleUrl(a, 'vnc', 'novnc'));
    const refusals: Array<[string, Parameters<typeof openWs>[1], number]> = [
      [`${novnc}/`, { origin: novncOrigin() }, 401],
      [`${novnc}/?token=${newConsoleToken()}`, { origin: novncOrigin() }, 401],
      [`${novnc}/?token=${expired}`, { origin: novncOrigin() }, 401],
      [`${novnc}/?token=${xvpToken}`, { origin: novncOrigin() }, 401],
      [`${novnc}/?token=${good}`, { origin: 'http://evil.example' }, 403],
      [`${novnc}/?token=${good}`, { origin: `https://127.0.0.1:${ports.novnc}` }, 403],
      [`${novnc}/elsewhere?token=${good}`, { origin: novncOrigin() }, 404],
    ];
    for (const [url, o, status] of refusals) {
      await assert.rejects(openWs(url, o), (e: { status?: number; message: string }) => {
        assert.equal(e.status, status, `${url} ${JSON.stringify(o)}: ${e.message}`);
        return true;
      });
    }
    assert.equal((await xvpConnect(ports.xvp, 'CONNECT /console HTTP/1.0')).status, 'HTTP/1.1 400 Invalid Request');
    assert.equal((await xvpConnect(ports.xvp, `CONNECT /console?token=${newConsoleToken()} HTTP/1.0`)).status, 'HTTP/1.1 401 Not Authorized');
    assert.equal((await xvpConnect(ports.xvp, `CONNECT /console?token=${good} HTTP/1.0`)).status, 'HTTP/1.1 401 Not Authorized');
    assert.equal(relayed(), before, 'no connection reached a console server');
  });

  it('leads each token to its own instance; deleting an instance revokes its tokens and closes its open sessions', async () => {
    const wsA = await openWs(novncSocketUrl(await consoleUrl(a, 'vnc', 'novnc')), { origin: novncOrigin() });
    const wsB = await openWs(novncSocketUrl(await consoleUrl(b, 'vnc', 'novnc')), { origin: novncOrigin() });
    await rfbHandshake(wsA.reader, (buf) => wsA.send(buf));
    await rfbHandshake(wsB.reader, (buf) => wsB.send(buf));
    assert.equal(fwdA.open.size, 1);
    assert.equal(fwdB.open.size, 1);
    const xvpUrl = new URL(await consoleUrl(a, 'vnc', 'xvpvnc'));
    const xvp = await xvpConnect(ports.xvp, `CONNECT /console${xvpUrl.search} HTTP/1.0`);
    assert.equal(xvp.status, 'HTTP/1.1 200 OK');
    const staleA = await consoleUrl(a, 'vnc', 'novnc');
    const xvpClosed = new Promise((r) => xvp.socket.once('close', r));

    const aClosed = closed(wsA);
    await computeApi(cloud).delete(makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member'] }), a);
    assert.deepEqual(await aClosed, { code: 1008, reason: 'console token revoked' });
    await xvpClosed;
    await waitFor(async () => fwdA.open.size === 0, 5000, 'the relay to vm-a to end');
    assert.equal(wsB.readyState, WebSocket.OPEN, 'another instance\'s console stays open');
    assert.equal(fwdB.open.size, 1);
    await assert.rejects(openWs(novncSocketUrl(staleA), { origin: novncOrigin() }), { status: 401 });
    const again = await openWs(novncSocketUrl(await consoleUrl(b, 'vnc', 'novnc')), { origin: novncOrigin() });
    assert.ok((await rfbHandshake(again.reader, (buf) => again.send(buf))).width > 0);
    again.close();
    wsB.close();
    await Promise.all([closed(again), closed(wsB)]);
  });

  it('closes sessions whose tokens were revoked behind its back when it re-checks them (a missed fanout)', async () => {
    const ws = await openWs(novncSocketUrl(await consoleUrl(b, 'vnc', 'novnc')), { origin: novncOrigin() });
    await rfbHandshake(ws.reader, (buf) => ws.send(buf));
    const proxy = daemon('novncproxy');
    assert.equal(await proxy.recheckSessions(), 0, 'a valid token keeps its session');
    await consoleAuthTokenDestroyAllByInstance(b.uuid); // no fanout: only the re-check can notice
    assert.equal(ws.readyState, WebSocket.OPEN);
    const end = closed(ws);
    assert.equal(await proxy.recheckSessions(), 1);
    assert.equal((await end).code, 1008);
  });

  it('relays SPICE through its websocket proxy: binary subprotocol echoed, one token for several channels', async function () {
    if (!spice) this.skip();
    const vm = await bootInstance(cloud, 'vm-spice');
    consoleTargets.set('vm-spice', { spice: spice!.port });
    const url = await consoleUrl(vm, 'spice', 'spice-html5');
    assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${ports.spice}/spice_auto\\.html\\?token=`));
    const token = tokenOf(url);
    // spice_auto.html puts ?token= in a cookie and opens every channel on /websockify with it.
    const channels = await Promise.all([1, 2, 3, 4].map(() =>
      openWs(`ws://127.0.0.1:${ports.spice}/websockify`, { cookie: `token=${token}`, protocols: ['binary'], origin: `http://127.0.0.1:${ports.spice}` })));
    for (const ws of channels) {
      assert.equal(ws.protocol, 'binary');
      const reader = ws.reader;
      ws.send(spiceLinkMessage());
      assert.equal((await reader.read(4)).toString('latin1'), 'REDQ');
    }
    assert.equal(daemon('spicehtml5proxy').sessions.forInstance(vm.uuid).length, 4);
    channels.forEach((ws) => ws.close());
    await Promise.all(channels.map(closed));
    // A noVNC token is not a SPICE token.
    const novncToken = tokenOf(await consoleUrl(b, 'vnc', 'novnc'));
    await assert.rejects(openWs(`ws://127.0.0.1:${ports.spice}/?token=${novncToken}`), { status: 401 });
  });

  it('serves the noVNC page and library, and spice-html5, over HTTP', async () => {
    const base = `http://127.0.0.1:${ports.novnc}`;
    for (const page of ['/vnc_lite.html', '/vnc_auto.html']) {
      const res = await fetch(base + page);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await res.text(), /import RFB from '\.\/core\/rfb\.js'/);
    }
    const rfb = await fetch(`${base}/core/rfb.js`);
    assert.equal(rfb.status, 200);
    assert.match(rfb.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal((await fetch(`${base}/vendor/pako/lib/zlib/inflate.js`)).status, 200);
    assert.equal((await fetch(`${base}/core/%2e%2e/package.json`)).status, 404);
    const root = await fetch(`${base}/?path=x`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/vnc_lite.html?path=x');
    assert.equal((await fetch(`${base}/vnc_lite.html`, { method: 'POST' })).status, 405);
    const spiceBase = `http://127.0.0.1:${ports.spice}`;
    const spicePage = await fetch(`${spiceBase}/spice_auto.html`);
    if (spicePage.status === 404) assert.match(await spicePage.text(), /install the Debian package spice-html5/);
    else {
      assert.equal(spicePage.status, 200);
      assert.match(await spicePage.text(), /main\.js/);
    }
  });
});
