import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { startCloud, TestCloud } from '../helpers/cloud';
import { glanceClient } from '../helpers/glance';

const CAP = 64 * 1024;

describe('Image API v2: image data', () => {
  let cloud: TestCloud;
  let g: ReturnType<typeof glanceClient>;
  let dataDir: string;
  before(async () => {
    cloud = await startCloud({ daemons: ['image'], overrides: { 'image_service.image_size_cap': String(CAP) } });
    g = glanceClient(cloud.rt.endpoints.image);
    dataDir = path.join(cloud.statePath, 'images');
  });
  after(async () => { await cloud.stop(); });

  const newImage = async (extra: Record<string, unknown> = {}, token = 'alice:p1') =>
    (await g('POST', '/v2/images', { token, body: { name: 'data', disk_format: 'raw', container_format: 'bare', ...extra } })).body;
  const leftovers = () => (fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((f) => f.endsWith('.partial')) : []);

  it('uploads, goes active with size, md5 checksum and sha512 hash, and downloads the same bytes', async () => {
    const img = await newImage();
    const data = randomBytes(40000);
    const up = await g('PUT', `/v2/images/${img.id}/file`, { token: 'alice:p1', raw: data });
    assert.equal(up.status, 204, up.text);
    const shown = (await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).body;
    assert.equal(shown.status, 'active');
    assert.equal(shown.size, data.length);
    assert.equal(shown.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(shown.os_hash_algo, 'sha512');
    assert.equal(shown.os_hash_value, createHash('sha512').update(data).digest('hex'));
    assert.ok(fs.existsSync(path.join(dataDir, img.id)));
    const res = await fetch(`${cloud.rt.endpoints.image}/v2/images/${img.id}/file`, { headers: { 'x-auth-token': 'alice:p1' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal(res.headers.get('content-md5'), shown.checksum);
    assert.equal(res.headers.get('content-length'), String(data.length));
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(data));
    const part = await fetch(`${cloud.rt.endpoints.image}/v2/images/${img.id}/file`, { headers: { 'x-auth-token': 'alice:p1', range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-19/${data.length}`);
    assert.ok(Buffer.from(await part.arrayBuffer()).equals(data.subarray(10, 20)));
  });

  it('streams a chunked upload without a length', async () => {
    const img = await newImage();
    const chunks = [randomBytes(1000), randomBytes(2000), randomBytes(3000)];
    async function* body() { for (const c of chunks) yield c; }
    const res = await fetch(`${cloud.rt.endpoints.image}/v2/images/${img.id}/file`, {
      method: 'PUT', headers: { 'x-auth-token': 'alice:p1', 'content-type': 'application/octet-stream' }, body: body() as never, duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 204);
    const shown = (await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).body;
    assert.equal(shown.size, 6000);
    assert.equal(shown.checksum, createHash('md5').update(Buffer.concat(chunks)).digest('hex'));
  });

  it('answers 204 for an image without data, and refuses a second upload with 409', async () => {
    const img = await newImage();
    const empty = await fetch(`${cloud.rt.endpoints.image}/v2/images/${img.id}/file`, { headers: { 'x-auth-token': 'alice:p1' } });
    assert.equal(empty.status, 204);
    assert.equal((await g('PUT', `/v2/images/${img.id}/file`, { token: 'alice:p1', raw: Buffer.from('one') })).status, 204);
    const again = await g('PUT', `/v2/images/${img.id}/file`, { token: 'alice:p1', raw: Buffer.from('two') });
    assert.equal(again.status, 409);
    assert.equal(again.body.message, 'Image status transition from active to saving is not allowed');
  });

  it('refuses data past image_size_cap with 413, leaving the image queued and no file', async () => {
    const img = await newImage();
    const declared = await g('PUT', `/v2/images/${img.id}/file`, { token: 'alice:p1', raw: randomBytes(CAP + 1) });
    assert.equal(declared.status, 413);
    assert.match(declared.body.message, /^The incoming image is too large/);
    // Without a length the cap stops the stream part way; the client still reads the 413.
    async function* body() { for (let i = 0; i < 10; i++) yield randomBytes(16 * 1024); }
    const streamed = await fetch(`${cloud.rt.endpoints.image}/v2/images/${img.id}/file`, {
      method: 'PUT', headers: { 'x-auth-token': 'alice:p1', 'content-type': 'application/octet-stream', accept: 'application/json' },
      body: body() as never, duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    const shown = (await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).body;
    assert.equal(shown.status, 'queued');
    assert.equal(shown.size, null);
    assert.equal(shown.checksum, null);
    assert.ok(!fs.existsSync(path.join(dataDir, img.id)));
    assert.deepEqual(leftovers(), []);
    // The image still takes data within the cap.
    assert.equal((await g('PUT', `/v2/images/${img.id}/file`, { token: 'alice:p1', raw: randomBytes(100) })).status, 204);
  });

  it('puts the image back to queued and removes the partial file when the client goes away', async () => {
    const img = await newImage();
    const url = new URL(`${cloud.rt.endpoints.image}/v2/images/${img.id}/file`);
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'PUT',
      headers: { 'x-auth-token': 'alice:p1', 'content-type': 'application/octet-stream', 'content-length': '50000' } });
    req.on('error', () => undefined);
    req.write(randomBytes(20000));
    await waitForStatus(img.id, 'saving');
    req.destroy();
    const shown = await waitForStatus(img.id, 'queued');
    assert.equal(shown.size, null);
    assert.ok(!fs.existsSync(path.join(dataDir, img.id)));
    assert.deepEqual(leftovers(), []);
  });

  async function waitForStatus(id: string, status: string) {
    for (let i = 0; i < 200; i++) {
      const b = (await g('GET', `/v2/images/${id}`, { token: 'alice:p1' })).body;
      if (b.status === status) return b;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`image ${id} never became ${status}`);
  }

  it('needs both formats, octet-stream, and the owner', async () => {
    const noFormats = (await g('POST', '/v2/images', { token: 'alice:p1', body: { name: 'bare' } })).body;
    const r = await g('PUT', `/v2/images/${noFormats.id}/file`, { token: 'alice:p1', raw: Buffer.from('x') });
    assert.equal(r.status, 400);
    assert.equal(r.body.message, 'Properties disk_format, container_format must be set prior to saving data.');
    const img = await newImage({ visibility: 'community' });
    const wrongType = await g('PUT', `/v2/images/${img.id}/file`, { token: 'alice:p1', raw: 'x', contentType: 'text/plain' });
    assert.equal(wrongType.status, 415);
    const notOwner = await g('PUT', `/v2/images/${img.id}/file`, { token: 'bob:p2', raw: Buffer.from('x') });
    assert.equal(notOwner.status, 403);
    assert.equal(notOwner.body.message, `Not allowed to upload image data for image ${img.id}`);
    assert.equal((await g('GET', `/v2/images/${img.id}`, { token: 'alice:p1' })).body.status, 'queued');
  });

  it('removes the data file when the image is deleted', async () => {
    const img = await newImage();
    await g('PUT', `/v2/images/${img.id}/file`, { token: 'alice:p1', raw: Buffer.from('bytes') });
    assert.ok(fs.existsSync(path.join(dataDir, img.id)));
    assert.equal((await g('DELETE', `/v2/images/${img.id}`, { token: 'alice:p1' })).status, 204);
    assert.ok(!fs.existsSync(path.join(dataDir, img.id)));
  });
});
