import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { glanceClient, JSON_PATCH } from '../helpers/glance';

describe('Image API v2: images, schemas, PATCH, delete', () => {
  let cloud: TestCloud;
  let g: ReturnType<typeof glanceClient>;
  let base: string;
  before(async () => {
    cloud = await startCloud({ daemons: ['image'] });
    base = cloud.rt.endpoints.image;
    g = glanceClient(base);
  });
  after(async () => { await cloud.stop(); });

  it('publishes its endpoint and answers the version documents without a token', async () => {
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
    const root = await fetch(`${base}/`);
    assert.equal(root.status, 300);
    const doc = (await root.json()) as any;
    assert.equal(doc.versions[0].status, 'CURRENT');
    assert.equal(doc.versions[0].links[0].href, `${base}/v2/`);
    assert.ok(doc.versions.some((v: { id: string }) => v.id === 'v2.0'));
    assert.equal((await fetch(`${base}/versions`)).status, 200);
  });

  it('refuses a request without a valid token with keystonemiddleware\'s 401', async () => {
    const res = await fetch(`${base}/v2/images`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
  });

  it('serves the schemas glanceclient fetches, with the formats and custom properties', async () => {
    const s = (await g('GET', '/v2/schemas/image')).body;
    assert.equal(s.name, 'image');
    assert.deepEqual(s.additionalProperties, { type: 'string' });
    assert.deepEqual(s.properties.disk_format.enum, [null, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso']);
    assert.equal(s.properties.kernel_id.is_base, false);
    assert.equal(s.properties.status.readOnly, true);
    assert.equal((await g('GET', '/v2/schemas/images')).body.properties.images.items.name, 'image');
    assert.deepEqual((await g('GET', '/v2/schemas/member')).body.properties.status.enum, ['pending', 'accepted', 'rejected']);
    assert.equal((await g('GET', '/v2/schemas/members')).body.name, 'members');
  });

  it('creates an image with custom properties (kernel_id and ramdisk_id included) and shows it', async () => {
    const kernel = '8a5c9a2b-3c1e-4d0b-9e55-2f3e7f9a1b01';
    const r = await g('POST', '/v2/images', {
      token: 'alice:p1',
      body: { name: 'cirros', disk_format: 'qcow2', container_format: 'bare', min_ram: 64, tags: ['a', 'b'], kernel_id: kernel, ramdisk_id: null, hw_disk_bus: 'virtio' },
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('location'), `${base}/v2/images/${r.body.id}`);
    const img = r.body;
    assert.match(img.id, /^[0-9a-f-]{36}$/);
    assert.equal(img.status, 'queued');
    assert.equal(img.visibility, 'shared');
    assert.equal(img.owner, 'p1');
    assert.equal(img.min_ram, 64);
    assert.equal(img.size, null);
    assert.equal(img.checksum, null);
    assert.equal(img.kernel_id, kernel);
    assert.equal(img.ramdisk_id, '');
    assert.equal(img.hw_disk_bus, 'virtio');
    assert.deepEqual(img.tags.sort(), ['a', 'b']);
    assert.equal(img.self, `/v2/images/${img.id}`);
    assert.equal(img.file, `/v2/images/${img.id}/file`);
    assert.equal(img.schema, '/v2/schemas/image');
    assert.match(img.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const shown = await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' });
    assert.deepEqual(shown.body, img);
    // The same image through a minor-version URL, as Glance's version negotiation allows.
    assert.equal((await g('GET', `/v2.7/images/${img.id}`, { token: 'alice:p1' })).body.id, img.id);
  });

  it('takes a caller-chosen id once, and refuses bad formats, read-only and reserved attributes', async () => {
    const id = 'c0ffee00-0000-4000-8000-000000000001';
    assert.equal((await g('POST', '/v2/images', { body: { id, name: 'fixed' } })).status, 201);
    const dup = await g('POST', '/v2/images', { body: { id, name: 'again' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.message, `Image ID ${id} already exists!`);
    const bad = await g('POST', '/v2/images', { body: { name: 'x', disk_format: 'floppy' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^Provided object does not match schema 'image': 'floppy' is not one of/);
    const badContainer = await g('POST', '/v2/images', { body: { name: 'x', container_format: 'zip' } });
    assert.equal(badContainer.status, 400);
    const nonString = await g('POST', '/v2/images', { body: { name: 'x', foo: 1 } });
    assert.equal(nonString.status, 400);
    assert.match(nonString.body.message, /1 is not of type "string"/);
    const ro = await g('POST', '/v2/images', { body: { name: 'x', status: 'active' } });
    assert.equal(ro.status, 403);
    assert.equal(ro.body.message, "Attribute 'status' is read-only.");
    const reserved = await g('POST', '/v2/images', { body: { name: 'x', os_glance_foo: 'y' } });
    assert.equal(reserved.status, 403);
    assert.equal(reserved.body.message, "Attribute 'os_glance_foo' is reserved.");
    const malformed = await g('POST', '/v2/images', { raw: '{"name": ', contentType: 'application/json' });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.message, 'Malformed JSON in request body.');
  });

  it('lets only admins make images public or give them to another project', async () => {
    const pub = await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'x', visibility: 'public' } });
    assert.equal(pub.status, 403);
    assert.equal(pub.body.message, 'You are not authorized to complete publicize_image action.');
    const other = await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'x', owner: 'p2' } });
    assert.equal(other.status, 403);
    const byAdmin = await g('POST', '/v2/images', { body: { name: 'x', visibility: 'public', owner: 'p2' } });
    assert.equal(byAdmin.status, 201);
    assert.equal(byAdmin.body.owner, 'p2');
  });

  it('updates base attributes, custom properties and tags with a JSON patch', async () => {
    const img = (await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'p', foo: 'bar', gone: 'soon' } })).body;
    const r = await g('PATCH', `/v2/images/${img.id}`, {
      token: 'alice:p1', contentType: JSON_PATCH,
      body: [
        { op: 'replace', path: '/name', value: 'renamed' },
        { op: 'add', path: '/min_disk', value: 2 },
        { op: 'add', path: '/hw_qemu_guest_agent', value: 'yes' },
        { op: 'replace', path: '/foo', value: 'baz' },
        { op: 'remove', path: '/gone' },
        { op: 'replace', path: '/tags', value: ['x', 'y', 'x'] },
        { op: 'add', path: '/a~1b', value: 'slash' },
        { op: 'replace', path: '/disk_format', value: 'raw' },
      ],
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.name, 'renamed');
    assert.equal(r.body.min_disk, 2);
    assert.equal(r.body.hw_qemu_guest_agent, 'yes');
    assert.equal(r.body.foo, 'baz');
    assert.equal(r.body.gone, undefined);
    assert.equal(r.body['a/b'], 'slash');
    assert.equal(r.body.disk_format, 'raw');
    assert.deepEqual(r.body.tags.sort(), ['x', 'y']);
    assert.deepEqual((await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).body, r.body);
  });

  it('refuses patches Glance refuses, changing nothing', async () => {
    const img = (await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'guarded', foo: 'bar' } })).body;
    const patch = (ops: unknown, o: { token?: string; contentType?: string } = {}) =>
      g('PATCH', `/v2/images/${img.id}`, { token: o.token ?? 'alice:p1', contentType: o.contentType ?? JSON_PATCH, body: ops });
    const cases: Array<[unknown, number, string]> = [
      [[{ op: 'replace', path: '/status', value: 'active' }], 403, "Attribute 'status' is read-only."],
      [[{ op: 'replace', path: '/checksum', value: 'x' }], 403, "Attribute 'checksum' is read-only."],
      [[{ op: 'add', path: '/deleted', value: 'x' }], 403, "Attribute 'deleted' is reserved."],
      [[{ op: 'remove', path: '/name' }], 403, 'Property name may not be removed.'],
      [[{ op: 'replace', path: '/nope', value: 'x' }], 409, 'Property nope does not exist.'],
      [[{ op: 'remove', path: '/nope' }], 409, 'Property nope does not exist.'],
      [[{ op: 'replace', path: '/owner', value: 'p2' }], 403, "Owner can't be updated by non admin."],
      [[{ op: 'replace', path: '/visibility', value: 'public' }], 403, 'You are not authorized to complete publicize_image action.'],
      [[{ op: 'replace', path: '/visibility', value: 'everyone' }], 400, ''],
      [[{ op: 'replace', path: '/min_ram', value: -1 }], 400, "Invalid value '-1' for parameter 'min_ram': Cannot be a negative value"],
      [[{ op: 'move', path: '/name' }], 400, 'Invalid operation: `move`. It must be one of the following: `add`, `remove`, `replace`.'],
      [[{ op: 'add', path: 'name', value: 'x' }], 400, 'Pointer `name` does not start with "/".'],
      [[{ op: 'add', path: '/a/b', value: 'x' }], 400, "Invalid JSON pointer for this resource: '/a/b'"],
      [[{ op: 'add', path: '/name' }], 400, 'Operation "add" requires a member named "value".'],
      [{ op: 'add' }, 400, 'Request body must be a JSON array of operation objects.'],
      // The first operation is fine; the second fails, so neither applies.
      [[{ op: 'replace', path: '/name', value: 'changed' }, { op: 'remove', path: '/missing' }], 409, 'Property missing does not exist.'],
    ];
    for (const [ops, status, message] of cases) {
      const r = await patch(ops);
      assert.equal(r.status, status, `${JSON.stringify(ops)}: ${r.text}`);
      if (message) assert.equal(r.body.message, message);
    }
    const wrongType = await patch([], { contentType: 'application/json' });
    assert.equal(wrongType.status, 415);
    assert.match(wrongType.headers.get('accept-patch') ?? '', /application\/openstack-images-v2\.1-json-patch/);
    const draft4 = await patch([{ replace: '/foo', value: 'v20' }], { contentType: 'application/openstack-images-v2.0-json-patch' });
    assert.equal(draft4.status, 200);
    assert.equal(draft4.body.foo, 'v20');
    const other = await patch([{ op: 'replace', path: '/name', value: 'x' }], { token: 'bob:p2' });
    assert.equal(other.status, 404);
    const after = (await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).body;
    assert.equal(after.name, 'guarded');
    assert.equal(after.visibility, 'shared');
  });

  it('deletes an image (204, then 404) but not a protected one', async () => {
    const img = (await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'keep', protected: true } })).body;
    const refused = await g('DELETE', `/v2/images/${img.id}`, { token: 'alice:p1' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, `Image ${img.id} is protected and cannot be deleted.`);
    assert.equal((await g('PATCH', `/v2/images/${img.id}`, { token: 'alice:p1', contentType: JSON_PATCH, body: [{ op: 'replace', path: '/protected', value: false }] })).status, 200);
    assert.equal((await g('DELETE', `/v2/images/${img.id}`, { token: 'bob:p2' })).status, 404);
    const del = await g('DELETE', `/v2/images/${img.id}`, { token: 'alice:p1' });
    assert.equal(del.status, 204);
    assert.equal((await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).status, 404);
    const again = await g('DELETE', `/v2/images/${img.id}`, { token: 'alice:p1' });
    assert.equal(again.status, 404);
    assert.equal(again.body.message, `Failed to find image ${img.id} to delete`);
    // The id stays taken, as Glance keeps deleted rows.
    assert.equal((await g('POST', '/v2/images', { body: { id: img.id, name: 'reuse' } })).status, 409);
  });

  it('adds and removes tags', async () => {
    const img = (await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'tagged' } })).body;
    assert.equal((await g('PUT', `/v2/images/${img.id}/tags/blue`, { token: 'alice:p1' })).status, 204);
    assert.equal((await g('PUT', `/v2/images/${img.id}/tags/blue`, { token: 'alice:p1' })).status, 204);
    assert.deepEqual((await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).body.tags, ['blue']);
    assert.equal((await g('DELETE', `/v2/images/${img.id}/tags/blue`, { token: 'alice:p1' })).status, 204);
    assert.equal((await g('DELETE', `/v2/images/${img.id}/tags/blue`, { token: 'alice:p1' })).status, 404);
    assert.equal((await g('PUT', `/v2/images/${img.id}/tags/red`, { token: 'bob:p2' })).status, 404);
  });

  it('renders errors as webob does: HTML by default, JSON when asked, plain text otherwise', async () => {
    const html = await g('GET', '/v2/images/none', { headers: { accept: '*/*' } });
    assert.equal(html.status, 404);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(html.text, /<title>404 Not Found<\/title>/);
    assert.match(html.text, /No image found with ID none/);
    const json = await g('GET', '/v2/images/none');
    assert.deepEqual(json.body, { message: 'No image found with ID none', code: '404 Not Found', title: 'Not Found' });
    const plain = await g('GET', '/v2/images/none', { headers: { accept: 'text/plain' } });
    assert.match(plain.text, /^404 Not Found\n\nNo image found with ID none/);
    assert.equal((await g('GET', '/v2/nothing-here')).status, 404);
  });
});
