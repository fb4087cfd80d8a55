import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { WebSocket } from 'ws';
import { loadProxyTls } from '../../src/console/listener';
import { SessionRegistry } from '../../src/console/sessions';
import { WebsocketConsoleProxy } from '../../src/console/websocket_proxy';
import { XvpVncProxy } from '../../src/console/xvp_proxy';
import { ConnectInfo, ConsoleAuthMethods } from '../../src/consoleauth/rpcapi';
import { nullLogger } from '../../src/lib/log';
import { openssl } from '../helpers/openssl';

/** A consoleauth that knows one token per console type, all leading to `port`. */
function fakeConsoleauth(port: number): ConsoleAuthMethods {
  const info = (console_type: string, access_url: string): ConnectInfo => ({
    instance_uuid: 'i-1', console_type, host: '127.0.0.1', port, internal_access_path: null, access_url, expires: Date.now() / 1000 + 600,
  });
  return {
    authorize_console: async () => { throw new Error('not used'); },
    check_token: async (_c, a) => (a.token === 'novnc-token-000000000000000000000000' ? info('novnc', 'https://127.0.0.1/vnc_lite.html')
      : a.token === 'xvp-token-00000000000000000000000000' ? info('xvpvnc', 'https://127.0.0.1/console') : null),
    delete_tokens_for_instance: async () => undefined,
  };
}

describe('console proxy TLS ([DEFAULT] ssl_only, cert, key) and session bookkeeping', () => {
  let dir: string;
  let echo: net.Server;
  let echoPort: number;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-console-tls-'));
    const r = openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-subj', '/CN=127.0.0.1', '-days', '1']);
    assert.equal(r.code, 0, r.stderr);
    echo = net.createServer((s) => { s.on('error', () => undefined); s.pipe(s); });
    await new Promise<void>((res) => echo.listen(0, '127.0.0.1', res));
    echoPort = (echo.address() as net.AddressInfo).port;
  });
  after(async () => { await new Promise((r) => echo.close(r)); });

  const tlsConf = (sslOnly: boolean) => loadProxyTls({ ssl_only: sslOnly, cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') });
  const wsProxy = (sslOnly: boolean) => new WebsocketConsoleProxy({
    name: 'novncproxy', host: '127.0.0.1', port: 0, advertise: '127.0.0.1', tls: tlsConf(sslOnly), sslOnly, consoleauth: fakeConsoleauth(echoPort),
    consoleTypes: ['novnc'], allowedOrigins: [], websocketPaths: ['/', '/websockify'], web: { mounts: [], index: '/vnc_lite.html' },
    sessions: new SessionRegistry(), log: nullLogger,
  });
  const echoOver = (url: string) => new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    ws.once('open', () => ws.send(Buffer.from('ping')));
    ws.once('message', (d: Buffer) => { resolve(Buffer.from(d).toString()); ws.close(); });
    ws.once('error', reject);
  });

  it('refuses ssl_only without a certificate, and a missing key, naming the option to fix', () => {
    assert.throws(() => loadProxyTls({ ssl_only: true, cert: path.join(dir, 'nope.pem'), key: '' }), /\[DEFAULT\] ssl_only is set but the certificate .*nope\.pem.*\[DEFAULT\] cert/);
    assert.throws(() => loadProxyTls({ ssl_only: false, cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'nokey.pem') }), /\[DEFAULT\] key/);
    assert.equal(loadProxyTls({ ssl_only: false, cert: path.join(dir, 'nope.pem'), key: '' }), null, 'no certificate: plain only');
  });

  it('serves plain and TLS websockets on one port, and only TLS with ssl_only', async () => {
    const both = wsProxy(false);
    await both.start();
    try {
      assert.equal(await echoOver(`ws://127.0.0.1:${both.port}/?token=novnc-token-000000000000000000000000`), 'ping');
      assert.equal(await echoOver(`wss://127.0.0.1:${both.port}/?token=novnc-token-000000000000000000000000`), 'ping');
    } finally { await both.stop(); }

    const only = wsProxy(true);
    await only.start();
    try {
      assert.match(only.url, /^https:/);
      assert.equal(await echoOver(`wss://127.0.0.1:${only.port}/websockify?token=novnc-token-000000000000000000000000`), 'ping');
      await assert.rejects(echoOver(`ws://127.0.0.1:${only.port}/?token=novnc-token-000000000000000000000000`));
      await assert.rejects(fetch(`http://127.0.0.1:${only.port}/vnc_lite.html`));
    } finally { await only.stop(); }
  });

  it('speaks XVP over TLS too', async () => {
    const proxy = new XvpVncProxy({
      host: '127.0.0.1', port: 0, advertise: '127.0.0.1', tls: tlsConf(true), sslOnly: true, consoleauth: fakeConsoleauth(echoPort),
      sessions: new SessionRegistry(), log: nullLogger,
    });
    await proxy.start();
    try {
      const sock = tls.connect({ host: '127.0.0.1', port: proxy.port, rejectUnauthorized: false });
      await new Promise((r) => sock.once('secureConnect', r));
      sock.write('CONNECT /console?token=xvp-token-00000000000000000000000000 HTTP/1.1\r\nHost: x\r\n\r\nhello');
      let got = '';
      await new Promise<void>((resolve) => sock.on('data', (d) => { got += d; if (got.endsWith('hello')) resolve(); }));
      assert.equal(got, 'HTTP/1.1 200 OK\r\n\r\nhello', 'bytes sent right after the request head are relayed, not lost');
      sock.destroy();
    } finally { await proxy.stop(); }
  });

  it('closes sessions by instance, and on re-check only those whose unexpired token was revoked', async () => {
    const reg = new SessionRegistry();
    const closedWith: string[] = [];
    const session = (id: string, uuid: string, token: string, expires: number) =>
      reg.add({ instance_uuid: uuid, token, expires, close: (why) => closedWith.push(`${id}: ${why}`) });
    session('a1', 'A', 'ta', 2000);
    session('a2', 'A', 'ta', 2000);
    session('b', 'B', 'tb', 2000);
    session('c-expired', 'C', 'tc', 900);
    session('d-flaky', 'D', 'td', 2000);
    assert.equal(reg.closeForInstance('A', 'revoked'), 2);
    assert.deepEqual(closedWith, ['a1: revoked', 'a2: revoked']);
    const checked: string[] = [];
    const closedCount = await reg.recheck(async (token) => {
      checked.push(token);
      if (token === 'td') throw new Error('consoleauth unreachable');
      return false;
    }, 1000);
    assert.deepEqual(checked.sort(), ['tb', 'td'], 'expired tokens are not re-checked (Nova keeps such sessions open)');
    assert.equal(closedCount, 1);
    assert.deepEqual(closedWith.slice(2), ['b: console token revoked']);
    assert.equal(reg.size, 2, 'the expired-token session and the one whose check failed stay open');
  });
});
