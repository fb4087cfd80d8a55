import { strict as assert } from 'node:assert';
import { AllocationRow } from '../../../src/db/models/quota';
import { flavorCreate } from '../../../src/db/api/flavors';
import { addCompute, NOW, ServerCloud, startServerCloud, waitForStatus } from '../../helpers/servers';

describe('POST /os-scheduler/dry-run: a scheduling decision without booting', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  let hosts: string[];
  const dryRun = (body: unknown, token = 'admin:admin') => cloud.request('POST', '/os-scheduler/dry-run', { body, token, version: NOW });

  before(async () => {
    cloud = await startServerCloud();
    await addCompute(cloud, 'dry-2');
    await addCompute(cloud, 'dry-3');
    hosts = [cloud.rt.host, 'dry-2', 'dry-3'];
    await flavorCreate({ flavorid: 'huge', name: 'huge', memory_mb: 10_000_000, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null });
  });
  after(async () => { await cloud.stop(); });

  it('is for admins only: 403 for a member', async () => {
    const r = await dryRun({ server: { flavorRef: '1' } }, 'alice:p1');
    assert.equal(r.status, 403);
    assert.match(r.body.forbidden.message, /os_compute_api:os-scheduler:dry-run/);
  });

  it('chooses hosts with per-filter counts, claims nothing and creates no server', async () => {
    const before = await AllocationRow.count();
    const r = await dryRun({ server: { flavorRef: '1', imageRef: cloud.image.id, min_count: 2 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const d = r.body.dry_run;
    assert.equal(d.valid, true);
    assert.equal(d.message, null);
    assert.equal(d.hosts_total, 3);
    assert.equal(d.instances.length, 2);
    for (const i of d.instances) {
      assert.ok(hosts.includes(i.host), i.host);
      assert.equal(i.availability_zone, 'nova');
      const ram = i.filters.find((f: { name: string }) => f.name === 'RamFilter');
      assert.deepEqual([ram.hosts_before, ram.hosts_after, ram.reasons], [3, 3, []]);
    }
    assert.equal(await AllocationRow.count(), before, 'a dry run claims nothing');
    assert.equal((await cloud.request('GET', '/servers', { version: NOW })).body.servers.length, 0);
  });

  it('answers "No valid host" with the filter that removed the hosts and why', async () => {
    const d = (await dryRun({ server: { flavorRef: 'huge' } })).body.dry_run;
    assert.equal(d.valid, false);
    assert.match(d.message, /^No valid host was found\. There are not enough hosts available\. RamFilter removed 3 of 3 host\(s\) \(.*needs 10000000 MB RAM/);
    const ram = d.instances[0].filters.find((f: { name: string }) => f.name === 'RamFilter');
    assert.deepEqual([ram.hosts_before, ram.hosts_after, ram.reasons.length], [3, 0, 3]);
    assert.equal(d.instances[0].host, null);
  });

  it('honours a forced host, the group hint and rejects unknown flavors and groups', async () => {
    const forced = (await dryRun({ server: { flavorRef: '1', availability_zone: 'nova:dry-3' } })).body.dry_run;
    assert.deepEqual(forced.instances.map((i: { host: string }) => i.host), ['dry-3']);

    const g = (await cloud.request('POST', '/os-server-groups', { body: { server_group: { name: 'spread', policy: 'anti-affinity' } }, version: NOW })).body.server_group;
    const a = await cloud.request('POST', '/servers', {
      version: NOW, body: { server: { name: 'a', imageRef: cloud.image.id, flavorRef: '1', networks: 'none' }, 'os:scheduler_hints': { group: g.id } },
    });
    const placed = (await waitForStatus(cloud, a.body.server.id, 'ACTIVE'))['OS-EXT-SRV-ATTR:host'];
    const d = (await dryRun({ server: { flavorRef: '1', min_count: 2 }, 'os:scheduler_hints': { group: g.id } })).body.dry_run;
    assert.equal(d.valid, true, d.message);
    const chosen = d.instances.map((i: { host: string }) => i.host);
    assert.ok(!chosen.includes(placed), `anti-affinity keeps away from ${placed}: ${chosen}`);
    assert.equal(new Set(chosen).size, 2);
    const full = (await dryRun({ server: { flavorRef: '1', min_count: 3 }, 'os:scheduler_hints': { group: g.id } })).body.dry_run;
    assert.equal(full.valid, false);
    assert.match(full.message, /ServerGroupAntiAffinityFilter removed/);

    assert.equal((await dryRun({ server: { flavorRef: 'nope' } })).status, 400);
    assert.equal((await dryRun({ server: { flavorRef: '1' }, 'os:scheduler_hints': { group: '00000000-0000-4000-8000-000000000000' } })).status, 404);
    assert.equal((await dryRun({ server: { flavorRef: '1', name: 'x' } })).status, 400);
  });
});
