import { strict as assert } from 'node:assert';
import { act, boot, ServerCloud, startServerCloud, waitForStatus } from '../../helpers/servers';

const ALICE = 'alice:p1';

describe('Compute API /servers/{id}/tags (2.26)', function () {
  this.timeout(30000);
  let cloud: ServerCloud;
  let id: string;
  const req = (method: string, path: string, body?: unknown, version = '2.26', token = ALICE) => cloud.request(method, `/servers/${id}/tags${path}`, { body, version, token });
  before(async () => {
    cloud = await startServerCloud();
    id = await boot(cloud, { tags: ['boot'] }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });
  after(async () => { await cloud.stop(); });

  it('is not there before 2.26', async () => {
    assert.equal((await req('GET', '', undefined, '2.25')).status, 404);
  });

  it('adds (201 with Location, then 204), checks, lists, replaces, removes and clears', async () => {
    assert.deepEqual((await req('GET', '')).body, { tags: ['boot'] });
    const added = await req('PUT', '/red');
    assert.equal(added.status, 201);
    assert.equal(added.headers.get('location'), `${cloud.computeUrl}/servers/${id}/tags/red`);
    assert.equal((await req('PUT', '/red')).status, 204);
    assert.equal((await req('GET', '/red')).status, 204);
    const missing = await req('GET', '/blue');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.itemNotFound.message, `Server ${id} has no tag 'blue'`);
    const replaced = await req('PUT', '', { tags: ['x', 'y', 'x'] });
    assert.deepEqual(replaced.body, { tags: ['x', 'y'] });
    assert.equal((await req('DELETE', '/x')).status, 204);
    assert.equal((await req('DELETE', '/x')).body.itemNotFound.message, `Instance ${id} has no tag 'x'`);
    assert.equal((await req('DELETE', '')).status, 204);
    assert.deepEqual((await req('GET', '')).body, { tags: [] });
  });

  it('refuses bad tags, more than 50, and changes in the wrong state', async () => {
    const comma = await req('PUT', '/a,b');
    assert.equal(comma.status, 400);
    assert.equal(comma.body.badRequest.message, "Tag 'a,b' is invalid. It must be a non empty string without characters '/' and ','. Validation error message: 'a,b' does not match '^[^,/]*$'");
    const many = Array.from({ length: 51 }, (_, i) => `t${i}`);
    assert.equal((await req('PUT', '', { tags: many })).status, 400);
    assert.deepEqual((await req('PUT', '', { tags: many.slice(0, 50) })).body.tags.length, 50);
    const full = await req('PUT', '/one-more');
    assert.equal(full.body.badRequest.message, 'The number of tags exceeded the per-server limit 50');
    await act(cloud, id, { 'os-resetState': { state: 'error' } });
    assert.equal((await req('PUT', '/late')).body.conflictingRequest.message, `Cannot 'update tag' instance ${id} while it is in vm_state error`);
    assert.equal((await req('DELETE', '')).body.conflictingRequest.message, `Cannot 'delete tags' instance ${id} while it is in vm_state error`);
    await act(cloud, id, { 'os-resetState': { state: 'active' } });
    assert.equal((await req('GET', '', undefined, '2.26', 'bob:p2')).status, 404);
  });
});
