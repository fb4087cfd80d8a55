import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { CertManager } from '../../src/cert/manager';
import { CERT_TOPIC, certRpcApi, CertMethods } from '../../src/cert/rpcapi';
import { loadConfig } from '../../src/conf/loader';
import { ProxyCertificate, proxyCertNames } from '../../src/console/proxy_certificate';
import { Logger, nullLogger } from '../../src/lib/log';
import { MemoryTransport } from '../../src/rpc/memory';
import { RpcServer } from '../../src/rpc/server';

const DAY_MS = 24 * 3600 * 1000;

/** A logger that keeps warnings, to see what the proxy said when it fell back. */
function recordingLogger(warnings: string[]): Logger {
  return { ...nullLogger, warn: (m: string) => { warnings.push(m); }, child: () => recordingLogger(warnings) } as Logger;
}

/** Serves the PEM key+cert on 127.0.0.1 and connects a client that trusts only `ca`, checking `servername`. */
async function handshake(served: tls.SecureContextOptions, ca: string, servername: string): Promise<X509Certificate> {
  const server = tls.createServer(served, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as { port: number };
    return await new Promise((resolve, reject) => {
      const c = tls.connect({ host: '127.0.0.1', port, ca, servername }, () => { resolve(new X509Certificate(c.getPeerCertificate().raw)); c.destroy(); });
      c.on('error', reject);
    });
  } finally {
    server.close();
  }
}

describe('console/proxy_certificate: a proxy certificate from nova-cert over RPC, cached and renewed', function () {
  this.timeout(120000);
  let dir: string;
  let transport: MemoryTransport;
  let server: RpcServer;
  let rpc: CertMethods;
  let root: string;
  let asked = 0;
  const counting: Pick<CertMethods, 'sign_server_cert'> = { sign_server_cert: (c, a) => { asked++; return rpc.sign_server_cert(c, a); } };
  const names = ['proxy.example.org', '127.0.0.1'];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-proxy-cert-'));
    const manager = new CertManager(loadConfig({ overrides: { state_path: dir } }).conf.crypto, nullLogger);
    await manager.initHost();
    root = fs.readFileSync(path.join(dir, 'CA', 'cacert.pem'), 'utf8');
    transport = new MemoryTransport('memory://proxy-cert-test');
    await transport.start();
    server = new RpcServer(transport, { topic: CERT_TOPIC, server: 'cert-host' }, [manager], nullLogger);
    await server.start();
    rpc = certRpcApi(transport, 30000);
  });
  after(async () => {
    await server.stop();
    await transport.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const proxyCert = (o: { file: string; names?: string[]; now?: () => Date; cert?: Pick<CertMethods, 'sign_server_cert'>; log?: Logger }) =>
    new ProxyCertificate({ daemon: 'novncproxy', names: o.names ?? names, cert: o.cert ?? counting, log: o.log ?? nullLogger, file: o.file, now: o.now });

  it('asks nova-cert once, caches key and certificate 0600 in a 0700 folder, and a TLS client trusting only the root accepts it for its names', async () => {
    const file = path.join(dir, 'state', 'console_tls', 'novncproxy.pem');
    asked = 0;
    const served = await proxyCert({ file }).obtain();
    assert.equal(asked, 1);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    const peer = await handshake(served, root, 'proxy.example.org');
    assert.match(peer.subjectAltName ?? '', /DNS:proxy\.example\.org, IP Address:127\.0\.0\.1/);
    await assert.rejects(handshake(served, root, 'other.example.org'), /altnames|Hostname\/IP does not match/);

    const again = await proxyCert({ file }).obtain();
    assert.equal(asked, 1, 'a second start uses the cached certificate');
    assert.equal(again.cert, served.cert);
  });

  it('asks again when the names change and when fewer than 30 days remain, and renewIfDue swaps only then', async () => {
    const file = path.join(dir, 'renew', 'novncproxy.pem');
    asked = 0;
    const first = await proxyCert({ file }).obtain();
    const renamed = await proxyCert({ file, names: ['proxy2.example.org'] }).obtain();
    assert.equal(asked, 2);
    assert.notEqual(renamed.cert, first.cert);

    const current = proxyCert({ file, names: ['proxy2.example.org'] });
    await current.obtain();
    assert.equal(await current.renewIfDue(), null, 'a fresh certificate is not renewed');
    assert.equal(asked, 2);
    const expiry = current.notAfter!.getTime();
    const before = fs.readFileSync(file, 'utf8');
    const late = proxyCert({ file, names: ['proxy2.example.org'], now: () => new Date(expiry - 29 * DAY_MS) });
    await late.obtain();
    assert.equal(asked, 3, 'a certificate with 29 days left is replaced at start');
    const lateRenew = await late.renewIfDue();
    assert.equal(lateRenew === null, false, 'and by the periodic check while running');
    assert.equal(asked, 4);
    assert.ok(!before.includes(lateRenew!.cert as string), "the renewed certificate is a new one");
    assert.equal(fs.readFileSync(file, 'utf8'), `${lateRenew!.key as string}${lateRenew!.cert as string}`);
  });

  it('names the cause and the fix when nova-cert does not answer, and keeps a cached certificate that is still valid', async () => {
    const nobody = new MemoryTransport('memory://no-cert-here');
    await nobody.start();
    try {
      const silent = certRpcApi(nobody, 300);
      const file = path.join(dir, 'down', 'novncproxy.pem');
      await assert.rejects(proxyCert({ file, cert: silent }).obtain(),
        /novncproxy: \[console\] ssl_from_cert_service is set but nova-cert did not sign a certificate for proxy\.example\.org, 127\.0\.0\.1: .*cert.*Start nova-cert \('nova daemon cert'\).*or unset \[console\] ssl_from_cert_service/s);
      assert.equal(fs.existsSync(file), false);

      const cached = await proxyCert({ file }).obtain();
      const expiry = new X509Certificate(cached.cert as string).validTo;
      const warnings: string[] = [];
      const due = proxyCert({ file, cert: silent, log: recordingLogger(warnings), now: () => new Date(new Date(expiry).getTime() - 10 * DAY_MS) });
      assert.equal((await due.obtain()).cert, cached.cert);
      assert.match(warnings.join('\n'), /keeping the cached certificate .*nova-cert did not sign/);
      await assert.rejects(due.renewIfDue(), /nova-cert did not sign/);
    } finally {
      await nobody.stop();
    }
  });

  it('names the host of the base URL first, then [DEFAULT] host, my_ip and a specific listen address', () => {
    assert.deepEqual(proxyCertNames({ baseUrl: 'https://Console.Example.org:6080/vnc_lite.html', host: 'ctl-1', myIp: '10.0.0.5', listenHost: '0.0.0.0' }),
      ['console.example.org', 'ctl-1', '10.0.0.5']);
    assert.deepEqual(proxyCertNames({ baseUrl: 'https://[fd00::1]:6080/', host: 'ctl-1', myIp: '127.0.0.1', listenHost: '127.0.0.1' }),
      ['fd00::1', 'ctl-1', '127.0.0.1']);
  });
});
