import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { insertInstance } from '../../helpers/instances';

const HOUR = 3600_000;

describe('Compute API simple tenant usage and availability zones', () => {
  let cloud: TestCloud;
  // Taken when the suite starts, not when mocha loads the file: suites before it may run for minutes.
  let now = Date.now();
  const ago = (hours: number) => new Date(now - hours * HOUR);
  const iso = (d: Date) => d.toISOString().replace(/Z$/, '');
  let window = '';
  let running: string;
  let gone: string;

  before(async () => {
    now = Date.now();
    window = `start=${iso(ago(10))}&end=${iso(ago(0))}`;
    cloud = await startCloud({ daemons: ['conductor', 'scheduler', 'compute', 'api'] });
    running = (await insertInstance({ project: 'u1', flavorid: '1', name: 'web', launched: ago(4) })).uuid;
    gone = (await insertInstance({ project: 'u1', flavorid: '2', name: 'batch', launched: ago(20), terminated: ago(8), deleted: true })).uuid;
    await insertInstance({ project: 'u1', flavorid: '3', name: 'old', launched: ago(30), terminated: ago(20), deleted: true });
    await insertInstance({ project: 'u2', flavorid: '2', name: 'db', launched: ago(10) });
    await insertInstance({ project: 'u2', flavorid: '1', name: 'never', launched: null, vmState: 'building' });
  });
  after(async () => { await cloud.stop(); });

  it('shows one project\'s usage to its readers, deleted instances included', async () => {
    const r = await cloud.request('GET', `/os-simple-tenant-usage/u1?${window}`, { token: 'ann:u1' });
    assert.equal(r.status, 200);
    const u = r.body.tenant_usage;
    assert.equal(u.tenant_id, 'u1');
    assert.equal(u.start, `${iso(ago(10)).slice(0, 23)}000`);
    const hours = 4 + 2; // web ran 4h of the window, batch 2h of it; old ended before it
    assert.ok(Math.abs(u.total_hours - hours) < 1e-3, String(u.total_hours));
    assert.ok(Math.abs(u.total_memory_mb_usage - (512 * 4 + 2048 * 2)) < 1);
    assert.ok(Math.abs(u.total_vcpus_usage - (1 * 4 + 1 * 2)) < 1e-3);
    assert.ok(Math.abs(u.total_local_gb_usage - (1 * 4 + 20 * 2)) < 1e-2);
    const servers = Object.fromEntries(u.server_usages.map((s: { instance_id: string }) => [s.instance_id, s]));
    assert.deepEqual(Object.keys(servers).sort(), [running, gone].sort());
    const web = servers[running];
    assert.equal(web.state, 'active');
    assert.equal(web.ended_at, null);
    assert.equal(web.flavor, 'm1.tiny');
    assert.equal(web.memory_mb, 512);
    assert.equal(web.local_gb, 1);
    assert.equal(web.vcpus, 1);
    assert.equal(web.name, 'web');
    assert.match(web.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    // Uptime runs to the moment of the request, not to `now` (taken when this file was loaded).
    assert.ok(Math.abs(web.uptime - (Date.now() - ago(4).getTime()) / 1000) < 60, String(web.uptime));
    assert.equal(servers[gone].state, 'terminated');
    assert.equal(servers[gone].uptime, 12 * 3600);
    assert.equal((await cloud.request('GET', `/os-simple-tenant-usage/u1?${window}`, { token: 'bob:u2' })).status, 403);
    const empty = await cloud.request('GET', `/os-simple-tenant-usage/nobody?${window}`);
    assert.deepEqual(empty.body, { tenant_usage: {} });
  });

  it('lists every project for admins, with server usages only when detailed', async () => {
    const member = await cloud.request('GET', `/os-simple-tenant-usage?${window}`, { token: 'ann:u1' });
    assert.equal(member.status, 403);
    const r = await cloud.request('GET', `/os-simple-tenant-usage?${window}`);
    assert.deepEqual(r.body.tenant_usages.map((t: { tenant_id: string }) => t.tenant_id), ['u1', 'u2']);
    assert.equal(r.body.tenant_usages[0].server_usages, undefined);
    assert.ok(Math.abs(r.body.tenant_usages[1].total_hours - 10) < 1e-3);
    const detailed = await cloud.request('GET', `/os-simple-tenant-usage?${window}&detailed=1`);
    assert.equal(detailed.body.tenant_usages[1].server_usages.length, 1);
  });

  it('pages by instance from 2.40 with next links, and refuses bad windows and markers', async () => {
    const first = await cloud.request('GET', `/os-simple-tenant-usage?${window}&detailed=1&limit=2`, { version: '2.40' });
    assert.equal(first.body.tenant_usages.length, 1);
    assert.equal(first.body.tenant_usages[0].server_usages.length, 2);
    const next = new URL(first.body.tenant_usages_links[0].href);
    assert.equal(next.pathname, '/v2.1/os-simple-tenant-usage');
    const marker = next.searchParams.get('marker')!;
    const second = await cloud.request('GET', `/os-simple-tenant-usage?${window}&detailed=1&limit=2&marker=${marker}`, { version: '2.40' });
    assert.deepEqual(second.body.tenant_usages.map((t: { tenant_id: string }) => t.tenant_id), ['u2']);
    const old = await cloud.request('GET', `/os-simple-tenant-usage?${window}&limit=2`, { version: '2.39' });
    assert.equal(old.body.tenant_usages.length, 2, 'limit is ignored before 2.40');
    assert.equal(old.body.tenant_usages_links, undefined);
    const badMarker = await cloud.request('GET', `/os-simple-tenant-usage?${window}&marker=nope`, { version: '2.40' });
    assert.equal(badMarker.body.badRequest.message, 'Marker nope could not be found.');
    const backwards = await cloud.request('GET', `/os-simple-tenant-usage?start=${iso(ago(1))}&end=${iso(ago(2))}`);
    assert.equal(backwards.body.badRequest.message, 'Invalid start time. The start time cannot occur after the end time.');
    const garbled = await cloud.request('GET', '/os-simple-tenant-usage?start=yesterday');
    assert.equal(garbled.body.badRequest.message, 'Invalid datetime string: Datetime is in invalid format');
  });

  it('lists availability zones: compute hosts in the default zone, the internal zone hidden', async () => {
    const r = await cloud.request('GET', '/os-availability-zone', { token: 'ann:u1' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] });
  });

  it('details zones for admins with hosts and their services', async () => {
    assert.equal((await cloud.request('GET', '/os-availability-zone/detail', { token: 'ann:u1' })).status, 403);
    const zones = (await cloud.request('GET', '/os-availability-zone/detail')).body.availabilityZoneInfo;
    assert.deepEqual(zones.map((z: { zoneName: string }) => z.zoneName), ['internal', 'nova']);
    const host = cloud.rt.host;
    const nova = zones[1];
    assert.deepEqual(Object.keys(nova.hosts), [host]);
    const compute = nova.hosts[host]['nova-compute'];
    assert.equal(compute.available, true);
    assert.equal(compute.active, true);
    assert.match(compute.updated_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    assert.deepEqual(Object.keys(zones[0].hosts[host]).sort(), ['nova-conductor', 'nova-scheduler']);
  });

  it('shows a zone whose services are all disabled as not available', async () => {
    const svc = (await cloud.request('GET', '/os-services?binary=nova-compute', { version: '2.53' })).body.services[0];
    await cloud.request('PUT', `/os-services/${svc.id}`, { version: '2.53', body: { status: 'disabled' } });
    try {
      const r = await cloud.request('GET', '/os-availability-zone');
      assert.deepEqual(r.body.availabilityZoneInfo, [{ zoneName: 'nova', zoneState: { available: false }, hosts: null }]);
      const detail = (await cloud.request('GET', '/os-availability-zone/detail')).body.availabilityZoneInfo;
      assert.deepEqual(detail.find((z: { zoneName: string }) => z.zoneName === 'nova'), { zoneName: 'nova', zoneState: { available: false }, hosts: null });
    } finally {
      await cloud.request('PUT', `/os-services/${svc.id}`, { version: '2.53', body: { status: 'enabled' } });
    }
  });
});
