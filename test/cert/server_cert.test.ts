import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as forge from 'node-forge';
import { CertManager } from '../../src/cert/manager';
import { generateRsaKeyPair } from '../../src/cert/keys';
import { buildSubject } from '../../src/cert/subject';
import { makeCsr } from '../../src/cert/x509';
import { loadConfig } from '../../src/conf/loader';
import { makeContext } from '../../src/context';
import { nullLogger } from '../../src/lib/log';
import { openssl } from '../helpers/openssl';

const ctx = makeContext({ roles: ['admin'] });

/** A PEM certificate request for a fresh key; `extraSan` asks (in vain) for more names. */
async function csrPem(cn: string, extraSan?: string): Promise<{ pem: string; keys: forge.pki.rsa.KeyPair }> {
  const keys = await generateRsaKeyPair();
  const csr = makeCsr(keys, buildSubject('/CN=%s', [cn], 'test'));
  if (extraSan) {
    csr.setAttributes([{ name: 'extensionRequest', extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: extraSan }] }] }]);
    csr.sign(keys.privateKey, forge.md.sha256.create());
  }
  return { pem: forge.pki.certificationRequestToPem(csr), keys };
}

describe('cert/manager sign_server_cert: TLS server certificates signed by the root CA', function () {
  this.timeout(120000);
  let dir: string;
  let m: CertManager;
  let rootFile: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-server-cert-'));
    m = new CertManager(loadConfig({ overrides: { state_path: dir } }).conf.crypto, nullLogger);
    await m.initHost();
    rootFile = path.join(dir, 'CA', 'cacert.pem');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };

  it('issues a certificate that openssl verifies against the root CA for the sslserver purpose only, with the names as subjectAltName', async () => {
    const { pem } = await csrPem('ignored');
    const got = await m.sign_server_cert(ctx, { csr: pem, names: ['Proxy.Example.org', '127.0.0.1', '::1', '[fd00::5]', 'proxy.example.org'] });
    assert.equal(got.ca, fs.readFileSync(rootFile, 'utf8'));
    const certFile = write('server.pem', got.certificate);
    const ok = openssl(['verify', '-purpose', 'sslserver', '-CAfile', rootFile, certFile]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const asClient = openssl(['verify', '-purpose', 'sslclient', '-CAfile', rootFile, certFile]);
    assert.notEqual(asClient.code, 0, 'a serverAuth-only certificate must not pass as a client certificate');
    const text = openssl(['x509', '-in', certFile, '-noout', '-text']).stdout;
    assert.match(text, /X509v3 Subject Alternative Name:\s*\n\s*DNS:proxy\.example\.org, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:0:5\s*\n/);
    assert.match(text, /X509v3 Extended Key Usage:\s*\n\s*TLS Web Server Authentication\s*\n/);
    assert.match(text, /CA:FALSE/);
    assert.match(text, /Subject: C ?= ?US, ST ?= ?California, O ?= ?OpenStack, OU ?= ?NovaDev, CN ?= ?proxy\.example\.org/);
    const serial = openssl(['x509', '-in', certFile, '-noout', '-serial']).stdout.trim().replace(/^serial=/, '');
    assert.equal(fs.readFileSync(path.join(dir, 'CA', 'newcerts', `${serial}.pem`), 'utf8'), got.certificate);
  });

  it('gives the names it was asked for, not those the request carries, and keeps the request\'s key', async () => {
    const { pem, keys } = await csrPem('evil.example.com', 'evil.example.com');
    const got = await m.sign_server_cert(ctx, { csr: pem, names: ['proxy.example.org'] });
    const cert = forge.pki.certificateFromPem(got.certificate);
    const san = cert.getExtension('subjectAltName') as { altNames: { value: string }[] };
    assert.deepEqual(san.altNames.map((n) => n.value), ['proxy.example.org']);
    assert.equal(cert.subject.getField('CN').value, 'proxy.example.org');
    assert.equal((cert.publicKey as forge.pki.rsa.PublicKey).n.compareTo(keys.publicKey.n), 0);
  });

  it('refuses wildcards, non-names, an empty list, and a request whose signature does not hold, saying why', async () => {
    const { pem } = await csrPem('x');
    await assert.rejects(m.sign_server_cert(ctx, { csr: pem, names: ['*.example.org'] }), /'\*\.example\.org' is neither an IP address nor a host name/);
    await assert.rejects(m.sign_server_cert(ctx, { csr: pem, names: ['bad host'] }), /neither an IP address nor a host name/);
    await assert.rejects(m.sign_server_cert(ctx, { csr: pem, names: [] }), /names must be a non-empty list/);
    await assert.rejects(m.sign_server_cert(ctx, { csr: 'not a csr', names: ['a'] }), /csr is not a PEM certificate request/);
    const other = await generateRsaKeyPair();
    const forged = forge.pki.certificationRequestFromPem(pem);
    forged.publicKey = other.publicKey;
    // node-forge re-encodes the parsed request body unless told to build it again from the fields.
    (forged as unknown as { certificationRequestInfo: unknown }).certificationRequestInfo = null;
    await assert.rejects(m.sign_server_cert(ctx, { csr: forge.pki.certificationRequestToPem(forged), names: ['a'] }), /signature does not verify/);
  });
});
