import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CertificateRow } from '../../../src/db/models/certificate';
import { runCli } from '../../helpers/cli';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { openssl, opensslVerifies } from '../../helpers/openssl';

const DAEMONS = ['conductor', 'scheduler', 'compute', 'cert', 'api'];
const publicKeyOf = (file: string, kind: 'cert' | 'key') =>
  openssl(kind === 'cert' ? ['x509', '-in', file, '-noout', '-pubkey'] : ['pkey', '-in', file, '-pubout']).stdout;

describe('os-certificates API and the x509 commands (root CA)', function () {
  this.timeout(120000);
  let cloud: TestCloud;
  let work: string;
  const cli = (args: string[], token = 'alice:p1', url?: string) =>
    runCli(args, { env: { OS_COMPUTE_URL: url ?? cloud.computeUrl, OS_TOKEN: token } });

  before(async () => {
    cloud = await startCloud({ daemons: DAEMONS });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-x509-'));
  });
  after(async () => {
    await cloud.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('runs nova-cert as a service', async () => {
    const list = (await cloud.request('GET', '/os-services')).body.services;
    assert.ok(list.some((s: { binary: string; state: string }) => s.binary === 'nova-cert' && s.state === 'up'), JSON.stringify(list));
  });

  it('POST /os-certificates makes a key and a certificate for the caller that verify with GET /os-certificates/root', async () => {
    const made = await cloud.request('POST', '/os-certificates', { token: 'alice:p1' });
    assert.equal(made.status, 200);
    assert.deepEqual(Object.keys(made.body), ['certificate']);
    assert.deepEqual(Object.keys(made.body.certificate).sort(), ['data', 'private_key']);
    assert.match(made.body.certificate.data, /^-----BEGIN CERTIFICATE-----/);
    assert.match(made.body.certificate.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);

    const root = await cloud.request('GET', '/os-certificates/root', { token: 'alice:p1', version: '2.96' });
    assert.equal(root.status, 200);
    assert.equal(root.body.certificate.private_key, null);
    const caFile = path.join(work, 'api-ca.pem');
    const certFile = path.join(work, 'api-cert.pem');
    fs.writeFileSync(caFile, root.body.certificate.data);
    fs.writeFileSync(certFile, made.body.certificate.data);
    const v = opensslVerifies(caFile, certFile);
    assert.ok(v.ok, v.output);
    assert.match(openssl(['x509', '-in', certFile, '-noout', '-subject']).stdout, /CN = p1-alice-/);

    const rows = await CertificateRow.findAll({ where: { user_id: 'alice', project_id: 'p1' } });
    assert.equal(rows.length, 1);
  });

  it("answers Nova's 501 for a certificate other than root, and 401 without a token", async () => {
    const other = await cloud.request('GET', '/os-certificates/abc', { token: 'alice:p1' });
    assert.equal(other.status, 501);
    assert.deepEqual(other.body, { notImplemented: { code: 501, message: 'Only root certificate can be retrieved.' } });
    const anon = await fetch(`${cloud.computeUrl}/os-certificates/root`);
    assert.equal(anon.status, 401);
  });

  it("enforces Nova's policy names (overridden in policy.yaml)", async () => {
    const policy = path.join(cloud.statePath, 'policy.yaml');
    const rootStatus = async () => (await cloud.request('GET', '/os-certificates/root', { token: 'bob:p1' })).status;
    fs.writeFileSync(policy, '"os_compute_api:os-certificates:create": "role:admin"\n"os_compute_api:os-certificates:show": "role:admin"\n');
    try {
      // Polled with GET (no side effect) until the enforcer has read the file.
      await waitFor(async () => (await rootStatus()) === 403, 10000, 'the policy file to be read');
      const denied = await cloud.request('POST', '/os-certificates', { token: 'bob:p1' });
      assert.deepEqual(denied.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-certificates:create to be performed." } });
      const show = await cloud.request('GET', '/os-certificates/root', { token: 'bob:p1' });
      assert.deepEqual(show.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-certificates:show to be performed." } });
      assert.equal(await CertificateRow.count({ where: { user_id: 'bob' } }), 0);
      assert.equal((await cloud.request('GET', '/os-certificates/root')).status, 200, 'admin still allowed');
    } finally {
      fs.rmSync(policy);
      await waitFor(async () => (await rootStatus()) === 200, 10000, 'the policy file to be dropped');
    }
  });

  it('nova x509-create-cert and x509-get-root-cert write files that verify; the key is 0400 and matches', async () => {
    const pk = path.join(work, 'pk.pem');
    const cert = path.join(work, 'cert.pem');
    const root = path.join(work, 'cacert.pem');
    const made = await cli(['x509-create-cert', pk, cert]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(made.stdout, `Wrote private key to ${pk}\nWrote x509 certificate to ${cert}\n`);
    assert.equal(fs.statSync(pk).mode & 0o777, 0o400);
    const got = await cli(['x509', 'get-root-cert', root]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, `Wrote x509 root cert to ${root}\n`);
    const v = opensslVerifies(root, cert);
    assert.ok(v.ok, v.output);
    assert.equal(publicKeyOf(cert, 'cert'), publicKeyOf(pk, 'key'));
  });

  it('the x509 commands refuse to overwrite files (before asking the API) and name a missing endpoint', async () => {
    const pk = path.join(work, 'pk.pem');
    const fresh = path.join(work, 'fresh-cert.pem');
    const before = await CertificateRow.count();
    const r = await cli(['x509-create-cert', pk, fresh]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `ERROR (CommandError): Unable to write privatekey - ${pk} exists.\n`);
    assert.equal(fs.existsSync(fresh), false);
    assert.equal(await CertificateRow.count(), before);

    const freshPk = path.join(work, 'fresh-pk.pem');
    const existingCert = path.join(work, 'cert.pem');
    const r2 = await cli(['x509-create-cert', freshPk, existingCert]);
    assert.equal(r2.stderr, `ERROR (CommandError): Unable to write x509 cert - ${existingCert} exists.\n`);
    assert.equal(fs.existsSync(freshPk), false);

    const r3 = await cli(['x509-get-root-cert', path.join(work, 'cacert.pem')]);
    assert.equal(r3.code, 1);
    assert.match(r3.stderr, /^ERROR \(CommandError\): Unable to write x509 root cert - .*cacert\.pem exists\.\n$/);

    const r4 = await runCli(['x509-get-root-cert', path.join(work, 'none.pem')], { env: { OS_COMPUTE_URL: '', OS_TOKEN: 'alice:p1' } });
    assert.equal(r4.code, 1);
    assert.equal(r4.stderr, 'ERROR (CommandError): You must provide an auth url via either --os-auth-url or env[OS_AUTH_URL].\n');
  });

  it("reports the API's fault as python-novaclient does", async () => {
    const r = await runCli(['x509-get-root-cert', path.join(work, 'x.pem'), '--os-endpoint-override', cloud.computeUrl.replace(/\/v2\.1$/, '/v2.1/os-certificates/abc#'), '--os-token', 'alice:p1']);
    // The fragment makes the path /v2.1/os-certificates/abc, whose answer is Nova's 501.
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^ERROR \(HTTPNotImplemented\): Only root certificate can be retrieved\. \(HTTP 501\) \(Request-ID: req-[0-9a-f-]{36}\)\n$/);
    assert.equal(fs.existsSync(path.join(work, 'x.pem')), false);
  });
});

describe('os-certificates with use_project_ca', function () {
  this.timeout(120000);
  let cloud: TestCloud;
  let work: string;

  before(async () => {
    cloud = await startCloud({ daemons: DAEMONS, overrides: { 'crypto.use_project_ca': 'true', 'crypto.ca_key_passphrase': 'at rest' } });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-x509-'));
  });
  after(async () => {
    await cloud.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("gives each project its CA bundle: a user's certificate verifies with its project's root answer only", async () => {
    const files: Record<string, string> = {};
    for (const project of ['p1', 'p2']) {
      const token = `alice:${project}`;
      const env = { OS_COMPUTE_URL: cloud.computeUrl, OS_TOKEN: token };
      files[`${project}-cert`] = path.join(work, `${project}-cert.pem`);
      files[`${project}-ca`] = path.join(work, `${project}-ca.pem`);
      const made = await runCli(['x509-create-cert', path.join(work, `${project}-pk.pem`), files[`${project}-cert`]], { env });
      assert.equal(made.code, 0, made.stderr);
      const got = await runCli(['x509-get-root-cert', files[`${project}-ca`]], { env });
      assert.equal(got.code, 0, got.stderr);
      assert.equal(fs.readFileSync(files[`${project}-ca`], 'utf8').match(/BEGIN CERTIFICATE/g)?.length, 2);
    }
    assert.ok(opensslVerifies(files['p1-ca'], files['p1-cert']).ok);
    assert.ok(opensslVerifies(files['p2-ca'], files['p2-cert']).ok);
    assert.equal(opensslVerifies(files['p2-ca'], files['p1-cert']).ok, false);
    assert.match(fs.readFileSync(path.join(cloud.statePath, 'CA', 'projects', 'p1', 'private', 'cakey.pem'), 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  });
});
