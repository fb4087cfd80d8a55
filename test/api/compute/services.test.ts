import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../../helpers/cloud';

describe('Compute API framework, os-services and os-hypervisors', () => {
  let cloud: TestCloud;
  before(async () => { cloud = await startCloud(); });
  after(async () => { await cloud.stop(); });

  it('serves the version documents without a token', async () => {
    const root = await fetch(cloud.computeUrl.replace('/v2.1', '/')).then((r) => r.json() as Promise<any>);
    assert.equal(root.versions[0].id, 'v2.1');
    assert.equal(root.versions[0].min_version, '2.1');
    assert.equal(root.versions[0].version, '2.96');
    const v21 = await fetch(cloud.computeUrl).then((r) => r.json() as Promise<any>);
    assert.equal(v21.version.status, 'CURRENT');
  });

  it('answers 401 without a token and 403 with Nova\'s body for a member on an admin API', async () => {
    const res = await fetch(`${cloud.computeUrl}/os-services`);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as any).error.code, 401);
    const r = await cloud.request('GET', '/os-services', { token: 'alice:proj1' });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-services:list to be performed." } });
  });

  it('negotiates microversions, echoes them, and refuses one out of range with 406', async () => {
    const r = await cloud.request('GET', '/os-services', { version: '2.53' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('openstack-api-version'), 'compute 2.53');
    assert.equal(r.headers.get('x-openstack-nova-api-version'), '2.53');
    assert.match(r.headers.get('vary') ?? '', /OpenStack-API-Version/);
    assert.match(r.headers.get('x-openstack-request-id') ?? '', /^req-[0-9a-f-]{36}$/);
    assert.match(r.body.services[0].id, /^[0-9a-f-]{36}$/);
    const legacy = await cloud.request('GET', '/os-services', { headers: { 'x-openstack-nova-api-version': '2.11' } });
    assert.equal(legacy.headers.get('x-openstack-nova-api-version'), '2.11');
    assert.equal(typeof legacy.body.services[0].forced_down, 'boolean');
    const bad = await cloud.request('GET', '/os-services', { version: '2.999' });
    assert.equal(bad.status, 406);
    assert.equal(bad.body.computeFault.code, 406);
    const latest = await cloud.request('GET', '/os-services', { version: 'latest' });
    assert.equal(latest.headers.get('openstack-api-version'), 'compute 2.96');
    const garbage = await cloud.request('GET', '/os-services', { version: 'two' });
    assert.equal(garbage.status, 400);
  });

  it('lists conductor, scheduler and compute up, and disables and forces down a compute service', async () => {
    const list = (await cloud.request('GET', '/os-services', { version: '2.53' })).body.services;
    assert.deepEqual(list.map((s: { binary: string }) => s.binary).sort(), ['nova-compute', 'nova-conductor', 'nova-scheduler']);
    assert.ok(list.every((s: { state: string }) => s.state === 'up'));
    const compute = list.find((s: { binary: string }) => s.binary === 'nova-compute');
    const off = await cloud.request('PUT', `/os-services/${compute.id}`, { version: '2.53', body: { status: 'disabled', disabled_reason: 'maintenance' } });
    assert.equal(off.status, 200);
    assert.equal(off.body.service.status, 'disabled');
    assert.equal(off.body.service.disabled_reason, 'maintenance');
    const down = await cloud.request('PUT', `/os-services/${compute.id}`, { version: '2.53', body: { forced_down: true } });
    assert.equal(down.body.service.state, 'down');
    await cloud.request('PUT', `/os-services/${compute.id}`, { version: '2.53', body: { status: 'enabled', forced_down: false } });
    const again = (await cloud.request('GET', `/os-services?binary=nova-compute`, { version: '2.53' })).body.services[0];
    assert.equal(again.status, 'enabled');
    assert.equal(again.state, 'up');
    assert.equal(again.disabled_reason, null);
  });

  it('refuses bad bodies with 400 and an unknown service with 404', async () => {
    const bad = await cloud.request('PUT', '/os-services/enable', { body: { host: 'x' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, "'binary' is a required property");
    const extra = await cloud.request('PUT', '/os-services/0e6b0c2a-5a49-4e5e-9c1e-1b8a2b2c2d2e', { version: '2.53', body: { status: 'sideways' } });
    assert.equal(extra.status, 400);
    assert.match(extra.body.badRequest.message, /Invalid input for field\/attribute status/);
    const missing = await cloud.request('PUT', '/os-services/0e6b0c2a-5a49-4e5e-9c1e-1b8a2b2c2d2e', { version: '2.53', body: { status: 'enabled' } });
    assert.equal(missing.status, 404);
    assert.match(missing.body.itemNotFound.message, /could not be found/);
  });

  it('shows the fake hypervisor with its resources, and statistics only before 2.88', async () => {
    const detail = (await cloud.request('GET', '/os-hypervisors/detail')).body.hypervisors;
    assert.equal(detail.length, 1);
    assert.equal(detail[0].hypervisor_type, 'fake');
    assert.equal(detail[0].vcpus, 16);
    assert.equal(detail[0].memory_mb, 32768);
    assert.equal(typeof detail[0].cpu_info, 'string');
    const stats = (await cloud.request('GET', '/os-hypervisors/statistics')).body.hypervisor_statistics;
    assert.equal(stats.count, 1);
    assert.equal(stats.local_gb, 1024);
    assert.equal((await cloud.request('GET', '/os-hypervisors/statistics', { version: '2.88' })).status, 404);
    const show = await cloud.request('GET', `/os-hypervisors/${detail[0].id}`, { version: '2.1' });
    assert.equal(show.body.hypervisor.hypervisor_hostname, detail[0].hypervisor_hostname);
  });

  it('answers 404 with Nova\'s body for an unknown path', async () => {
    const r = await cloud.request('GET', '/no-such-thing');
    assert.equal(r.status, 404);
    assert.equal(r.body.itemNotFound.code, 404);
  });
});
