import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { instanceGet } from '../../../src/db/api/instances';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { extraMetadataService, insertGuest, mdRequest, proxyHeaders } from '../../helpers/metadata';

const SECRET = 'pw-secret';

describe('server password: posted once by the guest, read and cleared through the Compute API', function () {
  this.timeout(60000);
  let cloud: TestCloud;
  let guest: Instance;
  const md = (p: string, opts: { method?: string; body?: string | Buffer } = {}) =>
    mdRequest(cloud.rt.endpoints.metadata, p, { ...opts, headers: proxyHeaders(SECRET, guest.uuid, guest.project_id) });

  before(async () => {
    cloud = await startCloud({
      daemons: ['api', 'api-metadata'],
      overrides: { 'neutron.service_metadata_proxy': 'true', 'neutron.metadata_proxy_shared_secret': SECRET, 'api.metadata_cache_expiration': '3600' },
    });
    guest = await insertGuest({ project: 'p1', name: 'win' });
  });
  after(async () => { await cloud?.stop(); });

  it('is empty until the guest posts it, then 409 for a second post', async () => {
    assert.equal((await md('/openstack/latest/password')).text, '');
    assert.deepEqual((await cloud.request('GET', `/servers/${guest.uuid}/os-server-password`, { token: 'alice:p1' })).body, { password: '' });
    const posted = await md('/openstack/latest/password', { method: 'POST', body: 'ENCRYPTED==' });
    assert.equal(posted.status, 200);
    assert.equal(posted.text, '');
    // The service forgets its cached view after a post, so the cache (an hour here) does not hide it.
    assert.equal((await md('/openstack/2013-04-04/password')).text, 'ENCRYPTED==');
    const again = await md('/openstack/latest/password', { method: 'POST', body: 'OTHER' });
    assert.equal(again.status, 409);
    assert.equal((await md('/openstack/latest/password')).text, 'ENCRYPTED==');
    assert.deepEqual((await cloud.request('GET', `/servers/${guest.uuid}/os-server-password`, { token: 'alice:p1' })).body, { password: 'ENCRYPTED==' });
  });

  it('refuses a body over 1020 bytes with 400 and stores nothing; other methods are 400', async () => {
    const other = await insertGuest({ project: 'p1', name: 'other' });
    const post = (body: Buffer) => mdRequest(cloud.rt.endpoints.metadata, '/openstack/latest/password', { method: 'POST', body, headers: proxyHeaders(SECRET, other.uuid, 'p1') });
    const big = await post(Buffer.alloc(1021, 'a'));
    assert.equal(big.status, 400);
    assert.match(big.text, /Request is too large\./);
    assert.equal(Object.keys((await instanceGet(other.uuid)).system_metadata).filter((k) => k.startsWith('password_')).length, 0);
    const put = await mdRequest(cloud.rt.endpoints.metadata, '/openstack/latest/password', { method: 'PUT', body: 'x', headers: proxyHeaders(SECRET, other.uuid, 'p1') });
    assert.equal(put.status, 400);
    assert.match(put.text, /GET and POST only are supported\./);
    const max = Buffer.alloc(1020, 'b');
    assert.equal((await post(max)).status, 200);
    const sys = (await instanceGet(other.uuid)).system_metadata;
    assert.deepEqual([0, 1, 2, 3].map((i) => sys[`password_${i}`]), [0, 1, 2, 3].map(() => 'b'.repeat(255)));
  });

  it("follows Nova's policies: other projects get 404, policy overrides 403", async () => {
    const url = `/servers/${guest.uuid}/os-server-password`;
    const stranger = await cloud.request('GET', url, { token: 'bob:p2' });
    assert.equal(stranger.status, 404);
    assert.deepEqual(stranger.body, { itemNotFound: { code: 404, message: `Instance ${guest.uuid} could not be found.` } });
    assert.equal((await cloud.request('DELETE', url, { token: 'bob:p2' })).status, 404);
    assert.equal((await cloud.request('GET', '/servers/00000000-0000-4000-8000-000000000000/os-server-password')).status, 404);
    const policy = path.join(cloud.statePath, 'policy.yaml');
    fs.writeFileSync(policy, '"os_compute_api:os-server-password:clear": "role:admin"\n"os_compute_api:os-server-password:show": "role:admin"\n');
    try {
      await waitFor(async () => (await cloud.request('GET', url, { token: 'alice:p1' })).status === 403, 10000, 'the policy file to be read');
      const denied = await cloud.request('DELETE', url, { token: 'alice:p1' });
      assert.deepEqual(denied.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-server-password:clear to be performed." } });
      assert.deepEqual((await cloud.request('GET', url)).body, { password: 'ENCRYPTED==' }, 'admin still reads it; nothing was cleared');
    } finally {
      fs.rmSync(policy);
    }
    await waitFor(async () => (await cloud.request('GET', url, { token: 'alice:p1' })).status === 200, 10000, 'the policy file removal to be seen');
  });

  it('clears with DELETE (204), after which the guest may post again', async () => {
    const url = `/servers/${guest.uuid}/os-server-password`;
    const cleared = await cloud.request('DELETE', url, { token: 'alice:p1' });
    assert.equal(cleared.status, 204);
    assert.deepEqual((await cloud.request('GET', url, { token: 'alice:p1' })).body, { password: '' });
    const sys = (await instanceGet(guest.uuid)).system_metadata;
    assert.deepEqual([sys.password_0, sys.password_1, sys.password_2, sys.password_3], ['', '', '', '']);
    // This metadata service still has the password cached (as Nova's does until the cache expires): a
    // service without a cached copy lets the guest post again.
    assert.equal((await md('/openstack/latest/password', { method: 'POST', body: 'NEW' })).status, 409);
    const fresh = await extraMetadataService(cloud.rt, { proxy: true, secret: SECRET });
    try {
      const post = await mdRequest(fresh.url, '/openstack/latest/password', { method: 'POST', body: 'NEW', headers: proxyHeaders(SECRET, guest.uuid, 'p1') });
      assert.equal(post.status, 200);
    } finally {
      await fresh.close();
    }
    assert.deepEqual((await cloud.request('GET', url, { token: 'alice:p1' })).body, { password: 'NEW' });
  });
});
