import { strict as assert } from 'node:assert';
import { quotaSet } from '../../../src/db/api/quotas';
import { act, boot, NOW, ServerCloud, startServerCloud, waitForStatus } from '../../helpers/servers';

const ALICE = 'alice:p1';

describe('Compute API /servers/{id}/metadata', function () {
  this.timeout(30000);
  let cloud: ServerCloud;
  let id: string;
  const url = () => `/servers/${id}/metadata`;
  before(async () => {
    cloud = await startServerCloud();
    id = await boot(cloud, { metadata: { a: '1' } }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });
  after(async () => { await cloud.stop(); });

  it('reads, merges (POST), replaces (PUT), sets and deletes one key', async () => {
    assert.deepEqual((await cloud.request('GET', url(), { token: ALICE })).body, { metadata: { a: '1' } });
    const merged = await cloud.request('POST', url(), { token: ALICE, body: { metadata: { b: '2' } } });
    assert.equal(merged.status, 200);
    assert.deepEqual(merged.body, { metadata: { a: '1', b: '2' } });
    const replaced = await cloud.request('PUT', url(), { token: ALICE, body: { metadata: { c: '3' } } });
    assert.deepEqual(replaced.body, { metadata: { c: '3' } });
    const one = await cloud.request('PUT', `${url()}/d`, { token: ALICE, body: { meta: { d: '4' } } });
    assert.deepEqual(one.body, { meta: { d: '4' } });
    assert.deepEqual((await cloud.request('GET', `${url()}/d`, { token: ALICE })).body, { meta: { d: '4' } });
    assert.equal((await cloud.request('DELETE', `${url()}/c`, { token: ALICE })).status, 204);
    assert.deepEqual((await cloud.request('GET', `/servers/${id}`, { token: ALICE })).body.server.metadata, { d: '4' });
  });

  it('answers 404, 400 and 403 with Nova\'s messages', async () => {
    const missing = await cloud.request('GET', `${url()}/nope`, { token: ALICE });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.itemNotFound.message, 'Metadata item was not found');
    assert.equal((await cloud.request('DELETE', `${url()}/nope`, { token: ALICE })).body.itemNotFound.message, 'Metadata item was not found');
    const mismatch = await cloud.request('PUT', `${url()}/x`, { token: ALICE, body: { meta: { y: '1' } } });
    assert.equal(mismatch.body.badRequest.message, 'Request body and URI mismatch');
    const two = await cloud.request('PUT', `${url()}/x`, { token: ALICE, body: { meta: { x: '1', y: '2' } } });
    assert.equal(two.status, 400);
    const long = await cloud.request('POST', url(), { token: ALICE, body: { metadata: { k: 'v'.repeat(256) } } });
    assert.equal(long.status, 400);
    await quotaSet('p1', 'metadata_items', 2);
    const over = await cloud.request('POST', url(), { token: ALICE, body: { metadata: { e: '5', f: '6' } } });
    assert.equal(over.status, 403);
    assert.equal(over.body.forbidden.message, 'Maximum number of metadata items exceeds 2');
    await quotaSet('p1', 'metadata_items', 128);
  });

  it('refuses changes in the wrong state (409) and to other projects (404)', async () => {
    assert.equal((await cloud.request('POST', url(), { token: 'bob:p2', body: { metadata: { z: '1' } } })).status, 404);
    await act(cloud, id, { 'os-resetState': { state: 'error' } });
    const r = await cloud.request('POST', url(), { token: ALICE, body: { metadata: { z: '1' } } });
    assert.equal(r.status, 409);
    assert.equal(r.body.conflictingRequest.message, `Cannot 'update metadata' instance ${id} while it is in vm_state error`);
    assert.equal((await cloud.request('DELETE', `${url()}/d`, { token: ALICE })).body.conflictingRequest.message,
      `Cannot 'delete metadata' instance ${id} while it is in vm_state error`);
    await act(cloud, id, { 'os-resetState': { state: 'active' } });
    assert.equal((await cloud.request('GET', url(), { token: ALICE, version: NOW })).status, 200);
  });
});
