import { strict as assert } from 'node:assert';
import { createHash, X509Certificate } from 'node:crypto';
import { utils as sshUtils } from 'ssh2';
import { startCloud, TestCloud } from '../../helpers/cloud';

const ADMIN = 'admin:admin';
const ALICE = 'alice:p1';
const CAROL = 'carol:p1';

/** The fingerprint `ssh-keygen -l -E md5` shows, computed independently of the code under test. */
function md5Fingerprint(publicKey: string): string {
  return createHash('md5').update(Buffer.from(publicKey.split(' ')[1], 'base64')).digest('hex').match(/../g)!.join(':');
}

describe('Compute API key pairs', () => {
  let cloud: TestCloud;
  const ed25519 = sshUtils.generateKeyPairSync('ed25519', { comment: 'alice@laptop' }).public;
  before(async () => { cloud = await startCloud({ daemons: ['api'] }); });
  after(async () => { await cloud.stop(); });

  const create = (keypair: Record<string, unknown>, opts: { version?: string; token?: string } = {}) =>
    cloud.request('POST', '/os-keypairs', { body: { keypair }, version: opts.version, token: opts.token ?? ALICE });

  it('imports a public key with Nova\'s MD5 fingerprint, 200 before 2.2 and 201 from it', async () => {
    const r = await create({ name: 'laptop', public_key: ed25519 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.keypair, { name: 'laptop', public_key: ed25519, fingerprint: md5Fingerprint(ed25519), user_id: 'alice' });
    const v22 = await create({ name: 'laptop2', public_key: ed25519 }, { version: '2.2' });
    assert.equal(v22.status, 201);
    assert.equal(v22.body.keypair.type, 'ssh');
    assert.equal(v22.body.keypair.private_key, undefined);
    const dup = await create({ name: 'laptop', public_key: ed25519 });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.conflictingRequest.message, "Key pair 'laptop' already exists.");
  });

  it('generates an RSA pair before 2.92 and returns the private key once', async () => {
    const r = await create({ name: 'generated' }, { version: '2.91' });
    assert.equal(r.status, 201);
    const k = r.body.keypair;
    assert.match(k.private_key, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    assert.match(k.public_key, /^ssh-rsa \S+ Generated-by-Nova$/);
    assert.equal(k.fingerprint, md5Fingerprint(k.public_key));
    const priv = sshUtils.parseKey(k.private_key);
    assert.ok(!(priv instanceof Error) && !Array.isArray(priv));
    assert.equal(priv.getPublicSSH().toString('base64'), k.public_key.split(' ')[1], 'the private key matches the public key');
    const shown = await cloud.request('GET', '/os-keypairs/generated', { token: ALICE, version: '2.2' });
    assert.equal(shown.body.keypair.private_key, undefined);
    const v292 = await create({ name: 'generated2' }, { version: '2.92' });
    assert.equal(v292.status, 400);
    assert.equal(v292.body.badRequest.message, "'public_key' is a required property");
  });

  it('generates and imports x509 certificates (2.2) with SHA1 fingerprints of the DER', async () => {
    const r = await create({ name: 'winrm', type: 'x509' }, { version: '2.2' });
    assert.equal(r.status, 201);
    const k = r.body.keypair;
    const cert = new X509Certificate(k.public_key);
    assert.equal(cert.subject, 'CN=alice');
    assert.equal(k.fingerprint, cert.fingerprint.toLowerCase());
    assert.ok(Buffer.from(k.private_key, 'base64').length > 1000, 'a PKCS#12 bundle');
    const imported = await create({ name: 'winrm2', type: 'x509', public_key: k.public_key }, { version: '2.2' });
    assert.equal(imported.body.keypair.fingerprint, k.fingerprint);
    assert.equal(imported.body.keypair.type, 'x509');
    const badCert = await create({ name: 'winrm3', type: 'x509', public_key: 'not a cert' }, { version: '2.2' });
    assert.equal(badCert.status, 400);
    assert.match(badCert.body.badRequest.message, /^Keypair data is invalid: failed to generate X509 fingerprint\. Error message: /);
    const typeBefore = await create({ name: 'winrm4', type: 'x509' }, { version: '2.1' });
    assert.equal(typeBefore.status, 400);
    assert.equal(typeBefore.body.badRequest.message, "Additional properties are not allowed ('type' was unexpected)");
  });

  it('refuses bad keys and names with Nova\'s messages', async () => {
    const bad = await create({ name: 'bad', public_key: 'ssh-rsa AAAAnotakey' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, 'Keypair data is invalid: failed to generate fingerprint');
    const priv = sshUtils.generateKeyPairSync('ed25519').private;
    assert.equal((await create({ name: 'priv', public_key: priv })).status, 400);
    const atName = await create({ name: 'me@host', public_key: ed25519 }, { version: '2.91' });
    assert.equal(atName.status, 400);
    assert.equal(atName.body.badRequest.message, "Invalid input for field/attribute name. Value: me@host. 'me@host' does not match '^[_\\\\- a-zA-Z0-9]+$'");
    const at292 = await create({ name: 'me@host.lan', public_key: ed25519 }, { version: '2.92' });
    assert.equal(at292.status, 201);
    const spaces = await create({ name: ' lead', public_key: ed25519 });
    assert.equal(spaces.body.badRequest.message, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.");
    assert.equal((await create({ name: '', public_key: ed25519 })).status, 400);
    assert.equal((await create({ name: 'x'.repeat(256), public_key: ed25519 })).status, 400);
    const noName = await create({ public_key: ed25519 });
    assert.equal(noName.body.badRequest.message, "'name' is a required property");
  });

  it('keeps key pairs per user: another user of the same project gets 404', async () => {
    const mine = await cloud.request('GET', '/os-keypairs/laptop', { token: ALICE, version: '2.2' });
    assert.equal(mine.status, 200);
    assert.deepEqual(Object.keys(mine.body.keypair).sort(),
      ['created_at', 'deleted', 'deleted_at', 'fingerprint', 'id', 'name', 'public_key', 'type', 'updated_at', 'user_id']);
    assert.match(mine.body.keypair.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    assert.equal(mine.body.keypair.deleted, false);
    const theirs = await cloud.request('GET', '/os-keypairs/laptop', { token: CAROL });
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.itemNotFound.message, 'Keypair laptop not found for user carol');
    assert.deepEqual((await cloud.request('GET', '/os-keypairs', { token: CAROL })).body, { keypairs: [] });
    assert.equal((await cloud.request('DELETE', '/os-keypairs/laptop', { token: CAROL })).status, 404);
    const peek = await cloud.request('GET', '/os-keypairs?user_id=alice', { token: CAROL, version: '2.10' });
    assert.equal(peek.status, 403);
    assert.equal(peek.body.forbidden.message, "Policy doesn't allow os_compute_api:os-keypairs:index to be performed.");
    assert.equal((await cloud.request('GET', '/os-keypairs/laptop?user_id=alice', { token: CAROL, version: '2.10' })).status, 403);
    const forOther = await create({ name: 'sneaky', public_key: ed25519, user_id: 'alice' }, { version: '2.10', token: CAROL });
    assert.equal(forOther.status, 403);
  });

  it('lets admins act for other users from 2.10', async () => {
    const list = await cloud.request('GET', '/os-keypairs?user_id=alice', { token: ADMIN, version: '2.10' });
    assert.ok(list.body.keypairs.some((k: { keypair: { name: string } }) => k.keypair.name === 'laptop'));
    const before210 = await cloud.request('GET', '/os-keypairs?user_id=alice', { token: ADMIN, version: '2.9' });
    assert.deepEqual(before210.body.keypairs, [], 'user_id is ignored before 2.10');
    const made = await create({ name: 'for-carol', public_key: ed25519, user_id: 'carol' }, { version: '2.10', token: ADMIN });
    assert.equal(made.status, 201);
    assert.equal(made.body.keypair.user_id, 'carol');
    assert.equal((await cloud.request('GET', '/os-keypairs/for-carol', { token: CAROL })).status, 200);
    const shown = await cloud.request('GET', '/os-keypairs/for-carol?user_id=carol', { token: ADMIN, version: '2.10' });
    assert.equal(shown.body.keypair.user_id, 'carol');
    assert.equal((await cloud.request('DELETE', '/os-keypairs/for-carol?user_id=carol', { token: ADMIN, version: '2.10' })).status, 204);
    assert.equal((await cloud.request('GET', '/os-keypairs/for-carol', { token: CAROL })).status, 404);
  });

  it('pages lists from 2.35 with next links, and refuses an unknown marker', async () => {
    for (const n of ['p-a', 'p-b', 'p-c']) await create({ name: n, public_key: ed25519 }, { token: 'dave:p1' });
    const page = await cloud.request('GET', '/os-keypairs?limit=2', { token: 'dave:p1', version: '2.35' });
    assert.deepEqual(page.body.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name), ['p-a', 'p-b']);
    assert.equal(page.body.keypairs_links[0].href, `${cloud.computeUrl}/os-keypairs?limit=2&marker=p-b`);
    const rest = await cloud.request('GET', '/os-keypairs?limit=2&marker=p-b', { token: 'dave:p1', version: '2.35' });
    assert.deepEqual(rest.body.keypairs.map((k: { keypair: { name: string } }) => k.keypair.name), ['p-c']);
    assert.equal(rest.body.keypairs_links, undefined);
    const old = await cloud.request('GET', '/os-keypairs?limit=2', { token: 'dave:p1', version: '2.34' });
    assert.equal(old.body.keypairs.length, 3, 'limit is ignored before 2.35');
    assert.equal(old.body.keypairs[0].keypair.type, 'ssh');
    const v21 = await cloud.request('GET', '/os-keypairs', { token: 'dave:p1' });
    assert.equal(v21.body.keypairs[0].keypair.type, undefined);
    const bad = await cloud.request('GET', '/os-keypairs?marker=zzz', { token: 'dave:p1', version: '2.35' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, 'Marker zzz could not be found.');
    const badLimit = await cloud.request('GET', '/os-keypairs?limit=-1', { token: 'dave:p1', version: '2.35' });
    assert.equal(badLimit.status, 400);
  });

  it('enforces the key_pairs quota per user with Nova\'s 403', async () => {
    const put = await cloud.request('PUT', '/os-quota-sets/p1?user_id=erin', { body: { quota_set: { key_pairs: 1 } } });
    assert.equal(put.status, 200);
    assert.equal((await create({ name: 'one', public_key: ed25519 }, { token: 'erin:p1' })).status, 200);
    const over = await create({ name: 'two', public_key: ed25519 }, { token: 'erin:p1' });
    assert.equal(over.status, 403);
    assert.deepEqual(over.body, { forbidden: { code: 403, message: 'Quota exceeded, too many key pairs.' } });
    assert.equal((await cloud.request('GET', '/os-keypairs', { token: 'erin:p1' })).body.keypairs.length, 1);
  });

  it('deletes with 202 before 2.2 and 204 from it', async () => {
    assert.equal((await cloud.request('DELETE', '/os-keypairs/laptop', { token: ALICE })).status, 202);
    assert.equal((await cloud.request('DELETE', '/os-keypairs/laptop2', { token: ALICE, version: '2.2' })).status, 204);
    const gone = await cloud.request('DELETE', '/os-keypairs/laptop', { token: ALICE });
    assert.equal(gone.status, 404);
  });
});
