import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as forge from 'node-forge';
import { buildCrl } from '../../src/cert/crl';
import { generateRsaKeyPair } from '../../src/cert/keys';
import { buildSubject } from '../../src/cert/subject';
import { buildCertificate, randomSerialHex } from '../../src/cert/x509';
import { openssl } from '../helpers/openssl';

describe('cert/crl', function () {
  this.timeout(60000);
  let dir: string;
  let ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; certPem: string };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-crl-'));
    const keys = await generateRsaKeyPair();
    const subject = buildSubject('/C=US/O=Test/CN=crl-test_ca', [], 'test');
    const cert = buildCertificate({ serial: randomSerialHex(), subject, publicKey: keys.publicKey, days: 30, isCA: true, issuer: null, selfKey: keys.privateKey });
    ca = { cert, key: keys.privateKey, certPem: forge.pki.certificateToPem(cert) };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds an RFC 5280 v2 CRL that openssl verifies, with serials of any sign bit and dates past 2049', () => {
    const caFile = path.join(dir, 'ca.pem');
    const crlFile = path.join(dir, 'crl.pem');
    fs.writeFileSync(caFile, ca.certPem);
    fs.writeFileSync(crlFile, buildCrl(ca, [
      { serial: 'FF01', revoked_at: new Date('2020-01-02T03:04:05Z') },
      { serial: '00A0', revoked_at: new Date('2030-06-07T08:09:10Z') },
      { serial: '7F', revoked_at: new Date('2051-01-01T00:00:00Z') },
    ], 42, new Date('2026-01-01T00:00:00Z')));
    const r = openssl(['crl', '-in', crlFile, '-CAfile', caFile, '-noout', '-text']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /verify OK/);
    assert.match(r.stdout, /Version 2 \(0x1\)/);
    assert.match(r.stdout, /Issuer: C = US, O = Test, CN = crl-test_ca/);
    assert.match(r.stdout, /Last Update: Jan  1 00:00:00 2026 GMT/);
    assert.match(r.stdout, /Next Update: Jan  1 00:00:00 2027 GMT/);
    assert.match(r.stdout, /CRL Number: \s*42/);
    assert.match(r.stdout, /Authority Key Identifier:/);
    const serials = [...r.stdout.matchAll(/Serial Number: (\w+)\s+Revocation Date: (.*)/g)].map((m) => [m[1], m[2].trim()]);
    assert.deepEqual(serials, [['FF01', 'Jan  2 03:04:05 2020 GMT'], ['A0', 'Jun  7 08:09:10 2030 GMT'], ['7F', 'Jan  1 00:00:00 2051 GMT']]);
  });

  it('is rejected by openssl when signed by another key', async () => {
    const other = await generateRsaKeyPair();
    const caFile = path.join(dir, 'ca2.pem');
    const crlFile = path.join(dir, 'forged.pem');
    fs.writeFileSync(caFile, ca.certPem);
    fs.writeFileSync(crlFile, buildCrl({ ...ca, key: other.privateKey }, [], 1));
    const r = openssl(['crl', '-in', crlFile, '-CAfile', caFile, '-noout']);
    assert.match(r.stdout + r.stderr, /verify failure/);
  });
});
