import { strict as assert } from 'node:assert';
import { flavorCreate } from '../../src/db/api/flavors';
import { quotaSet } from '../../src/db/api/quotas';
import { addCompute, boot, NOW, ServerCloud, startServerCloud, waitForStatus } from '../helpers/servers';

const FILTERS = 'ComputeFilter,AvailabilityZoneFilter,RamFilter,DiskFilter,CoreFilter,AggregateInstanceExtraSpecsFilter';

describe('os-aggregates: API, availability zones and aggregate extra specs in scheduling', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  const req = (method: string, path: string, body?: unknown, o: { token?: string; version?: string } = {}) =>
    cloud.request(method, path, { body, version: o.version ?? '2.41', token: o.token });

  before(async () => {
    cloud = await startServerCloud({ overrides: { 'filter_scheduler.enabled_filters': FILTERS } });
    await addCompute(cloud, 'compute-2');
    await addCompute(cloud, 'compute-3');
  });
  after(async () => { await cloud.stop(); });

  it('creates, shows, updates, sets metadata, adds and removes hosts and deletes, with Nova shapes and errors', async () => {
    const created = await req('POST', '/os-aggregates', { aggregate: { name: 'rack1', availability_zone: 'zone-x' } });
    assert.equal(created.status, 200);
    const agg = created.body.aggregate;
    assert.equal(agg.name, 'rack1');
    assert.equal(agg.availability_zone, 'zone-x');
    assert.match(agg.uuid, /^[0-9a-f-]{36}$/);
    assert.equal(agg.hosts, undefined, 'create leaves hosts out, as Nova does');
    assert.equal(agg.deleted, false);
    assert.equal((await req('POST', '/os-aggregates', { aggregate: { name: 'rack1' } })).status, 409);
    assert.equal((await req('POST', '/os-aggregates', { aggregate: { name: 'bad', availability_zone: 'internal' } })).status, 400);
    assert.equal((await req('POST', '/os-aggregates', { aggregate: {} })).status, 400);
    assert.equal((await req('GET', '/os-aggregates', undefined, { token: 'alice:p1' })).status, 403);
    const old = (await req('GET', `/os-aggregates/${agg.id}`, undefined, { version: '2.40' })).body.aggregate;
    assert.equal(old.uuid, undefined, 'uuid only from 2.41');
    assert.deepEqual(old.metadata, { availability_zone: 'zone-x' });

    const path = `/os-aggregates/${agg.id}/action`;
    const notFound = await req('POST', path, { add_host: { host: 'no-such-host' } });
    assert.equal(notFound.status, 404);
    assert.match(notFound.body.itemNotFound.message, /Compute host no-such-host could not be found/);
    const added = await req('POST', path, { add_host: { host: 'compute-2' } });
    assert.deepEqual(added.body.aggregate.hosts, ['compute-2']);
    const again = await req('POST', path, { add_host: { host: 'compute-2' } });
    assert.equal(again.status, 409);
    assert.match(again.body.conflictingRequest.message, /already has host compute-2/);

    const other = (await req('POST', '/os-aggregates', { aggregate: { name: 'rack2', availability_zone: 'zone-y' } })).body.aggregate;
    const clash = await req('POST', `/os-aggregates/${other.id}/action`, { add_host: { host: 'compute-2' } });
    assert.equal(clash.status, 409);
    assert.match(clash.body.conflictingRequest.message, /already in availability zone\(s\) \['zone-x'\]/);

    const meta = await req('POST', path, { set_metadata: { metadata: { ssd: 'true', color: 'blue' } } });
    assert.deepEqual(meta.body.aggregate.metadata, { availability_zone: 'zone-x', ssd: 'true', color: 'blue' });
    const unset = await req('POST', path, { set_metadata: { metadata: { color: null } } });
    assert.deepEqual(unset.body.aggregate.metadata, { availability_zone: 'zone-x', ssd: 'true' });

    const renamed = await req('PUT', `/os-aggregates/${agg.id}`, { aggregate: { name: 'rack1b', availability_zone: 'zone-z' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.aggregate.name, 'rack1b');
    assert.equal(renamed.body.aggregate.availability_zone, 'zone-z');
    const byUuid = await req('GET', `/os-aggregates/${agg.uuid}`);
    assert.equal(byUuid.body.aggregate.id, agg.id);

    const busy = await req('DELETE', `/os-aggregates/${agg.id}`);
    assert.equal(busy.status, 400);
    assert.match(busy.body.badRequest.message, /not empty/);
    const removed = await req('POST', path, { remove_host: { host: 'compute-2' } });
    assert.deepEqual(removed.body.aggregate.hosts, []);
    assert.equal((await req('POST', path, { remove_host: { host: 'compute-2' } })).status, 404);
    assert.equal((await req('DELETE', `/os-aggregates/${agg.id}`)).status, 200);
    assert.equal((await req('DELETE', `/os-aggregates/${other.id}`)).status, 200);
    assert.equal((await req('GET', `/os-aggregates/${agg.id}`)).status, 404);
    assert.deepEqual((await req('GET', '/os-aggregates')).body.aggregates, []);
  });

  it('an aggregate availability_zone puts its hosts in that zone; boots asking for it land there', async () => {
    const agg = (await req('POST', '/os-aggregates', { aggregate: { name: 'east', availability_zone: 'east' } })).body.aggregate;
    await req('POST', `/os-aggregates/${agg.id}/action`, { add_host: { host: 'compute-3' } });
    const zones = (await req('GET', '/os-availability-zone/detail')).body.availabilityZoneInfo;
    const east = zones.find((z: { zoneName: string }) => z.zoneName === 'east');
    assert.deepEqual(Object.keys(east.hosts), ['compute-3']);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await boot(cloud, { name: `east-${i}`, availability_zone: 'east' }));
    for (const id of ids) {
      const s = await waitForStatus(cloud, id, 'ACTIVE');
      assert.equal(s['OS-EXT-SRV-ATTR:host'], 'compute-3');
      assert.equal(s['OS-EXT-AZ:availability_zone'], 'east');
    }
  });

  it('aggregate extra specs attract only the flavors that ask for them; a flavor no aggregate matches gets no valid host', async () => {
    const agg = (await req('POST', '/os-aggregates', { aggregate: { name: 'fast' } })).body.aggregate;
    await req('POST', `/os-aggregates/${agg.id}/action`, { add_host: { host: 'compute-2' } });
    await req('POST', `/os-aggregates/${agg.id}/action`, { set_metadata: { metadata: { ssd: 'true' } } });
    await flavorCreate({ flavorid: '901', name: 'ssd.small', memory_mb: 256, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null, extra_specs: { 'aggregate_instance_extra_specs:ssd': 'true' } });
    await flavorCreate({ flavorid: '902', name: 'hdd.small', memory_mb: 256, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null, extra_specs: { 'aggregate_instance_extra_specs:ssd': 'false' } });
    for (let i = 0; i < 3; i++) {
      const s = await waitForStatus(cloud, await boot(cloud, { name: `ssd-${i}`, flavorRef: '901' }), 'ACTIVE');
      assert.equal(s['OS-EXT-SRV-ATTR:host'], 'compute-2');
    }
    const failed = await waitForStatus(cloud, await boot(cloud, { name: 'hdd', flavorRef: '902' }), 'ERROR');
    assert.match(failed.fault.message, /No valid host was found\. .*AggregateInstanceExtraSpecsFilter removed 3 of 3 host\(s\)/);
    // The fault message is cut at 255 characters, as Nova's is.
    assert.match(failed.fault.message, /test-host-\d+: no aggregate sets ssd .*; compute-2: aggregate ssd=true does not mat/);
  });

  it('a request no host can hold fails with each filter\'s reasons per host', async () => {
    await quotaSet('admin', 'ram', -1);
    await flavorCreate({ flavorid: '903', name: 'huge', memory_mb: 65536, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null });
    const failed = await waitForStatus(cloud, await boot(cloud, { name: 'huge', flavorRef: '903' }), 'ERROR');
    assert.equal(failed.fault.code, 500);
    assert.match(failed.fault.message, /^No valid host was found\. There are not enough hosts available\. RamFilter removed 3 of 3 host\(s\) \(test-host-\d+: needs 65536 MB RAM, \d+ MB free; compute-2: needs 65536 MB RAM/);
  });
});
