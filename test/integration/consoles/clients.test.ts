import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { WebSocket } from 'ws';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { consoleTargets, ConsoleServer, freePort, readerOf, rfbHandshake, startVncServer } from '../../helpers/consoles';
import { openstackRunner } from '../../helpers/openstack';

const NOVACLIENT = '/usr/bin/nova';

/** Runs python-novaclient with the openrc's environment; resolves with its output. */
function novaclient(openrc: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', '. "$1" && shift && exec "$@"', 'sh', openrc, NOVACLIENT, ...args], { env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 120000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** Follows a noVNC URL as its page does (websocket on `path`) and does the RFB handshake through the proxy. */
async function rfbThroughNovnc(url: string): Promise<number> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/${(u.searchParams.get('path') ?? 'websockify').replace(/^\//, '')}`, { headers: { origin: u.origin } });
  const reader = readerOf(ws);
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  const init = await rfbHandshake(reader, (b) => ws.send(b));
  ws.close();
  return init.width;
}

/** The real clients ask for console URLs (openstack console url show, nova get-vnc-console) and the URLs work. */
describe('console URLs from the real OpenStack clients', function () {
  this.timeout(300000);
  let vnc: ConsoleServer;
  let cloud: TestCloud;
  let osc: ReturnType<typeof openstackRunner>;
  let openrc: string;
  let serverId: string;
  let ports: { novnc: number; xvp: number; serial: number };

  before(async () => {
    vnc = await startVncServer();
    // The serial proxy relays raw TCP: pointed at the VNC server, its greeting shows bytes came through.
    consoleTargets.set('*', { vnc: vnc.port, serial: vnc.port });
    ports = { novnc: await freePort(), xvp: await freePort(), serial: await freePort() };
    cloud = await startCloud({
      auth: 'keystone',
      daemons: ['identity', 'image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth', 'novncproxy', 'xvpvncproxy', 'serialproxy'],
      overrides: {
        compute_driver: 'test.ConsoleTestDriver',
        'vnc.novncproxy_host': '127.0.0.1', 'vnc.novncproxy_port': String(ports.novnc), 'vnc.novncproxy_base_url': `http://127.0.0.1:${ports.novnc}/vnc_lite.html`,
        'vnc.xvpvncproxy_host': '127.0.0.1', 'vnc.xvpvncproxy_port': String(ports.xvp), 'vnc.xvpvncproxy_base_url': `http://127.0.0.1:${ports.xvp}/console`,
        'serial_console.enabled': 'true', 'serial_console.serialproxy_host': '127.0.0.1', 'serial_console.serialproxy_port': String(ports.serial),
        'serial_console.base_url': `ws://127.0.0.1:${ports.serial}/`,
      },
    });
    openrc = path.join(cloud.statePath, 'openrc');
    osc = openstackRunner({ openrc });
    const file = path.join(osc.home, 'disk.img');
    fs.writeFileSync(file, Buffer.alloc(64 * 1024, 7));
    await osc.json('image', 'create', '--file', file, '--disk-format', 'raw', '--container-format', 'bare', 'console-image');
    const server = await osc.json('--os-compute-api-version', '2.37', 'server', 'create', '--flavor', 'm1.tiny', '--image', 'console-image',
      '--nic', 'none', '--wait', 'console-server');
    serverId = server.id;
  });
  after(async () => {
    await cloud?.stop();
    osc?.cleanup();
    await vnc?.stop();
    consoleTargets.clear();
  });

  it('openstack console url show --novnc gives a URL that reaches the guest\'s VNC server', async () => {
    const shown = await osc.json('console', 'url', 'show', '--novnc', 'console-server');
    assert.equal(shown.type, 'novnc');
    assert.match(shown.url, new RegExp(`^http://127\\.0\\.0\\.1:${ports.novnc}/vnc_lite\\.html\\?path=%3Ftoken%3D`));
    assert.ok(await rfbThroughNovnc(shown.url) > 0);
  });

  it('openstack console url show --xvpvnc gives a URL the XVP proxy accepts', async () => {
    const shown = await osc.json('console', 'url', 'show', '--xvpvnc', serverId);
    assert.equal(shown.type, 'xvpvnc');
    const u = new URL(shown.url);
    const socket = net.connect(Number(u.port), u.hostname);
    const reader = readerOf(socket);
    await new Promise((r) => socket.once('connect', r));
    socket.write(`CONNECT ${u.pathname}${u.search} HTTP/1.0\r\n\r\n`);
    assert.equal((await reader.read(19)).toString('latin1'), 'HTTP/1.1 200 OK\r\n\r\n');
    assert.ok((await rfbHandshake(reader, (b) => socket.write(b))).width > 0);
    socket.destroy();
  });

  it('openstack console url show --spice answers Nova\'s 400 while SPICE is disabled', async () => {
    const r = await osc.run(['console', 'url', 'show', '--spice', serverId]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unavailable console type spice-html5/);
  });

  it('nova get-vnc-console (python-novaclient, the 2.1 action and 2.6 remote-consoles) gives working URLs', async function () {
    if (!fs.existsSync(NOVACLIENT)) this.skip();
    for (const version of ['2.1', '2.6']) {
      const r = await novaclient(openrc, ['--os-compute-api-version', version, 'get-vnc-console', serverId, 'novnc']);
      assert.equal(r.code, 0, r.stderr);
      const url = /\|\s*novnc\s*\|\s*(\S+)\s*\|/.exec(r.stdout)?.[1];
      assert.ok(url, r.stdout);
      assert.ok(await rfbThroughNovnc(url!) > 0, version);
    }
  });

  it('openstack console url show --serial and nova get-serial-console give nova-serialproxy URLs that relay', async () => {
    const greeting = async (url: string) => {
      const ws = new WebSocket(url);
      const reader = readerOf(ws);
      await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
      const got = (await reader.read(12)).toString('latin1');
      ws.close();
      return got;
    };
    const shown = await osc.json('console', 'url', 'show', '--serial', serverId);
    assert.equal(shown.type, 'serial');
    assert.match(shown.url, new RegExp(`^ws://127\\.0\\.0\\.1:${ports.serial}/\\?token=`));
    assert.equal(await greeting(shown.url), 'RFB 003.008\n');
    if (!fs.existsSync(NOVACLIENT)) return;
    const r = await novaclient(openrc, ['get-serial-console', serverId]);
    assert.equal(r.code, 0, r.stderr);
    const url = /\|\s*serial\s*\|\s*(\S+)\s*\|/.exec(r.stdout)?.[1];
    assert.ok(url, r.stdout);
    assert.equal(await greeting(url!), 'RFB 003.008\n');
  });
});
