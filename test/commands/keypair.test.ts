import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeComputeApi } from '../helpers/fake_api';
import { nova, parseDict, parseTable } from '../helpers/run_command';

const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq+0jQ5sHq9d9r2cC4fVd8cTjW8c5bFj4Qn8n3V5Qx alice@host';
const FP = 'b6:3f:1e:0a:9d:52:33:0c:58:5c:c0:6e:5e:33:0e:31';

// Against a stand-in Compute API: requests and output of the keypair commands.
describe('nova keypair-* (against a stand-in Compute API)', () => {
  let api: FakeComputeApi;
  let auth: string[];

  beforeEach(async () => {
    api = await new FakeComputeApi().start();
    auth = api.auth();
    api.on('GET', '/os-keypairs', { body: { keypairs: [{ keypair: { name: 'alice', public_key: PUB, fingerprint: FP, type: 'ssh' } }] } });
    api.on('GET', '/os-keypairs/alice', { body: { keypair: { name: 'alice', public_key: PUB, fingerprint: FP, type: 'ssh', user_id: 'admin', id: 7, created_at: '2026-11-24T10:00:00.000000', deleted: false, deleted_at: null, updated_at: null } } });
    api.on('POST', '/os-keypairs', (req) => {
      const k = req.body.keypair;
      const generated = !k.public_key;
      return { status: 201, body: { keypair: { name: k.name, type: k.type, user_id: 'admin', fingerprint: FP, public_key: k.public_key ?? PUB, ...(generated ? { private_key: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n' } : {}) } } };
    });
    api.on('DELETE', /^\/os-keypairs\/([^/]+)$/, { status: 202 });
  });
  afterEach(async () => { await api.stop(); });

  it('lists keypairs with the type column since 2.2', async () => {
    assert.deepEqual(parseTable((await nova(['keypair-list', ...auth])).stdout), [{ Name: 'alice', Type: 'ssh', Fingerprint: FP }]);
    assert.deepEqual(Object.keys(parseTable((await nova(['keypair-list', '--os-compute-api-version', '2.1', ...auth])).stdout)[0]), ['Name', 'Fingerprint']);
    await nova(['keypair', 'list', '--user', 'bob', '--limit', '10', ...auth]);
    assert.equal(api.last().query.toString(), 'user_id=bob&limit=10');
  });

  it('shows a keypair: its record, then the public key', async () => {
    const out = await nova(['keypair-show', 'alice', ...auth]);
    const d = parseDict(out.stdout);
    assert.equal(d.fingerprint, FP);
    assert.equal(d.user_id, 'admin');
    assert.ok(!('public_key' in d));
    assert.ok(out.stdout.endsWith(`Public key: ${PUB}\n`));
  });

  it('imports a public key from a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-kp-'));
    fs.writeFileSync(path.join(dir, 'id.pub'), PUB);
    const out = await nova(['keypair-add', '--pub-key', path.join(dir, 'id.pub'), 'alice2', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.equal(out.stdout, '', 'nothing to print for an imported key');
    assert.deepEqual(api.last().body, { keypair: { name: 'alice2', type: 'ssh', public_key: PUB } });
    assert.equal(api.last().headers['openstack-api-version'], 'compute 2.96');
    const missing = await nova(['keypair-add', '--pub-key', '/no/such.pub', 'x', ...auth]);
    assert.match(missing.stderr, /^ERROR \(CommandError\): Can't open or read '\/no\/such\.pub'/);
  });

  it('has the server generate a pair (at 2.91, since 2.92 dropped that) and prints the private key', async () => {
    const out = await nova(['keypair-add', '--key-type', 'x509', 'gen', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.equal(out.stdout, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n\n');
    assert.deepEqual(api.last().body, { keypair: { name: 'gen', type: 'x509' } });
    assert.equal(api.last().headers['openstack-api-version'], 'compute 2.91');
    const refused = await nova(['keypair-add', 'gen', '--os-compute-api-version', '2.92', ...auth]);
    assert.equal(refused.stderr, 'ERROR (CommandError): The API stopped generating keypairs in microversion 2.92: give --pub-key, or --os-compute-api-version 2.91.\n');
  });

  it('deletes a keypair, for another user when asked', async () => {
    const out = await nova(['keypair-delete', 'alice', '--user', 'bob', '--json', ...auth]);
    assert.deepEqual(out.json(), { deleted: 'alice' });
    assert.equal(api.last().method, 'DELETE');
    assert.equal(api.last().path, '/os-keypairs/alice');
    assert.equal(api.last().query.get('user_id'), 'bob');
  });
});
