import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext } from 'playwright-core';
import { makeContext } from '../../../src/context';
import { Instance, instanceName } from '../../../src/objects/instance';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { bootInstance, computeApi, freePort, readerOf, rfbHandshake } from '../../helpers/consoles';
import { uploadTestGuest } from '../../helpers/libvirt';
import { libvirtUnavailable, virshAllNames } from '../libvirt/support';
import { CHROMIUM, launchChromium, waitForDrawnScreen } from './support';

/**
 * The whole console path on a real guest: the libvirt driver boots the test guest under QEMU (TCG)
 * with a VNC server, the API hands out its noVNC and XVP URLs, and a browser and an RFB client reach
 * the guest through the proxies; deleting the server ends both.
 */
describe('consoles of a libvirt guest, end to end', function () {
  this.timeout(300000);
  let cloud: TestCloud;
  let browser: BrowserContext | undefined;
  let profile = '';
  let shots = '';
  let vm: Instance;
  let ports: { novnc: number; xvp: number };

  before(async function () {
    const why = libvirtUnavailable() ?? (fs.existsSync(CHROMIUM) ? null : 'chromium is not installed (run scripts/ci/setup-consoles.sh)');
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    ports = { novnc: await freePort(), xvp: await freePort() };
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth', 'novncproxy', 'xvpvncproxy'],
      overrides: {
        compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu',
        'vnc.novncproxy_host': '127.0.0.1', 'vnc.novncproxy_port': String(ports.novnc), 'vnc.novncproxy_base_url': `http://127.0.0.1:${ports.novnc}/vnc_lite.html`,
        'vnc.xvpvncproxy_host': '127.0.0.1', 'vnc.xvpvncproxy_port': String(ports.xvp), 'vnc.xvpvncproxy_base_url': `http://127.0.0.1:${ports.xvp}/console`,
      },
    });
    fs.chmodSync(cloud.statePath, 0o755); // QEMU runs as libvirt-qemu and must reach the disks
    const root = await uploadTestGuest(cloud);
    vm = await bootInstance(cloud, 'console-guest', { imageRef: root, timeoutMs: 120000 });
    shots = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-console-shots-'));
    ({ browser, profile } = await launchChromium());
  });
  after(async () => {
    await browser?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    if (vm && cloud) await computeApi(cloud).delete(makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member'] }), vm).catch(() => undefined);
    await cloud?.stop();
    if (shots) process.stderr.write(`      console screenshots: ${shots}\n`);
  });

  const consoleUrl = async (type: string) => {
    const res = await cloud.request('POST', `/servers/${vm.uuid}/remote-consoles`, { token: 'alice:p1', version: '2.6', body: { remote_console: { protocol: 'vnc', type } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.remote_console.url as string;
  };

  it('reaches the guest\'s VNC server through the XVP proxy', async () => {
    const url = new URL(await consoleUrl('xvpvnc'));
    const socket = net.connect(ports.xvp, '127.0.0.1');
    const reader = readerOf(socket);
    await new Promise((r) => socket.once('connect', r));
    socket.write(`CONNECT /console${url.search} HTTP/1.0\r\n\r\n`);
    assert.equal((await reader.read(19)).toString('latin1'), 'HTTP/1.1 200 OK\r\n\r\n');
    const init = await rfbHandshake(reader, (b) => socket.write(b));
    assert.match(init.name, /instance-[0-9a-f]{8}/, `QEMU names the display after the domain: ${init.name}`);
    socket.destroy();
  });

  it('shows the guest screen in noVNC from the URL the API hands out, and disconnects when the server is deleted', async () => {
    const page = await browser!.newPage();
    await page.goto(await consoleUrl('novnc'));
    await page.waitForSelector('body[data-state="connected"]', { timeout: 30000 });
    const stats = await waitForDrawnScreen(page, '#screen');
    assert.ok(stats.width >= 320, JSON.stringify(stats));
    await page.screenshot({ path: path.join(shots, 'libvirt-guest-novnc.png') });
    const domain = instanceName(cloud.rt.conf.DEFAULT.instance_name_template, vm);
    assert.ok(virshAllNames().includes(domain), `domain ${domain} runs`);
    await computeApi(cloud).delete(makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member'] }), vm);
    await page.waitForSelector('body[data-state="disconnected"]', { timeout: 60000 });
    await waitFor(async () => !virshAllNames().includes(domain), 30000, `domain ${domain} to be gone`);
    await page.close();
  });
});
