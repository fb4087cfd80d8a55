import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext } from 'playwright-core';
import { makeContext } from '../../../src/context';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { bootInstance, computeApi, consoleTargets, ConsoleServer, freePort, hasQemu, startSpiceServer, startVncServer } from '../../helpers/consoles';
import { CHROMIUM, launchChromium, waitForDrawnScreen } from './support';

describe('browser consoles: noVNC and spice-html5 in headless Chromium through the proxies', function () {
  this.timeout(180000);
  let vnc: ConsoleServer;
  let spice: ConsoleServer | null;
  let cloud: TestCloud;
  let browser: BrowserContext;
  let shots: string;
  let vm: Instance;
  let profile: string;

  before(async function () {
    if (!hasQemu || !fs.existsSync(CHROMIUM)) {
      throw new Error('QEMU and Chromium are needed: run scripts/ci/setup-consoles.sh as root');
    }
    vnc = await startVncServer();
    spice = await startSpiceServer();
    consoleTargets.set('*', { vnc: vnc.port, spice: spice?.port });
    const ports = { novnc: await freePort(), spice: await freePort() };
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth', 'novncproxy', 'spicehtml5proxy'],
      overrides: {
        compute_driver: 'test.ConsoleTestDriver', 'spice.enabled': 'true',
        'vnc.novncproxy_host': '127.0.0.1', 'vnc.novncproxy_port': String(ports.novnc), 'vnc.novncproxy_base_url': `http://127.0.0.1:${ports.novnc}/vnc_lite.html`,
        'spice.html5proxy_host': '127.0.0.1', 'spice.html5proxy_port': String(ports.spice), 'spice.html5proxy_base_url': `http://127.0.0.1:${ports.spice}/spice_auto.html`,
      },
    });
    vm = await bootInstance(cloud, 'browser-vm');
    shots = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-console-shots-'));
    ({ browser, profile } = await launchChromium());
  });
  after(async () => {
    await browser?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
    if (shots) process.stderr.write(`      console screenshots: ${shots}\n`);
    await cloud?.stop();
    await vnc?.stop();
    await spice?.stop();
    consoleTargets.clear();
  });

  const consoleUrl = async (protocol: string, type: string) => {
    const res = await cloud.request('POST', `/servers/${vm.uuid}/remote-consoles`, { token: 'alice:p1', version: '2.6', body: { remote_console: { protocol, type } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.remote_console.url as string;
  };

  it('opens the noVNC URL the API hands out, as is, and shows the guest screen', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(await consoleUrl('vnc', 'novnc'));
    await page.waitForSelector('body[data-state="connected"]', { timeout: 30000 }).catch(async (e) => {
      throw new Error(`noVNC did not connect (${await page.textContent('#status')}; ${problems.join('; ')}): ${e.message}`);
    });
    const stats = await waitForDrawnScreen(page, '#screen');
    await page.screenshot({ path: path.join(shots, 'novnc.png') });
    assert.ok(fs.statSync(path.join(shots, 'novnc.png')).size > 1000);
    assert.ok(stats.width >= 320 && stats.height >= 200, JSON.stringify(stats));
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('opens the spice-html5 URL the API hands out, as is, and shows the guest screen', async function () {
    if (!spice) this.skip();
    const page = await browser.newPage();
    await page.goto(await consoleUrl('spice', 'spice-html5'));
    await page.waitForSelector('#spice-screen canvas', { timeout: 30000 });
    const stats = await waitForDrawnScreen(page, '#spice-screen');
    await page.screenshot({ path: path.join(shots, 'spice.png') });
    assert.ok(fs.statSync(path.join(shots, 'spice.png')).size > 1000);
    assert.ok(stats.width >= 320 && stats.height >= 200, JSON.stringify(stats));
    await page.close();
  });

  it('shows the noVNC console disconnected once the instance is deleted', async () => {
    const page = await browser.newPage();
    await page.goto(await consoleUrl('vnc', 'novnc'));
    await page.waitForSelector('body[data-state="connected"]', { timeout: 30000 });
    await computeApi(cloud).delete(makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member'] }), vm);
    await page.waitForSelector('body[data-state="disconnected"]', { timeout: 30000 });
    await page.screenshot({ path: path.join(shots, 'novnc-closed.png') });
    await page.close();
  });
});
