import { strict as assert } from 'node:assert';
import { makeContext } from '../../src/context';
import { ImageNotFound } from '../../src/exception';
import { ImageService } from '../../src/image/api';
import { startCloud, TestCloud, waitFor } from '../helpers/cloud';

/**
 * Snapshot, shelve and boot errors against the built-in Image service (not the test double): the
 * contract compute relies on, from queued images to ImageNotFound.
 */
describe('servers with the built-in Image service', function () {
  this.timeout(60000);
  let cloud: TestCloud;
  let images: ImageService;
  let baseId: string;
  const ctx = makeContext({ user_id: 'admin', project_id: 'admin', roles: ['admin'], is_admin: true, auth_token: 'admin:admin' });
  const show = async (id: string) => (await cloud.request('GET', `/servers/${id}`, { version: '2.96' })).body.server;
  const waitStatus = (id: string, status: string) => waitFor(async () => { const s = await show(id); return s.status === status && s['OS-EXT-STS:task_state'] === null ? s : undefined; }, 20000, status);

  before(async () => {
    cloud = await startCloud({ daemons: ['image', 'conductor', 'scheduler', 'compute', 'api'] });
    images = await cloud.rt.imageService();
    const base = await images.create(ctx, { name: 'base', disk_format: 'raw', container_format: 'bare', visibility: 'public', properties: { os_type: 'linux' } });
    await images.upload(ctx, base.id, Buffer.alloc(4096, 1));
    baseId = base.id;
  });
  after(async () => { await cloud.stop(); });

  it('boots from it, snapshots into it with Nova\'s properties, and shelves through it', async () => {
    const missing = await cloud.request('POST', '/servers', { version: '2.96', body: { server: { name: 'x', imageRef: '6c1b3e5a-1111-4222-8333-944455556666', flavorRef: '1', networks: 'none' } } });
    assert.equal(missing.body.badRequest.message, 'Can not find requested image');
    const created = await cloud.request('POST', '/servers', { version: '2.96', body: { server: { name: 'real', imageRef: baseId, flavorRef: '1', networks: 'none' } } });
    const id = created.body.server.id;
    await waitStatus(id, 'ACTIVE');

    const snap = await cloud.request('POST', `/servers/${id}/action`, { version: '2.96', body: { createImage: { name: 'real-snap' } } });
    const snapId = snap.body.image_id;
    const img = await waitFor(async () => { const i = await images.get(ctx, snapId); return i.status === 'active' ? i : undefined; }, 20000, 'snapshot active');
    assert.equal(img.properties.instance_uuid, id);
    assert.equal(img.properties.image_type, 'snapshot');
    assert.equal(img.properties.base_image_ref, baseId);
    assert.equal(img.properties.os_type, 'linux');
    assert.equal(img.disk_format, 'raw');
    let data = '';
    for await (const chunk of await images.download(ctx, snapId) as AsyncIterable<Buffer>) data += chunk.toString();
    assert.match(data, /fake disk of instance-/);
    await waitStatus(id, 'ACTIVE');

    await cloud.request('POST', `/servers/${id}/action`, { version: '2.96', body: { shelve: null } });
    await waitStatus(id, 'SHELVED_OFFLOADED');
    const shelved = (await images.list(ctx)).find((i) => i.name === 'real-shelved')!;
    assert.equal(shelved.status, 'active');
    await cloud.request('POST', `/servers/${id}/action`, { version: '2.96', body: { unshelve: null } });
    await waitStatus(id, 'ACTIVE');
    await waitFor(async () => images.get(ctx, shelved.id).then(() => false, (e) => e instanceof ImageNotFound), 10000, 'shelved image deleted');
  });
});
