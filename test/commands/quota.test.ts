import { strict as assert } from 'node:assert';
import { FakeComputeApi } from '../helpers/fake_api';
import { nova, parseTable } from '../helpers/run_command';

const QUOTAS = { id: 'p1', instances: 10, cores: 20, ram: 51200, metadata_items: 128, key_pairs: 100, server_groups: 10, server_group_members: 10 };

// Against a stand-in Compute API: quotas, limits, usage, availability zones, image proxy.
describe('nova quota-*, limits, usage, availability-zone-list, image-* (against a stand-in Compute API)', () => {
  let api: FakeComputeApi;
  let auth: string[];

  beforeEach(async () => {
    api = await new FakeComputeApi().start();
    auth = api.auth();
    api.on('GET', /^\/os-quota-sets\/([^/]+)$/, { body: { quota_set: QUOTAS } });
    api.on('GET', /^\/os-quota-sets\/([^/]+)\/defaults$/, { body: { quota_set: { ...QUOTAS, id: 'p1' } } });
    api.on('GET', /^\/os-quota-sets\/([^/]+)\/detail$/, { body: { quota_set: { id: 'p1', instances: { limit: 10, in_use: 2, reserved: 0 }, cores: { limit: 20, in_use: 4, reserved: 0 } } } });
    api.on('PUT', /^\/os-quota-sets\/([^/]+)$/, (req) => ({ body: { quota_set: { ...QUOTAS, ...req.body.quota_set } } }));
    api.on('DELETE', /^\/os-quota-sets\/([^/]+)$/, { status: 202 });
    api.on('GET', '/os-quota-class-sets/default', { body: { quota_class_set: { ...QUOTAS, id: 'default' } } });
    api.on('PUT', '/os-quota-class-sets/default', (req) => ({ body: { quota_class_set: { ...QUOTAS, ...req.body.quota_class_set } } }));
  });
  afterEach(async () => { await api.stop(); });

  it('shows quotas of a tenant, and asks for the session\'s project otherwise', async () => {
    const out = await nova(['quota-show', '--tenant', 'p1', '--user', 'u1', ...auth]);
    assert.equal(api.last().path, '/os-quota-sets/p1');
    assert.equal(api.last().query.get('user_id'), 'u1');
    assert.deepEqual(parseTable(out.stdout).slice(0, 4), [
      { Quota: 'instances', Limit: '10' }, { Quota: 'cores', Limit: '20' }, { Quota: 'ram', Limit: '51200' }, { Quota: 'metadata_items', Limit: '128' },
    ]);
    const detail = await nova(['quota-show', '--tenant', 'p1', '--detail', ...auth]);
    assert.deepEqual(parseTable(detail.stdout)[0], { Quota: 'instances', Limit: '10', 'In Use': '2', Reserved: '0' });
    const mine = await nova(['quota-show', '--os-project-id', 'p-mine', ...auth]);
    assert.equal(mine.exitCode, 0, mine.stderr);
    assert.equal(api.last().path, '/os-quota-sets/p-mine');
    const unknown = await nova(['quota-defaults', ...auth]);
    assert.equal(unknown.stderr, 'ERROR (CommandError): The project of this session is unknown (a bare --os-token): pass --tenant, or --os-project-id.\n');
  });

  it('updates and deletes quotas, refusing resources the version dropped', async () => {
    const out = await nova(['quota-update', '--instances', '20', '--key-pairs', '5', '--force', '--user', 'u1', 'p1', '--json', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(api.last().body, { quota_set: { instances: 20, key_pairs: 5, force: true } });
    assert.equal(api.last().query.get('user_id'), 'u1');
    assert.equal(out.json().instances, 20);
    const gone = await nova(['quota-update', '--floating-ips', '3', 'p1', ...auth]);
    assert.equal(gone.stderr, 'ERROR (CommandError): --floating-ips is not accepted since API version 2.36 (network quotas belong to the Networking service).\n');
    const empty = await nova(['quota-update', 'p1', ...auth]);
    assert.match(empty.stderr, /^ERROR \(CommandError\): Nothing to update: give at least one of --instances/);
    await nova(['quota-update', '--floating-ips', '3', 'p1', '--os-compute-api-version', '2.35', ...auth]);
    assert.deepEqual(api.last().body, { quota_set: { floating_ips: 3 } });
    await nova(['quota-delete', '--tenant', 'p1', ...auth]);
    assert.equal(api.last().method, 'DELETE');
    assert.equal(api.last().path, '/os-quota-sets/p1');
  });

  it('shows and updates quota classes', async () => {
    assert.equal(parseTable((await nova(['quota-class-show', 'default', ...auth])).stdout)[0].Limit, '10');
    await nova(['quota', 'class', 'update', '--cores', '64', 'default', ...auth]);
    assert.deepEqual(api.last().body, { quota_class_set: { cores: 64 } });
  });

  it('prints rate and absolute limits grouped like novaclient', async () => {
    api.on('GET', '/limits', { body: { limits: { rate: [], absolute: {
      maxTotalInstances: 10, totalInstancesUsed: 2, maxTotalCores: 20, totalCoresUsed: 4, maxTotalRAMSize: 51200, totalRAMUsed: 1024,
      maxServerMeta: 128, maxTotalKeypairs: 100, maxServerGroups: 10, totalServerGroupsUsed: 0, maxServerGroupMembers: 10, maxImageMeta: 128,
    } } } });
    const out = await nova(['limits', '--tenant', 'p1', '--reserved', ...auth]);
    assert.equal(api.last().query.toString(), 'reserved=1&tenant_id=p1');
    const lines = out.stdout.split('\n');
    const second = lines.findIndex((l) => l.startsWith('| Name')) - 1;
    const rate = lines.slice(0, second).join('\n');
    const absolute = lines.slice(second).join('\n');
    assert.deepEqual(parseTable(rate), []);
    assert.match(rate, /\| Verb \| URI \| Value \| Remain \| Unit \| Next_Available \|/);
    const rows = parseTable(absolute);
    assert.deepEqual(rows.find((r) => r.Name === 'Instances'), { Name: 'Instances', Used: '2', Max: '10' });
    assert.deepEqual(rows.find((r) => r.Name === 'Keypairs'), { Name: 'Keypairs', Used: '-', Max: '100' });
    assert.deepEqual(rows.map((r) => r.Name), ['Cores', 'ImageMeta', 'Instances', 'Keypairs', 'RAM', 'Server Meta', 'ServerGroupMembers', 'ServerGroups']);
  });

  it('shows usage for a range, merging pages since 2.40', async () => {
    const su = (id: string) => ({ instance_id: id, name: id, hours: 1, memory_mb: 512, local_gb: 1, vcpus: 1, flavor: 'm1.tiny', started_at: '2026-11-01T00:00:00.000000', ended_at: null, state: 'active', uptime: 3600, tenant_id: 'p1' });
    const page = (ids: string[]) => ({ tenant_id: 'p1', start: '2026-11-01T00:00:00', stop: '2026-11-02T00:00:00', total_hours: ids.length, total_memory_mb_usage: 512 * ids.length, total_vcpus_usage: ids.length, total_local_gb_usage: ids.length, server_usages: ids.map(su) });
    api.on('GET', '/os-simple-tenant-usage/p1', (req) => ({ body: { tenant_usage: req.query.get('marker') === 's2' ? {} : req.query.get('marker') ? page([]) : page(['s1', 's2']) } }));
    api.on('GET', '/os-simple-tenant-usage', (req) => ({ body: { tenant_usages: req.query.get('marker') ? [page(['s3'])].filter(() => req.query.get('marker') === 's2') : [page(['s1', 's2'])] } }));
    const out = await nova(['usage', '--tenant', 'p1', '--start', '2026-11-01', '--end', '2026-11-02', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.ok(out.stdout.startsWith('Usage from 2026-11-01 to 2026-11-02:\n'));
    assert.deepEqual(parseTable(out.stdout), [{ Servers: '2', 'RAM MiB-Hours': '1024.00', 'CPU Hours': '2.00', 'Disk GiB-Hours': '2.00' }]);
    assert.equal(api.calls[0].query.get('start'), '2026-11-01T00:00:00');
    assert.equal(api.calls[0].query.get('end'), '2026-11-02T00:00:00');
    api.clear();
    const list = await nova(['usage-list', '--start', '2026-11-01', '--end', '2026-11-02', ...auth]);
    assert.deepEqual(parseTable(list.stdout), [{ 'Tenant ID': 'p1', Servers: '3', 'RAM MiB-Hours': '1536.00', 'CPU Hours': '3.00', 'Disk GiB-Hours': '3.00' }]);
    assert.deepEqual(api.calls.map((c) => c.query.get('marker')), [null, 's2', 's3']);
    assert.equal(api.calls[0].query.get('detailed'), '1');
    const bad = await nova(['usage-list', '--start', '2026-13-01', ...auth]);
    assert.equal(bad.stderr, "ERROR (CommandError): Invalid start date '2026-13-01': use YYYY-MM-DD, e.g. 2012-01-20.\n");
  });

  it('draws the availability zone tree, falling back to the plain list when detail is forbidden', async () => {
    api.on('GET', '/os-availability-zone/detail', { body: { availabilityZoneInfo: [
      { zoneName: 'internal', zoneState: { available: true }, hosts: { ctl: { 'nova-conductor': { available: true, active: true, updated_at: '2026-11-24T10:00:00.000000' } } } },
      { zoneName: 'nova', zoneState: { available: true }, hosts: { c1: { 'nova-compute': { available: false, active: true, updated_at: '2026-11-24T09:00:00.000000' } } } },
    ] } });
    const out = await nova(['availability-zone-list', ...auth]);
    assert.deepEqual(parseTable(out.stdout), [
      { Name: 'internal', Status: 'available' }, { Name: '|- ctl', Status: '' },
      { Name: '| |- nova-conductor', Status: 'enabled :-) 2026-11-24T10:00:00.000000' },
      { Name: 'nova', Status: 'available' }, { Name: '|- c1', Status: '' },
      { Name: '| |- nova-compute', Status: 'enabled XXX 2026-11-24T09:00:00.000000' },
    ]);
    api.on('GET', '/os-availability-zone/detail', { status: 403, body: { forbidden: { code: 403, message: 'Policy does not allow' } } });
    api.on('GET', '/os-availability-zone', { body: { availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] } });
    assert.deepEqual(parseTable((await nova(['availability-zone', 'list', '--os-token', 'bob:p', '--os-endpoint-override', api.url])).stdout), [{ Name: 'nova', Status: 'available' }]);
  });

  it('lists, shows and deletes images through the compute proxy at 2.35', async () => {
    const img = { id: '11111111-0000-4000-8000-000000000001', name: 'cirros', status: 'ACTIVE', progress: 100, minDisk: 0, minRam: 0, metadata: { os: 'linux' }, server: { id: 'srv-1', links: [] }, links: [], created: '2026-11-24T09:00:00Z', updated: '2026-11-24T09:00:00Z' };
    api.on('GET', '/images/detail', (req) => ({ body: { images: [img].filter((i) => !req.query.get('name') || i.name === req.query.get('name')) } }));
    api.on('GET', `/images/${img.id}`, { body: { image: img } });
    api.on('DELETE', `/images/${img.id}`, { status: 204 });
    const list = await nova(['image-list', ...auth]);
    assert.deepEqual(parseTable(list.stdout), [{ ID: img.id, Name: 'cirros', Status: 'ACTIVE', Server: 'srv-1' }]);
    assert.equal(api.last().headers['openstack-api-version'], 'compute 2.35');
    const show = await nova(['image-show', 'cirros', ...auth]);
    assert.match(show.stdout, /\| metadata os +\| linux +\|/);
    assert.match(show.stdout, /\| server +\| srv-1 +\|/);
    const del = await nova(['image-delete', 'cirros', 'nope', ...auth]);
    assert.equal(del.stdout, "Request to delete image cirros has been accepted.\nNo image with a name or ID of 'nope' exists.\n");
    assert.equal(del.exitCode, 1);
    const explicit = await nova(['image-list', '--os-compute-api-version', '2.36', ...auth]);
    assert.match(explicit.stderr, /^ERROR \(CommandError\): The Compute API's image proxy \(\/images\) answers only up to microversion 2\.35/);
  });
});
