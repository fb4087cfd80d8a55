import { strict as assert } from 'node:assert';
import { clearTokenCache, KeystoneAuth } from '../../src/client/auth';
import { ComputeClient } from '../../src/client/compute/client';
import { CommandError } from '../../src/client/errors';
import { HttpTransport } from '../../src/client/http';
import { ImageFinder } from '../../src/client/images';
import { ApiSession } from '../../src/client/session';
import { FakeComputeApi } from '../helpers/fake_api';
import { FakeKeystone } from '../helpers/fake_keystone';

describe('client/images: name or ID lookups through the Image service in the catalog', () => {
  let compute: FakeComputeApi;
  let glance: FakeComputeApi;
  let keystone: FakeKeystone;
  let finder: ImageFinder;
  const CIRROS = '0f3c5b52-1a2b-4c3d-8e4f-5a6b7c8d9e0f';

  before(async () => {
    compute = await new FakeComputeApi().start();
    glance = await new FakeComputeApi().start();
    const images = [
      { id: CIRROS, name: 'cirros', status: 'active', visibility: 'public' },
      { id: '1a000000-0000-4000-8000-000000000001', name: 'twin', status: 'active' },
      { id: '1a000000-0000-4000-8000-000000000002', name: 'twin', status: 'active' },
    ];
    glance.on('GET', '/v2/images', (req) => ({ body: { images: images.filter((i) => i.name === req.query.get('name')) } }));
    glance.on('GET', /^\/v2\/images\/([^/]+)$/, (_r, [id]) => {
      const i = images.find((x) => x.id === id);
      return i ? { body: i } : { status: 404, body: '404 Not Found\n\nNo image found with ID x\n\n' };
    });
    keystone = await new FakeKeystone(() => [
      { type: 'compute', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: compute.url }] },
      { type: 'image', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: glance.url.replace(/\/v2\.1$/, '') }] },
    ]).start();
    clearTokenCache();
    const http = new HttpTransport();
    const session = new ApiSession(new KeystoneAuth({ authUrl: keystone.url, username: 'admin', password: 'secret', projectName: 'admin' }, http), http);
    finder = new ImageFinder(await ComputeClient.connect(session));
  });
  after(async () => { await compute.stop(); await glance.stop(); await keystone.stop(); });

  it('finds by name with GET {image}/v2/images?name=, by UUID with GET /v2/images/{id}', async () => {
    const byName = await finder.find('cirros');
    assert.equal(byName.id, CIRROS);
    assert.equal(glance.last().path, '/v2/images');
    assert.equal(glance.last().query.get('name'), 'cirros');
    assert.equal(glance.last().headers['x-auth-token'], 'tok-1');
    const byId = await finder.find(CIRROS);
    assert.equal(byId.name, 'cirros');
    assert.equal(glance.last().path, `/v2/images/${CIRROS}`);
    assert.equal(compute.calls.length, 0, 'the compute image proxy is not used when the catalog has an image service');
  });

  it('refuses an ambiguous name and names a missing one', async () => {
    await assert.rejects(finder.find('twin'), (e: Error) => e instanceof CommandError && e.message === "Multiple image matches found for 'twin', use an ID to be more specific.");
    await assert.rejects(finder.find('nope'), (e: Error) => e instanceof CommandError && e.message === "No image with a name or ID of 'nope' exists.");
    await assert.rejects(finder.find('deadbeef-0000-4000-8000-000000000000'), /No image with a name or ID of 'deadbeef/);
  });
});
