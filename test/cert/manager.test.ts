import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as forge from 'node-forge';
import { CertManager } from '../../src/cert/manager';
import { loadConfig } from '../../src/conf/loader';
import { makeContext } from '../../src/context';
import { Database } from '../../src/db/database';
import { CertificateRow } from '../../src/db/models/certificate';
import { nullLogger } from '../../src/lib/log';
import { openssl, opensslVerifies } from '../helpers/openssl';

const ctx = makeContext({ roles: ['admin'] });

interface Setup {
  dir: string;
  db: Database;
  manager(overrides?: Record<string, string>): CertManager;
  write(name: string, text: string | Buffer): string;
  close(): Promise<void>;
}

/** A state_path with a fresh SQLite database; managers made on it share its CA folder. */
async function setup(crypto: Record<string, string> = {}): Promise<Setup> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-cert-'));
  const db = await Database.open(`sqlite:///${path.join(dir, 'nova.sqlite')}`);
  await db.sync();
  const confOf = (extra: Record<string, string>) => {
    const overrides: Record<string, string> = { state_path: dir };
    for (const [k, v] of Object.entries({ ...crypto, ...extra })) overrides[`crypto.${k}`] = v;
    return loadConfig({ overrides }).conf.crypto;
  };
  return {
    dir, db,
    manager: (extra = {}) => new CertManager(confOf(extra), nullLogger),
    write(name, text) { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; },
    async close() { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

const mode = (f: string) => fs.statSync(f).mode & 0o777;
const crlNumber = (crlFile: string) => Number(/CRL Number:\s*\n?\s*(\d+)/.exec(openssl(['crl', '-in', crlFile, '-noout', '-text']).stdout)?.[1]);

describe('cert/manager with the root CA only', function () {
  this.timeout(120000);
  let s: Setup;
  let m: CertManager;
  const files: Record<string, string> = {};

  before(async () => {
    s = await setup();
    m = s.manager();
    await m.initHost();
  });
  after(async () => { await s.close(); });

  it('makes the root CA once (a second start keeps it), key 0600 in a 0700 folder, and a signed empty CRL', async () => {
    const ca = path.join(s.dir, 'CA');
    const first = fs.readFileSync(path.join(ca, 'cacert.pem'), 'utf8');
    const key = fs.readFileSync(path.join(ca, 'private', 'cakey.pem'), 'utf8');
    await s.manager().initHost();
    assert.equal(fs.readFileSync(path.join(ca, 'cacert.pem'), 'utf8'), first);
    assert.equal(fs.readFileSync(path.join(ca, 'private', 'cakey.pem'), 'utf8'), key);
    assert.match(key, /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.equal(mode(path.join(ca, 'private', 'cakey.pem')), 0o600);
    assert.equal(mode(path.join(ca, 'private')), 0o700);

    const text = openssl(['x509', '-in', path.join(ca, 'cacert.pem'), '-noout', '-text']).stdout;
    assert.match(text, /CA:TRUE/);
    assert.match(text, /Certificate Sign, CRL Sign/);
    assert.match(text, /Public-Key: \(2048 bit\)/);
    const crl = openssl(['crl', '-in', path.join(ca, 'crl.pem'), '-CAfile', path.join(ca, 'cacert.pem'), '-noout', '-text']);
    assert.equal(crl.code, 0, crl.stderr);
    assert.match(crl.stderr + crl.stdout, /verify OK/);
    assert.match(crl.stdout, /No Revoked Certificates/);
    assert.equal(await m.fetch_ca(ctx, { project_id: 'p1' }), first);
  });

  it('issues certificates openssl verifies with fetch_ca, each recorded with a unique serial and its key', async () => {
    files.ca = s.write('ca.pem', await m.fetch_ca(ctx, { project_id: 'p1' }));
    for (const [user, project] of [['alice', 'p1'], ['bob', 'p1'], ['alice', 'p2']]) {
      const made = await m.generate_x509_cert(ctx, { user_id: user, project_id: project });
      const name = `${user}-${project}`;
      files[name] = s.write(`${name}.pem`, made.certificate);
      const v = opensslVerifies(files.ca, files[name]);
      assert.ok(v.ok, v.output);
      const cert = forge.pki.certificateFromPem(made.certificate);
      assert.match(cert.subject.getField('CN').value, new RegExp(`^${project}-${user}-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
      assert.equal(cert.subject.getField('OU').value, 'NovaDev');
      const key = forge.pki.privateKeyFromPem(made.private_key);
      assert.equal((cert.publicKey as forge.pki.rsa.PublicKey).n.toString(16), key.n.toString(16));
    }
    const rows = await CertificateRow.findAll({ order: [['id', 'ASC']] });
    assert.deepEqual(rows.map((r) => [r.user_id, r.project_id, r.ca_folder]), [['alice', 'p1', '.'], ['bob', 'p1', '.'], ['alice', 'p2', '.']]);
    assert.equal(new Set(rows.map((r) => r.serial)).size, 3);
    for (const r of rows) {
      const kept = forge.pki.certificateFromPem(fs.readFileSync(r.file_name, 'utf8'));
      assert.equal(kept.serialNumber.toUpperCase(), r.serial);
      assert.equal(path.dirname(r.file_name), path.join(s.dir, 'CA', 'newcerts'));
    }
  });

  it("revoke_certs_by_user: openssl rejects her certificates with the new CRL, others' still verify", async () => {
    const before = crlNumber(s.write('crl0.pem', await m.fetch_crl(ctx, { project_id: 'p1' })));
    assert.equal(await m.revoke_certs_by_user(ctx, { user_id: 'alice' }), 2);
    files.crl = s.write('crl1.pem', await m.fetch_crl(ctx, { project_id: 'p1' }));
    assert.ok(crlNumber(files.crl) > before);
    for (const name of ['alice-p1', 'alice-p2']) {
      const v = opensslVerifies(files.ca, files[name], files.crl);
      assert.equal(v.ok, false, v.output);
      assert.match(v.output, /certificate revoked/);
    }
    const bob = opensslVerifies(files.ca, files['bob-p1'], files.crl);
    assert.ok(bob.ok, bob.output);
    assert.equal(await m.revoke_certs_by_user(ctx, { user_id: 'alice' }), 0, 'already revoked');
  });

  it('revoke_certs_by_user_and_project and revoke_certs_by_project revoke only what they name', async () => {
    const carol = s.write('carol.pem', (await m.generate_x509_cert(ctx, { user_id: 'carol', project_id: 'p3' })).certificate);
    assert.equal(await m.revoke_certs_by_user_and_project(ctx, { user_id: 'bob', project_id: 'p2' }), 0);
    assert.equal(await m.revoke_certs_by_user_and_project(ctx, { user_id: 'bob', project_id: 'p1' }), 1);
    let crl = s.write('crl2.pem', await m.fetch_crl(ctx, { project_id: 'p1' }));
    assert.match(opensslVerifies(files.ca, files['bob-p1'], crl).output, /certificate revoked/);
    assert.ok(opensslVerifies(files.ca, carol, crl).ok);
    assert.equal(await m.revoke_certs_by_project(ctx, { project_id: 'p3' }), 1);
    crl = s.write('crl3.pem', await m.fetch_crl(ctx, { project_id: 'p1' }));
    assert.match(opensslVerifies(files.ca, carol, crl).output, /certificate revoked/);
    const listed = openssl(['crl', '-in', crl, '-noout', '-text']).stdout.match(/Serial Number:/g) ?? [];
    assert.equal(listed.length, 4);
  });

  it('decrypt_text undoes openssl pkeyutl PKCS#1 v1.5 encryption with the CA certificate', async () => {
    const secret = Buffer.from('aes key 0123456789abcdef and iv \u00ff', 'utf8');
    const enc = openssl(['pkeyutl', '-encrypt', '-pkeyopt', 'rsa_padding_mode:pkcs1', '-certin', '-inkey', files.ca], { input: secret });
    assert.equal(enc.code, 0, enc.stderr);
    const cipher = Buffer.from(enc.stdout, 'latin1');
    assert.equal(cipher.length, 256);
    const plain = await m.decrypt_text(ctx, { project_id: 'p1', text: cipher.toString('base64') });
    assert.deepEqual(Buffer.from(plain, 'base64'), secret);
    await assert.rejects(m.decrypt_text(ctx, { project_id: 'p1', text: 'not base64!' }), { name: 'DecryptionFailure', message: /not base64/ });
    await assert.rejects(m.decrypt_text(ctx, { project_id: 'p1', text: Buffer.alloc(256, 7).toString('base64') }), { name: 'DecryptionFailure', message: /^Failed to decrypt text: / });
  });

  it('refuses empty ids without recording anything', async () => {
    const count = await CertificateRow.count();
    await assert.rejects(m.generate_x509_cert(ctx, { user_id: '', project_id: 'p1' }), { name: 'InvalidInput', message: /user_id must be a non-empty string/ });
    assert.equal(await CertificateRow.count(), count);
  });
});

describe('cert/manager with project CAs and an encrypted CA key', function () {
  this.timeout(120000);
  const PASS = 'correct horse battery';
  let s: Setup;
  let m: CertManager;

  before(async () => {
    s = await setup({ use_project_ca: 'true', ca_key_passphrase: PASS });
    m = s.manager();
    await m.initHost();
  });
  after(async () => { await s.close(); });

  it('gives each project a CA signed by the root; a certificate verifies only with its own project bundle', async () => {
    const a = await m.generate_x509_cert(ctx, { user_id: 'alice', project_id: 'pa' });
    const b = await m.generate_x509_cert(ctx, { user_id: 'bob', project_id: 'pb' });
    const caA = s.write('caA.pem', await m.fetch_ca(ctx, { project_id: 'pa' }));
    const caB = s.write('caB.pem', await m.fetch_ca(ctx, { project_id: 'pb' }));
    const certA = s.write('a.pem', a.certificate);
    const certB = s.write('b.pem', b.certificate);
    assert.equal(fs.readFileSync(caA, 'utf8').match(/BEGIN CERTIFICATE/g)?.length, 2, 'project CA followed by the root');
    const projectCa = forge.pki.certificateFromPem(fs.readFileSync(caA, 'utf8'));
    assert.match(projectCa.subject.getField('CN').value, /^project-ca-pa-/);
    assert.equal(projectCa.issuer.getField('O').value, 'NOVA ROOT');
    assert.ok(opensslVerifies(caA, certA).ok);
    assert.ok(opensslVerifies(caB, certB).ok);
    const cross = opensslVerifies(caB, certA);
    assert.equal(cross.ok, false, cross.output);
    assert.match(cross.output, /unable to get local issuer certificate/);

    const rows = await CertificateRow.findAll({ order: [['id', 'ASC']] });
    assert.deepEqual(rows.map((r) => r.ca_folder), ['projects/pa', 'projects/pb']);
    assert.equal(path.dirname(rows[0].file_name), path.join(s.dir, 'CA', 'projects', 'pa', 'newcerts'));

    // Revoking in project A re-signs A's CRL only.
    assert.equal(await m.revoke_certs_by_project(ctx, { project_id: 'pa' }), 1);
    const crlA = s.write('crlA.pem', await m.fetch_crl(ctx, { project_id: 'pa' }));
    const crlB = s.write('crlB.pem', await m.fetch_crl(ctx, { project_id: 'pb' }));
    assert.match(opensslVerifies(caA, certA, crlA).output, /certificate revoked/);
    assert.ok(opensslVerifies(caB, certB, crlB).ok);
    assert.match(openssl(['crl', '-in', crlB, '-noout', '-text']).stdout, /No Revoked Certificates/);
  });

  it('keeps every CA key encrypted at rest (mode 0600); openssl opens it only with the passphrase', async () => {
    for (const key of [path.join(s.dir, 'CA', 'private', 'cakey.pem'), path.join(s.dir, 'CA', 'projects', 'pa', 'private', 'cakey.pem')]) {
      assert.match(fs.readFileSync(key, 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      assert.equal(mode(key), 0o600);
      assert.equal(openssl(['pkey', '-in', key, '-passin', `pass:${PASS}`, '-noout']).code, 0);
      assert.notEqual(openssl(['pkey', '-in', key, '-passin', 'pass:wrong', '-noout']).code, 0);
    }
    assert.equal(mode(path.join(s.dir, 'CA', 'projects', 'pa', 'private')), 0o700);
  });

  it('refuses to start without the passphrase or with a wrong one, naming the option', async () => {
    await assert.rejects(s.manager({ ca_key_passphrase: '' }).initHost(), { name: 'CAKeyUnreadable', message: /encrypted and \[crypto\] ca_key_passphrase is empty/ });
    await assert.rejects(s.manager({ ca_key_passphrase: 'nope' }).initHost(), { name: 'CAKeyUnreadable', message: /ca_key_passphrase does not decrypt it/ });
  });

  it('decrypt_text uses the project CA key; another project cannot decrypt, an unknown one is not found', async () => {
    const caA = s.write('caA2.pem', await m.fetch_ca(ctx, { project_id: 'pa' }));
    const enc = openssl(['pkeyutl', '-encrypt', '-pkeyopt', 'rsa_padding_mode:pkcs1', '-certin', '-inkey', caA], { input: 'bundle key' });
    const text = Buffer.from(enc.stdout, 'latin1').toString('base64');
    assert.equal(Buffer.from(await m.decrypt_text(ctx, { project_id: 'pa', text }), 'base64').toString(), 'bundle key');
    await assert.rejects(m.decrypt_text(ctx, { project_id: 'pb', text }), { name: 'DecryptionFailure' });
    await assert.rejects(m.decrypt_text(ctx, { project_id: 'nosuch', text }), { name: 'ProjectNotFound', message: 'Project nosuch could not be found.' });
    assert.equal(fs.existsSync(path.join(s.dir, 'CA', 'projects', 'nosuch')), false);
  });

  it('makes one CA for a new project even when its first certificates are asked for at once', async () => {
    const made = await Promise.all(['u1', 'u2', 'u3'].map((u) => m.generate_x509_cert(ctx, { user_id: u, project_id: 'pc' })));
    const bundle = s.write('caC.pem', await m.fetch_ca(ctx, { project_id: 'pc' }));
    made.forEach((c, i) => assert.ok(opensslVerifies(bundle, s.write(`c${i}.pem`, c.certificate)).ok));
    assert.deepEqual(fs.readdirSync(path.join(s.dir, 'CA', 'projects')).sort(), ['pa', 'pb', 'pc']);
    assert.equal(fs.readdirSync(path.join(s.dir, 'CA', 'projects', 'pc', 'newcerts')).length, 3);
  });

  it('refuses a project id that would leave ca_path', async () => {
    await assert.rejects(m.generate_x509_cert(ctx, { user_id: 'u', project_id: '../escape' }), { name: 'InvalidInput', message: /cannot name a project CA folder/ });
    assert.equal(fs.readdirSync(path.join(s.dir, 'CA', 'projects')).sort().join(','), 'pa,pb,pc');
  });
});

describe('cert/manager when a passphrase is set after the CA was made', function () {
  this.timeout(60000);
  let s: Setup;
  before(async () => { s = await setup(); });
  after(async () => { await s.close(); });

  it('refuses to start when the CA certificate is there but its key is not, saying what to do', async () => {
    const other = await setup();
    try {
      await other.manager().initHost();
      fs.rmSync(path.join(other.dir, 'CA', 'private', 'cakey.pem'));
      await assert.rejects(other.manager().initHost(), { name: 'CAKeyUnreadable', message: /cakey\.pem: it is missing while .*cacert\.pem exists; restore it from a backup/ });
    } finally { await other.close(); }
  });

  it('re-writes the plain CA key encrypted and keeps the same CA', async () => {
    await s.manager().initHost();
    const keyFile = path.join(s.dir, 'CA', 'private', 'cakey.pem');
    const cert = fs.readFileSync(path.join(s.dir, 'CA', 'cacert.pem'), 'utf8');
    const plain = forge.pki.privateKeyFromPem(fs.readFileSync(keyFile, 'utf8'));
    await s.manager({ ca_key_passphrase: 'later' }).initHost();
    const stored = fs.readFileSync(keyFile, 'utf8');
    assert.match(stored, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    assert.equal(forge.pki.decryptRsaPrivateKey(stored, 'later').n.toString(16), plain.n.toString(16));
    assert.equal(mode(keyFile), 0o600);
    assert.equal(fs.readFileSync(path.join(s.dir, 'CA', 'cacert.pem'), 'utf8'), cert);
  });
});
