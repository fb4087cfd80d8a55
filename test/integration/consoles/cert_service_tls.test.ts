import { strict as assert } from 'node:assert';
import { createHash, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { WebSocket } from 'ws';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { runCli } from '../../helpers/cli';
import { bootInstance, consoleTargets, ConsoleServer, freePort, readerOf, rfbHandshake, startVncServer, tokenOf } from '../../helpers/consoles';
import { CHROMIUM, launchChromium, waitForDrawnScreen } from './support';

/** Chromium's form of a public key pin: base64 of the SHA-256 of the DER SubjectPublicKeyInfo. */
function spkiHash(cert: X509Certificate): string {
  return createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/**
 * [console] ssl_from_cert_service: the proxies serve TLS with a certificate nova-cert signed, and a
 * client that trusts nothing but the root CA `nova x509-get-root-cert` wrote verifies them.
 */
describe('console proxies with a nova-cert certificate ([console] ssl_from_cert_service)', function () {
  this.timeout(300000);
  let vnc: ConsoleServer;
  let cloud: TestCloud;
  let work: string;
  let rootCa: string;
  let ports: { novnc: number; xvp: number };
  let instanceId: string;

  before(async () => {
    vnc = await startVncServer();
    consoleTargets.set('*', { vnc: vnc.port });
    ports = { novnc: await freePort(), xvp: await freePort() };
    cloud = await startCloud({
      // nova-cert starts first: the proxies ask it for their certificate as they start.
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth', 'cert', 'novncproxy', 'xvpvncproxy'],
      overrides: {
        compute_driver: 'test.ConsoleTestDriver', 'console.ssl_from_cert_service': 'true', ssl_only: 'true',
        'vnc.novncproxy_host': '127.0.0.1', 'vnc.novncproxy_port': String(ports.novnc), 'vnc.novncproxy_base_url': `https://127.0.0.1:${ports.novnc}/vnc_lite.html`,
        'vnc.xvpvncproxy_host': '127.0.0.1', 'vnc.xvpvncproxy_port': String(ports.xvp), 'vnc.xvpvncproxy_base_url': `https://127.0.0.1:${ports.xvp}/console`,
      },
    });
    instanceId = (await bootInstance(cloud, 'tls-vm')).uuid;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-console-certtls-'));
    const file = path.join(work, 'cacert.pem');
    const got = await runCli(['x509-get-root-cert', file], { env: { OS_COMPUTE_URL: cloud.computeUrl, OS_TOKEN: 'alice:p1' } });
    assert.equal(got.code, 0, got.stderr);
    rootCa = fs.readFileSync(file, 'utf8');
  });
  after(async () => {
    await cloud?.stop();
    await vnc?.stop();
    consoleTargets.clear();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const consoleUrl = async (protocol: string, type: string) => {
    const res = await cloud.request('POST', `/servers/${instanceId}/remote-consoles`, { token: 'alice:p1', version: '2.6', body: { remote_console: { protocol, type } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.remote_console.url as string;
  };

  /** Opens the websocket a noVNC URL leads to, trusting only `ca`; resolves with the open socket and the proxy's certificate. */
  const openWss = async (url: string, ca?: string) => {
    const u = new URL(url);
    const ws = new WebSocket(`wss://${u.host}/websockify?token=${tokenOf(url)}`, { ca, headers: { origin: u.origin } });
    const reader = readerOf(ws);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    const peer = new X509Certificate(((ws as unknown as { _socket: tls.TLSSocket })._socket).getPeerCertificate().raw);
    return { ws, reader, peer };
  };

  it('caches the certificate nova-cert issued under state_path, mode 0600, naming the proxy host', () => {
    const file = path.join(cloud.statePath, 'console_tls', 'novncproxy.pem');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const cached = fs.readFileSync(file, 'utf8');
    assert.match(cached, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const cert = new X509Certificate(cached.slice(cached.indexOf('-----BEGIN CERTIFICATE-----')));
    assert.ok(cert.verify(new X509Certificate(rootCa).publicKey), 'signed by the root CA');
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.ok(fs.existsSync(path.join(cloud.statePath, 'console_tls', 'xvpvncproxy.pem')));
  });

  it('a websocket client trusting only the nova-cert root CA completes the wss handshake and relays VNC', async () => {
    const { ws, reader } = await openWss(await consoleUrl('vnc', 'novnc'), rootCa);
    const init = await rfbHandshake(reader, (b) => ws.send(b));
    assert.ok(init.width > 0, JSON.stringify(init));
    ws.close();
  });

  it('a client that does not trust the nova-cert root CA is refused the certificate, and plain ws is dropped (ssl_only)', async () => {
    const url = await consoleUrl('vnc', 'novnc');
    await assert.rejects(openWss(url), /unable to verify the first certificate/);
    const u = new URL(url);
    const plain = new WebSocket(`ws://${u.host}/websockify?token=${tokenOf(url)}`);
    await assert.rejects(new Promise((resolve, reject) => { plain.once('open', resolve); plain.once('error', reject); }));
  });

  it('nova-xvpvncproxy speaks TLS with the same trust: CONNECT over TLS, 200, then the VNC stream', async () => {
    const token = tokenOf(await consoleUrl('vnc', 'xvpvnc'));
    const s = tls.connect({ host: '127.0.0.1', port: ports.xvp, ca: rootCa });
    await new Promise((resolve, reject) => { s.once('secureConnect', resolve); s.once('error', reject); });
    s.write(`CONNECT /console?token=${token} HTTP/1.0\r\n\r\n`);
    const reader = readerOf(s);
    assert.equal((await reader.read(19)).toString(), 'HTTP/1.1 200 OK\r\n\r\n');
    const init = await rfbHandshake(reader, (b) => s.write(b));
    assert.ok(init.width > 0);
    s.destroy();
  });

  it('headless Chromium opens the https noVNC URL trusting exactly the key of the verified certificate, and shows the guest screen', async function () {
    if (!fs.existsSync(CHROMIUM)) throw new Error('Chromium is needed: run scripts/ci/setup-consoles.sh as root');
    const url = await consoleUrl('vnc', 'novnc');
    // The pin is the key of the certificate the strict client above verified against nova-cert's root.
    const { ws, peer } = await openWss(url, rootCa);
    ws.close();
    const pinned = await launchChromium([`--ignore-certificate-errors-spki-list=${spkiHash(peer)}`]);
    const unpinned = await launchChromium();
    try {
      const page = await pinned.browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      await page.waitForSelector('body[data-state="connected"]', { timeout: 30000 }).catch(async (e) => {
        throw new Error(`noVNC did not connect over TLS (${await page.textContent('#status')}; ${problems.join('; ')}): ${e.message}`);
      });
      const stats = await waitForDrawnScreen(page, '#screen');
      assert.ok(stats.width >= 320, JSON.stringify(stats));
      await page.screenshot({ path: path.join(work, 'novnc-tls.png') });

      // Without the pin the same Chromium refuses the page: the pin, not a blanket switch, made it trusted.
      const refused = await unpinned.browser.newPage();
      await assert.rejects(refused.goto(await consoleUrl('vnc', 'novnc')), /ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      for (const b of [pinned, unpinned]) {
        await b.browser.close();
        fs.rmSync(b.profile, { recursive: true, force: true });
      }
    }
  });

  it('a proxy whose nova-cert does not answer does not start, and says why and what to do', async () => {
    const port = await freePort();
    await assert.rejects(startCloud({
      daemons: ['consoleauth', 'novncproxy'],
      overrides: {
        'console.ssl_from_cert_service': 'true', rpc_response_timeout: '1',
        'vnc.novncproxy_host': '127.0.0.1', 'vnc.novncproxy_port': String(port), 'vnc.novncproxy_base_url': `https://127.0.0.1:${port}/vnc_lite.html`,
      },
    }), /novncproxy: \[console\] ssl_from_cert_service is set but nova-cert did not sign a certificate for 127\.0\.0\.1, test-host-\d+: Timed out .*is the cert service running\?.*Start nova-cert \('nova daemon cert'\)/s);
  });
});
