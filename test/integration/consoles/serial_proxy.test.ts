import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { makeContext } from '../../../src/context';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { runCli } from '../../helpers/cli';
import { bootInstance, computeApi, consoleTargets, freePort, readerOf } from '../../helpers/consoles';

/** A TCP serial port stand-in that answers every line with `echo: <line>`. */
async function startLineEcho(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r'); i >= 0; i = buf.indexOf('\r')) { s.write(`echo: ${buf.slice(0, i)}\r\n`); buf = buf.slice(i + 1); }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** nova-serialproxy over TLS from nova-cert: the URL from os-getSerialConsole relays to the guest's TCP serial port. */
describe('nova-serialproxy: serial console websockets ([serial_console]) with a nova-cert certificate', function () {
  this.timeout(180000);
  let cloud: TestCloud;
  let serial: Awaited<ReturnType<typeof startLineEcho>>;
  let vm: Instance;
  let rootCa: string;
  let port: number;

  before(async () => {
    serial = await startLineEcho();
    consoleTargets.set('*', { serial: serial.port });
    port = await freePort();
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth', 'cert', 'serialproxy'],
      overrides: {
        compute_driver: 'test.ConsoleTestDriver', 'serial_console.enabled': 'true', 'console.ssl_from_cert_service': 'true', ssl_only: 'true',
        'serial_console.serialproxy_host': '127.0.0.1', 'serial_console.serialproxy_port': String(port), 'serial_console.base_url': `wss://127.0.0.1:${port}/`,
      },
    });
    vm = await bootInstance(cloud, 'serial-vm');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-serial-'));
    try {
      const got = await runCli(['x509-get-root-cert', path.join(dir, 'ca.pem')], { env: { OS_COMPUTE_URL: cloud.computeUrl, OS_TOKEN: 'alice:p1' } });
      assert.equal(got.code, 0, got.stderr);
      rootCa = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  after(async () => {
    await cloud?.stop();
    await serial?.stop();
    consoleTargets.clear();
  });

  const serialUrl = async () => {
    const res = await cloud.request('POST', `/servers/${vm.uuid}/action`, { token: 'alice:p1', body: { 'os-getSerialConsole': { type: 'serial' } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.console.type, 'serial');
    return res.body.console.url as string;
  };
  const open = async (url: string) => {
    const ws = new WebSocket(url, { ca: rootCa });
    const reader = readerOf(ws);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return { ws, reader };
  };

  it('relays typed lines to the serial port and its answers back, over wss trusted through the nova-cert root only', async () => {
    const url = await serialUrl();
    assert.match(url, new RegExp(`^wss://127\\.0\\.0\\.1:${port}/\\?token=`));
    const { ws, reader } = await open(url);
    ws.send('hello serial\r');
    assert.equal((await reader.read(20)).toString(), 'echo: hello serial\r\n');
    ws.send(Buffer.from('second\r'));
    assert.equal((await reader.read(14)).toString(), 'echo: second\r\n');
    ws.close();
  });

  it('refuses a bad token (401) and serves no pages', async () => {
    await assert.rejects(open(`wss://127.0.0.1:${port}/?token=${'x'.repeat(43)}`), /Unexpected server response: 401/);
    const page = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('node:https').get(`https://127.0.0.1:${port}/`, { ca: rootCa }, (res: import('node:http').IncomingMessage) => {
        let body = ''; res.on('data', (d) => { body += d; }); res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    assert.equal(page.status, 404);
    assert.match(page.body, /serialproxy serves console websockets only/);
  });

  it('closes an open serial console when the instance is deleted', async () => {
    const { ws } = await open(await serialUrl());
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    await computeApi(cloud).delete(makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member'] }), vm);
    assert.equal(await closed, 1008);
  });
});
