import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { glanceClient, JSON_PATCH } from '../helpers/glance';

const ALICE = 'alice:p1';
const BOB = 'bob:p2';
const CAROL = 'carol:p3';

describe('Image API v2: visibility across projects and image members', () => {
  let cloud: TestCloud;
  let g: ReturnType<typeof glanceClient>;
  const ids: Record<string, string> = {};
  before(async () => {
    cloud = await startCloud({ daemons: ['image'] });
    g = glanceClient(cloud.rt.endpoints.image);
    for (const v of ['private', 'shared', 'community']) {
      ids[v] = (await g('POST', '/v2/images', { token: ALICE, body: { name: `alice-${v}`, visibility: v } })).body.id;
    }
    ids.public = (await g('POST', '/v2/images', { body: { name: 'admin-public', visibility: 'public', owner: 'p1' } })).body.id;
    ids.bobPrivate = (await g('POST', '/v2/images', { token: BOB, body: { name: 'bob-private', visibility: 'private' } })).body.id;
  });
  after(async () => { await cloud.stop(); });

  const names = async (token: string, query = '') =>
    ((await g('GET', `/v2/images${query}`, { token })).body.images as Array<{ name: string }>).map((i) => i.name).sort();

  it('keeps a private image to its project: another project gets 404, as Glance answers', async () => {
    assert.equal((await g('GET', `/v2/images/${ids.private}`, { token: ALICE })).status, 200);
    const r = await g('GET', `/v2/images/${ids.private}`, { token: BOB });
    assert.equal(r.status, 404);
    assert.equal(r.body.message, `No image found with ID ${ids.private}`);
    assert.equal((await g('GET', `/v2/images/${ids.private}/file`, { token: BOB })).status, 404);
    assert.equal((await g('GET', `/v2/images/${ids.private}`)).status, 200, 'admins see everything');
  });

  it('lists public images for all, community images only when asked, others\' private never', async () => {
    assert.deepEqual(await names(ALICE), ['admin-public', 'alice-community', 'alice-private', 'alice-shared']);
    assert.deepEqual(await names(BOB), ['admin-public', 'bob-private']);
    assert.deepEqual(await names(BOB, '?visibility=community'), ['alice-community']);
    assert.deepEqual(await names(BOB, '?visibility=public'), ['admin-public']);
    assert.deepEqual(await names(BOB, '?visibility=private'), ['bob-private']);
    // A community image can be fetched by anyone, and cannot be changed by them.
    assert.equal((await g('GET', `/v2/images/${ids.community}`, { token: BOB })).status, 200);
    const patch = await g('PATCH', `/v2/images/${ids.community}`, { token: BOB, contentType: JSON_PATCH, body: [{ op: 'replace', path: '/name', value: 'x' }] });
    assert.equal(patch.status, 403);
    assert.equal(patch.body.message, 'You are not authorized to complete modify_image action.');
    assert.equal((await g('DELETE', `/v2/images/${ids.public}`, { token: BOB })).status, 403);
    assert.deepEqual(await names('admin:admin', '?visibility=all'),
      ['admin-public', 'alice-community', 'alice-private', 'alice-shared', 'bob-private']);
  });

  it('shares an image: a member sees it pending, lists it once accepted, and drops it when rejected', async () => {
    const shared = ids.shared;
    assert.equal((await g('GET', `/v2/images/${shared}`, { token: BOB })).status, 404);
    const add = await g('POST', `/v2/images/${shared}/members`, { token: ALICE, body: { member: 'p2' } });
    assert.equal(add.status, 200);
    assert.equal(add.body.status, 'pending');
    assert.equal(add.body.member_id, 'p2');
    assert.equal(add.body.image_id, shared);
    assert.equal(add.body.schema, '/v2/schemas/member');
    const dup = await g('POST', `/v2/images/${shared}/members`, { token: ALICE, body: { member: 'p2' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.message, `Member p2 is duplicated for image ${shared}`);

    assert.equal((await g('GET', `/v2/images/${shared}`, { token: BOB })).status, 200, 'a pending member may see it');
    assert.deepEqual(await names(BOB), ['admin-public', 'bob-private'], 'but it is not listed before acceptance');
    assert.deepEqual(await names(BOB, '?member_status=pending'), ['admin-public', 'alice-shared', 'bob-private']);
    assert.deepEqual(await names(BOB, '?visibility=shared&member_status=all'), ['alice-shared']);

    const ownerAccepts = await g('PUT', `/v2/images/${shared}/members/p2`, { token: ALICE, body: { status: 'accepted' } });
    assert.equal(ownerAccepts.status, 403, 'only the member decides');
    const bad = await g('PUT', `/v2/images/${shared}/members/p2`, { token: BOB, body: { status: 'maybe' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'Incorrect request: Status must be "pending", "accepted" or "rejected".');
    const accept = await g('PUT', `/v2/images/${shared}/members/p2`, { token: BOB, body: { status: 'accepted' } });
    assert.equal(accept.status, 200);
    assert.equal(accept.body.status, 'accepted');
    assert.deepEqual(await names(BOB), ['admin-public', 'alice-shared', 'bob-private']);
    assert.deepEqual(await names(BOB, '?visibility=shared'), ['alice-shared']);

    assert.equal((await g('PUT', `/v2/images/${shared}/members/p2`, { token: BOB, body: { status: 'rejected' } })).body.status, 'rejected');
    assert.deepEqual(await names(BOB), ['admin-public', 'bob-private']);
    assert.deepEqual(await names(BOB, '?member_status=rejected&visibility=shared'), ['alice-shared']);
    // A member still cannot change the image itself.
    const patch = await g('PATCH', `/v2/images/${shared}`, { token: BOB, contentType: JSON_PATCH, body: [{ op: 'replace', path: '/name', value: 'x' }] });
    assert.equal(patch.status, 403);
  });

  it('shows the owner every member and a member only itself; strangers get 404', async () => {
    const shared = ids.shared;
    await g('POST', `/v2/images/${shared}/members`, { token: ALICE, body: { member: 'p3' } });
    const forOwner = (await g('GET', `/v2/images/${shared}/members`, { token: ALICE })).body;
    assert.equal(forOwner.schema, '/v2/schemas/members');
    assert.deepEqual(forOwner.members.map((m: { member_id: string }) => m.member_id).sort(), ['p2', 'p3']);
    const forBob = (await g('GET', `/v2/images/${shared}/members`, { token: BOB })).body;
    assert.deepEqual(forBob.members.map((m: { member_id: string }) => m.member_id), ['p2']);
    assert.equal((await g('GET', `/v2/images/${shared}/members/p3`, { token: BOB })).status, 404);
    assert.equal((await g('GET', `/v2/images/${shared}/members/p3`, { token: CAROL })).body.status, 'pending');
    assert.equal((await g('GET', `/v2/images/${shared}/members/p9`, { token: ALICE })).status, 404);
    const stranger = await g('GET', `/v2/images/${shared}/members`, { token: 'dave:p4' });
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.message, `Image ${shared} not found.`);
    // Members cannot add or remove members.
    assert.equal((await g('POST', `/v2/images/${shared}/members`, { token: BOB, body: { member: 'p4' } })).status, 403);
    assert.equal((await g('DELETE', `/v2/images/${shared}/members/p3`, { token: BOB })).status, 403);
    assert.equal((await g('DELETE', `/v2/images/${shared}/members/p3`, { token: ALICE })).status, 204);
    assert.equal((await g('GET', `/v2/images/${shared}`, { token: CAROL })).status, 404);
    assert.equal((await g('DELETE', `/v2/images/${shared}/members/p3`, { token: ALICE })).status, 404);
  });

  it('has members only for shared images, and checks the member body', async () => {
    const r = await g('POST', `/v2/images/${ids.private}/members`, { token: ALICE, body: { member: 'p2' } });
    assert.equal(r.status, 403);
    assert.equal(r.body.message, `Not allowed to create members for image ${ids.private}.`);
    assert.equal((await g('GET', `/v2/images/${ids.private}/members`, { token: ALICE })).status, 403);
    const missing = await g('POST', `/v2/images/${ids.shared}/members`, { token: ALICE, body: { who: 'p2' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.message, 'Member to be added not specified');
    const empty = await g('POST', `/v2/images/${ids.shared}/members`, { token: ALICE, body: { member: '' } });
    assert.equal(empty.body.message, "Member can't be empty");
    const noStatus = await g('PUT', `/v2/images/${ids.shared}/members/p2`, { token: BOB, body: {} });
    assert.equal(noStatus.body.message, 'Status not specified');
  });
});
