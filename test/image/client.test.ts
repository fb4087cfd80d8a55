import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { loadConfig } from '../../src/conf/loader';
import { makeContext } from '../../src/context';
import {
  GlanceConnectionFailed, ImageBadRequest, ImageConflict, ImageNotAuthorized, ImageNotFound, ImageQuotaExceeded, ImageUnacceptable,
} from '../../src/exception';
import { ImageService } from '../../src/image/api';
import { createImageService, imageEndpoints, normalizeEndpoint } from '../../src/image/client';
import { GlanceImageService } from '../../src/image/glance_client';
import { nullLogger } from '../../src/lib/log';
import { Runtime } from '../../src/service/runtime';
import { startCloud, TestCloud } from '../helpers/cloud';

const alice = () => makeContext({ user_id: 'alice', project_id: 'p1', roles: ['member'], auth_token: 'alice:p1' });
const bob = () => makeContext({ user_id: 'bob', project_id: 'p2', roles: ['member'], auth_token: 'bob:p2' });

async function collect(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

describe('ImageService client against the built-in Image service', () => {
  let cloud: TestCloud;
  let images: ImageService;
  before(async () => {
    cloud = await startCloud({ daemons: ['image'], overrides: { 'image_service.image_size_cap': '100000' } });
    images = await cloud.rt.imageService();
  });
  after(async () => { await cloud.stop(); });

  it('creates, uploads a buffer, gets and downloads with the caller\'s token', async () => {
    const data = randomBytes(5000);
    const img = await images.create(alice(), { name: 'c1', disk_format: 'qcow2', container_format: 'bare', min_ram: 32, properties: { kernel_id: '6f0b2d9e-1111-4222-8333-944455556666', hw_rng: 'yes' } });
    assert.equal(img.status, 'queued');
    assert.equal(img.owner, 'p1');
    assert.deepEqual(img.properties, { kernel_id: '6f0b2d9e-1111-4222-8333-944455556666', hw_rng: 'yes' });
    await images.upload(alice(), img.id, data);
    const got = await images.get(alice(), img.id);
    assert.equal(got.status, 'active');
    assert.equal(got.size, 5000);
    assert.equal(got.min_ram, 32);
    assert.equal(got.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(got.os_hash_value, createHash('sha512').update(data).digest('hex'));
    assert.ok((await collect(await images.download(alice(), img.id))).equals(data));
    await assert.rejects(images.get(bob(), img.id), ImageNotFound, 'shared, not a member: not found');
  });

  it('streams an upload from a readable', async () => {
    const parts = [randomBytes(3000), randomBytes(4000)];
    const img = await images.create(alice(), { name: 'streamed', disk_format: 'raw', container_format: 'bare' });
    await images.upload(alice(), img.id, Readable.from(parts));
    assert.equal((await images.get(alice(), img.id)).size, 7000);
    assert.ok((await collect(await images.download(alice(), img.id))).equals(Buffer.concat(parts)));
  });

  it('uses the service token when the context has none', async () => {
    const img = await images.create(makeContext({ project_id: 'svc', roles: [] }), { name: 'by-service' });
    assert.equal(img.owner, 'admin', 'noauth2 service token admin:admin');
    await images.delete(makeContext(), img.id);
  });

  it('updates attributes and properties, and removes only properties that exist', async () => {
    const img = await images.create(alice(), { name: 'u', properties: { a: '1', b: '2', 'x/y': '3' } });
    const u = await images.update(alice(), img.id, { name: 'u2', min_disk: 3, properties: { a: 'one', c: '3' } }, ['b', 'x/y', 'never-there']);
    assert.equal(u.name, 'u2');
    assert.equal(u.min_disk, 3);
    assert.deepEqual(u.properties, { a: 'one', c: '3' });
  });

  it('lists with filters, following next links past a page', async () => {
    const paged = new GlanceImageService({
      endpoints: async () => [cloud.rt.endpoints.image], token: async () => 'lister:pl', retries: 0, log: nullLogger, pageSize: 2,
    });
    const ctx = makeContext({ project_id: 'pl' });
    for (const n of ['l1', 'l2', 'l3', 'l4', 'l5']) await paged.create(ctx, { name: n, properties: { group: 'g' } });
    const all = await paged.list(ctx, { group: 'g', sort: 'name:asc' });
    assert.deepEqual(all.map((i) => i.name), ['l1', 'l2', 'l3', 'l4', 'l5']);
    assert.deepEqual((await paged.list(ctx, { group: 'g', sort: 'name:asc', limit: '3' })).map((i) => i.name), ['l1', 'l2', 'l3']);
    assert.deepEqual((await paged.list(ctx, { name: 'l4' })).map((i) => i.name), ['l4']);
  });

  it('turns Glance\'s refusals into Nova errors carrying Glance\'s message', async () => {
    await assert.rejects(images.get(alice(), '00000000-0000-4000-8000-000000000000'), (e: Error) => e instanceof ImageNotFound && /could not be found/.test(e.message));
    await assert.rejects(images.create(alice(), { name: 'x', disk_format: 'floppy' }), (e: Error) => e instanceof ImageBadRequest && /'floppy' is not one of/.test(e.message));
    const prot = await images.create(alice(), { name: 'p', protected: true, disk_format: 'raw', container_format: 'bare' });
    await assert.rejects(images.delete(alice(), prot.id), (e: Error) => e instanceof ImageNotAuthorized && e.message === `Image ${prot.id} is protected and cannot be deleted.`);
    await images.upload(alice(), prot.id, Buffer.from('x'));
    await assert.rejects(images.upload(alice(), prot.id, Buffer.from('y')), (e: Error) => e instanceof ImageConflict && /active to saving/.test(e.message));
    const big = await images.create(alice(), { name: 'big', disk_format: 'raw', container_format: 'bare' });
    await assert.rejects(images.upload(alice(), big.id, randomBytes(100001)), (e: Error) => e instanceof ImageQuotaExceeded && /too large/.test(e.message));
    await assert.rejects(images.download(alice(), big.id), ImageUnacceptable);
  });
});

describe('ImageService client: endpoints and retries', () => {
  const runtime = (overrides: Record<string, string> = {}) =>
    new Runtime(loadConfig({ overrides: { 'api.auth_strategy': 'noauth2', rpc_response_timeout: '1', ...overrides } }), nullLogger);

  it('normalizes [glance] api_servers entries', () => {
    assert.equal(normalizeEndpoint('glance:9292'), 'http://glance:9292');
    assert.equal(normalizeEndpoint('https://glance.example/v2/'), 'https://glance.example');
    assert.equal(normalizeEndpoint('http://h/image/v2.1'), 'http://h/image');
  });

  it('prefers [glance] api_servers, else waits for the endpoint published in this process', async () => {
    assert.deepEqual(await imageEndpoints(runtime({ 'glance.api_servers': 'a:1,http://b:2/' }))(), ['http://a:1', 'http://b:2']);
    const rt = runtime();
    const waiting = imageEndpoints(rt)();
    await rt.publishEndpoint('compute', 'http://c:8774/v2.1');
    await rt.publishEndpoint('image', 'http://i:9292');
    assert.deepEqual(await waiting, ['http://i:9292']);
    await assert.rejects(imageEndpoints(runtime())(), /no Image service endpoint: set \[glance\] api_servers/);
  });

  it('retries connection errors and 5xx on the next server, then fails naming them', async () => {
    let calls = 0;
    const flaky = http.createServer((_req, res) => {
      calls++;
      if (calls === 1) { res.writeHead(503).end('busy'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: 'i1', name: 'ok', status: 'active', visibility: 'public', min_disk: 0, min_ram: 0, tags: [], created_at: 'x', updated_at: 'y', extra: 'p',
      }));
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
    try {
      const closed = 'http://127.0.0.1:1';
      const svc = new GlanceImageService({ endpoints: async () => [closed, url], token: async () => 't', retries: 3, log: nullLogger, retryDelayMs: 1 });
      const img = await svc.get(makeContext(), 'i1');
      assert.equal(img.name, 'ok');
      assert.deepEqual(img.properties, { extra: 'p' });
      assert.equal(calls, 2, 'closed server, 503, closed server again, then 200');
      const dead = new GlanceImageService({ endpoints: async () => [closed], token: async () => 't', retries: 2, log: nullLogger, retryDelayMs: 1 });
      await assert.rejects(dead.get(makeContext(), 'i1'), (e: Error) => e instanceof GlanceConnectionFailed && /127\.0\.0\.1:1/.test(e.message));
    } finally {
      flaky.close();
    }
  });

  it('is what Runtime.imageService() gives, configured from [glance]', async () => {
    const svc = await createImageService(runtime({ 'glance.api_servers': 'http://127.0.0.1:1', 'glance.num_retries': '0' }));
    await assert.rejects(svc.list(makeContext()), GlanceConnectionFailed);
  });
});
