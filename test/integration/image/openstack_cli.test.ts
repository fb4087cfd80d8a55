import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { glanceClient } from '../../helpers/glance';

const OPENSTACK = '/usr/bin/openstack';

/**
 * The real python-openstackclient (6.0, on openstacksdk) against the built-in Image service.
 * Without Keystone, the `admin_token` auth plugin sends a fixed token to a fixed endpoint; the SDK
 * uses that endpoint as given, so it must name the API version: http://host:port/v2.
 */
describe('openstack CLI against the built-in Image service', function () {
  this.timeout(120000);
  let cloud: TestCloud;
  let home: string;
  let g: ReturnType<typeof glanceClient>;

  function openstack(args: string[], token = 'admin:admin'): Promise<{ code: number; stdout: string; stderr: string }> {
    const auth = ['--os-auth-type', 'admin_token', '--os-token', token, '--os-endpoint', `${cloud.rt.endpoints.image}/v2`];
    return new Promise((resolve) => {
      const child = execFile(OPENSTACK, [...auth, ...args], { env: { HOME: home, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, cwd: home, timeout: 60000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
      // `image create` without --file reads image data from a stdin that is not a terminal: give it none.
      child.stdin?.end();
    });
  }
  async function ok(args: string[], token?: string): Promise<string> {
    const r = await openstack(args, token);
    assert.equal(r.code, 0, `openstack ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  before(async function () {
    if (!fs.existsSync(OPENSTACK)) this.skip();
    cloud = await startCloud({ daemons: ['image'] });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-osc-'));
    g = glanceClient(cloud.rt.endpoints.image);
  });
  after(async () => {
    await cloud?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  const data = randomBytes(300 * 1024);
  let id = '';

  it('image create --file uploads the data and the image goes active', async () => {
    const file = path.join(home, 'disk.qcow2');
    fs.writeFileSync(file, data);
    const created = JSON.parse(await ok(['image', 'create', '--file', file, '--disk-format', 'qcow2', '--container-format', 'bare', 'cli-image', '-f', 'json']));
    id = created.id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const img = (await g('GET', `/v2/images/${id}`)).body;
    assert.equal(img.status, 'active');
    assert.equal(img.size, data.length);
    assert.equal(img.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(img.disk_format, 'qcow2');
    assert.equal(img.container_format, 'bare');
  });

  it('image list and image show', async () => {
    const list = JSON.parse(await ok(['image', 'list', '-f', 'json'])) as Array<{ ID: string; Name: string; Status: string }>;
    assert.deepEqual(list.find((i) => i.ID === id), { ID: id, Name: 'cli-image', Status: 'active' });
    const shown = JSON.parse(await ok(['image', 'show', 'cli-image', '-f', 'json']));
    assert.equal(shown.id, id);
    assert.equal(shown.size, data.length);
    assert.equal(shown.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(shown.status, 'active');
  });

  it('image set --property adds custom properties', async () => {
    await ok(['image', 'set', '--property', 'hw_disk_bus=virtio', '--property', 'owner_note=cli', 'cli-image']);
    const shown = JSON.parse(await ok(['image', 'show', id, '-f', 'json']));
    assert.equal(shown.properties.hw_disk_bus, 'virtio');
    assert.equal(shown.properties.owner_note, 'cli');
    assert.equal((await g('GET', `/v2/images/${id}`)).body.hw_disk_bus, 'virtio');
  });

  it('image save --file downloads the same bytes', async () => {
    const out = path.join(home, 'saved.img');
    await ok(['image', 'save', '--file', out, 'cli-image']);
    assert.ok(fs.readFileSync(out).equals(data));
  });

  it('keeps a private image from another project', async () => {
    const mine = JSON.parse(await ok(['image', 'create', '--private', '--disk-format', 'raw', '--container-format', 'bare', 'alice-only', '-f', 'json'], 'alice:p1'));
    const img = (await g('GET', `/v2/images/${mine.id}`)).body;
    assert.equal(img.visibility, 'private');
    assert.equal(img.owner, 'p1');
    assert.ok(JSON.parse(await ok(['image', 'list', '-f', 'json'], 'alice:p1')).some((i: { ID: string }) => i.ID === mine.id));
    assert.ok(!JSON.parse(await ok(['image', 'list', '-f', 'json'], 'bob:p2')).some((i: { ID: string }) => i.ID === mine.id));
    const r = await openstack(['image', 'show', mine.id], 'bob:p2');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /No Image found|Could not find|404/i);
  });

  it('image delete removes the image', async () => {
    await ok(['image', 'delete', 'cli-image']);
    assert.equal((await g('GET', `/v2/images/${id}`)).status, 404);
    const list = JSON.parse(await ok(['image', 'list', '-f', 'json'])) as Array<{ ID: string }>;
    assert.ok(!list.some((i) => i.ID === id));
  });
});

/**
 * python-glanceclient's `glance` CLI: it fetches /v2/schemas/image and validates against it before
 * sending. It percent-encodes the token header, so these tests use tokens without ':' (noauth2 then
 * reads them as user = project).
 */
describe('glance CLI (python-glanceclient) against the built-in Image service', function () {
  this.timeout(120000);
  const GLANCE = '/usr/bin/glance';
  let cloud: TestCloud;
  let home: string;

  function glance(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(GLANCE, ['--os-auth-token', 'carol', '--os-image-url', cloud.rt.endpoints.image, ...args],
        { env: { HOME: home, PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, cwd: home, timeout: 60000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
      child.stdin?.end();
    });
  }
  const field = (table: string, name: string) => new RegExp(`\\|\\s*${name}\\s*\\|\\s*(\\S+)`).exec(table)?.[1];

  before(async function () {
    if (!fs.existsSync(GLANCE)) this.skip();
    cloud = await startCloud({ daemons: ['image'] });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-glance-'));
  });
  after(async () => {
    await cloud?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('creates with data and a property, shares, downloads, and is refused a bad kernel_id by the schema', async () => {
    const data = randomBytes(50000);
    const file = path.join(home, 'in.raw');
    fs.writeFileSync(file, data);
    const created = await glance(['image-create', '--name', 'g1', '--disk-format', 'raw', '--container-format', 'bare', '--visibility', 'shared', '--property', 'color=blue', '--file', file]);
    assert.equal(created.code, 0, created.stderr);
    const id = field(created.stdout, 'id')!;
    assert.equal(field(created.stdout, 'status'), 'active');
    assert.equal(field(created.stdout, 'checksum'), createHash('md5').update(data).digest('hex'));
    assert.equal(field(created.stdout, 'color'), 'blue');
    const member = await glance(['member-create', id, 'dave']);
    assert.equal(member.code, 0, member.stderr);
    assert.match(member.stdout, /dave\s*\|\s*pending/);
    const out = path.join(home, 'out.raw');
    assert.equal((await glance(['image-download', '--file', out, id])).code, 0);
    assert.ok(fs.readFileSync(out).equals(data));
    const bad = await glance(['image-update', '--kernel-id', 'not-a-uuid', id]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr + bad.stdout, /kernel_id/);
    const missing = await glance(['image-show', '00000000-0000-4000-8000-000000000000']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /404 Not Found: No image found with ID 00000000-0000-4000-8000-000000000000/);
  });
});
