import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { glanceClient } from '../../helpers/glance';

const SERVER = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('Compute API image proxy (/images, deprecated at 2.36) and image metadata (to 2.38)', () => {
  let cloud: TestCloud;
  let glance: string;
  let g: ReturnType<typeof glanceClient>;
  const ids: Record<string, string> = {};
  before(async () => {
    cloud = await startCloud({ daemons: ['image', 'api'], overrides: { 'quota.metadata_items': '6' } });
    glance = cloud.rt.endpoints.image;
    g = glanceClient(glance);
    const snap = await g('POST', '/v2/images', { token: 'alice:p1', body: {
      name: 'snap', disk_format: 'qcow2', container_format: 'bare', min_ram: 512, min_disk: 1, visibility: 'private',
      instance_uuid: SERVER, image_type: 'snapshot', auto_disk_config: 'True', os: 'linux',
    } });
    ids.snap = snap.body.id;
    await g('PUT', `/v2/images/${ids.snap}/file`, { token: 'alice:p1', raw: Buffer.alloc(2048, 7) });
    ids.queued = (await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'pending', min_ram: 128 } })).body.id;
    ids.public = (await g('POST', '/v2/images', { body: { name: 'public', visibility: 'public', disk_format: 'raw', container_format: 'bare', min_ram: 1024 } })).body.id;
    await g('PUT', `/v2/images/${ids.public}/file`, { raw: Buffer.alloc(10, 1) });
  });
  after(async () => { await cloud.stop(); });

  const alice = { token: 'alice:p1' };

  it('lists images with Nova\'s links, and details with Nova\'s fields', async () => {
    const list = await cloud.request('GET', '/images', alice);
    assert.equal(list.status, 200);
    const snap = list.body.images.find((i: { id: string }) => i.id === ids.snap);
    assert.deepEqual(Object.keys(snap).sort(), ['id', 'links', 'name']);
    assert.deepEqual(snap.links, [
      { rel: 'self', href: `${cloud.computeUrl}/images/${ids.snap}` },
      { rel: 'bookmark', href: `${cloud.computeUrl.replace('/v2.1', '')}/images/${ids.snap}` },
      { rel: 'alternate', type: 'application/vnd.openstack.image', href: `${glance}/images/${ids.snap}` },
    ]);
    const detail = (await cloud.request('GET', '/images/detail', alice)).body.images;
    const d = detail.find((i: { id: string }) => i.id === ids.snap);
    assert.equal(d.status, 'ACTIVE');
    assert.equal(d.progress, 100);
    assert.equal(d.minRam, 512);
    assert.equal(d.minDisk, 1);
    assert.equal(d['OS-EXT-IMG-SIZE:size'], 2048);
    assert.equal(d['OS-DCF:diskConfig'], 'AUTO');
    assert.deepEqual(d.metadata, { instance_uuid: SERVER, image_type: 'snapshot', auto_disk_config: 'True', os: 'linux' });
    assert.deepEqual(d.server, { id: SERVER, links: [
      { rel: 'self', href: `${cloud.computeUrl}/servers/${SERVER}` },
      { rel: 'bookmark', href: `${cloud.computeUrl.replace('/v2.1', '')}/servers/${SERVER}` },
    ] });
    assert.match(d.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const q = detail.find((i: { id: string }) => i.id === ids.queued);
    assert.equal(q.status, 'SAVING');
    assert.equal(q.progress, 25);
    assert.equal(q['OS-EXT-IMG-SIZE:size'], 0);
    assert.equal(q.server, undefined);
    // Another project sees the public image, not alice's private one.
    const bobs = (await cloud.request('GET', '/images', { token: 'bob:p2' })).body.images.map((i: { id: string }) => i.id);
    assert.ok(bobs.includes(ids.public));
    assert.ok(!bobs.includes(ids.snap));
  });

  it('maps Nova\'s filters to the Image service', async () => {
    const names = async (query: string) => (await cloud.request('GET', `/images/detail${query}`, alice)).body.images.map((i: { name: string }) => i.name).sort();
    assert.deepEqual(await names('?name=snap'), ['snap']);
    assert.deepEqual(await names('?status=ACTIVE'), ['public', 'snap']);
    assert.deepEqual(await names('?status=SAVING'), []);
    assert.deepEqual(await names('?status=queued'), ['pending']);
    assert.deepEqual(await names(`?server=http://host/v2.1/servers/${SERVER}`), ['snap']);
    assert.deepEqual(await names('?type=snapshot'), ['snap']);
    assert.deepEqual(await names('?minRam=500'), ['public', 'snap']);
    assert.deepEqual(await names('?minDisk=1'), ['snap']);
    assert.deepEqual(await names('?property-os=linux'), ['snap']);
    assert.deepEqual(await names('?changes-since=2000-01-01T00:00:00Z&name=pending'), ['pending']);
    assert.deepEqual(await names('?changes-since=2999-01-01T00:00:00Z'), []);
  });

  it('pages with limit and marker and gives a next link on a full page', async () => {
    const first = await cloud.request('GET', '/images?limit=2', alice);
    assert.equal(first.body.images.length, 2);
    const next = first.body.images_links[0];
    assert.equal(next.rel, 'next');
    assert.equal(next.href, `${cloud.computeUrl}/images?limit=2&marker=${first.body.images[1].id}`);
    const second = await cloud.request('GET', `/images?limit=2&marker=${first.body.images[1].id}`, alice);
    assert.equal(second.body.images.length, 1);
    assert.equal(second.body.images_links, undefined);
    const seen = [...first.body.images, ...second.body.images].map((i: { id: string }) => i.id).sort();
    assert.deepEqual(seen, [ids.snap, ids.queued, ids.public].sort());
    assert.equal((await cloud.request('GET', '/images?limit=abc', alice)).status, 400);
    const badMarker = await cloud.request('GET', '/images?marker=00000000-0000-4000-8000-000000000000', alice);
    assert.equal(badMarker.status, 400);
    assert.ok(badMarker.body.badRequest.message);
  });

  it('shows one image, 404 with Nova\'s body for an unknown one', async () => {
    const r = await cloud.request('GET', `/images/${ids.snap}`, alice);
    assert.equal(r.status, 200);
    assert.equal(r.body.image.id, ids.snap);
    assert.equal(r.body.image.name, 'snap');
    const missing = await cloud.request('GET', '/images/00000000-0000-4000-8000-000000000000', alice);
    assert.deepEqual(missing.body, { itemNotFound: { code: 404, message: 'Image not found.' } });
    assert.equal((await cloud.request('GET', `/images/${ids.snap}`, { token: 'bob:p2' })).status, 404);
  });

  it('serves the proxy up to 2.35 only', async () => {
    assert.equal((await cloud.request('GET', '/images', { ...alice, version: '2.35' })).status, 200);
    for (const path of ['/images', '/images/detail', `/images/${ids.snap}`]) {
      const r = await cloud.request('GET', path, { ...alice, version: '2.36' });
      assert.equal(r.status, 404, path);
      assert.equal(r.body.itemNotFound.message, 'API version 2.36 is not supported on this method.');
    }
    assert.equal((await cloud.request('DELETE', `/images/${ids.snap}`, { ...alice, version: '2.36' })).status, 404);
  });

  it('manages metadata (Glance custom properties) until 2.38, within the metadata quota', async () => {
    const base = `/images/${ids.snap}/metadata`;
    assert.equal((await cloud.request('GET', base, alice)).body.metadata.os, 'linux');
    assert.deepEqual((await cloud.request('GET', `${base}/os`, alice)).body, { meta: { os: 'linux' } });
    assert.equal((await cloud.request('GET', `${base}/nope`, alice)).status, 404);
    const merged = await cloud.request('POST', base, { ...alice, body: { metadata: { color: 'blue' } } });
    assert.equal(merged.status, 200);
    assert.equal(merged.body.metadata.color, 'blue');
    assert.equal(merged.body.metadata.os, 'linux');
    const one = await cloud.request('PUT', `${base}/color`, { ...alice, body: { meta: { color: 'red' } } });
    assert.deepEqual(one.body, { meta: { color: 'red' } });
    const mismatch = await cloud.request('PUT', `${base}/color`, { ...alice, body: { meta: { shade: 'red' } } });
    assert.deepEqual(mismatch.body, { badRequest: { code: 400, message: 'Request body and URI mismatch' } });
    const tooMany = await cloud.request('POST', base, { ...alice, body: { metadata: { a: '1', b: '2', c: '3' } } });
    assert.deepEqual(tooMany.body, { forbidden: { code: 403, message: 'Image metadata limit exceeded' } });
    assert.equal((await cloud.request('DELETE', `${base}/color`, alice)).status, 204);
    const gone = await cloud.request('DELETE', `${base}/color`, alice);
    assert.deepEqual(gone.body, { itemNotFound: { code: 404, message: 'Invalid metadata key' } });
    const replaced = await cloud.request('PUT', base, { ...alice, body: { metadata: { only: 'this' } } });
    assert.deepEqual(replaced.body, { metadata: { only: 'this' } });
    assert.deepEqual((await g('GET', `/v2/images/${ids.snap}`, { token: 'alice:p1' })).body.only, 'this');
    assert.deepEqual((await cloud.request('GET', base, { ...alice, version: '2.38' })).body, { metadata: { only: 'this' } });
    assert.equal((await cloud.request('GET', base, { ...alice, version: '2.39' })).status, 404);
    const notOwner = await cloud.request('POST', `/images/${ids.public}/metadata`, { token: 'bob:p2', body: { metadata: { x: 'y' } } });
    assert.deepEqual(notOwner.body, { forbidden: { code: 403, message: `Not authorized for image ${ids.public}.` } });
    const badBody = await cloud.request('POST', base, { ...alice, body: { meta: {} } });
    assert.equal(badBody.status, 400);
  });

  it('deletes through the proxy: 403 for another project\'s image, 404 when unknown', async () => {
    const refused = await cloud.request('DELETE', `/images/${ids.public}`, { token: 'bob:p2' });
    assert.deepEqual(refused.body, { forbidden: { code: 403, message: 'You are not allowed to delete the image.' } });
    assert.equal((await cloud.request('DELETE', `/images/${ids.queued}`, alice)).status, 204);
    assert.equal((await cloud.request('DELETE', `/images/${ids.queued}`, alice)).status, 404);
    assert.equal((await g('GET', `/v2/images/${ids.queued}`, { token: 'alice:p1' })).status, 404);
  });
});
