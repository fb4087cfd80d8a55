import { strict as assert } from 'node:assert';
import { computeNodeGetAll } from '../../src/db/api/compute_nodes';
import { quotaSet } from '../../src/db/api/quotas';
import { waitFor } from '../helpers/cloud';
import { act, addCompute, boot, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../helpers/servers';

const ALICE = 'alice:p1';
const BOB = 'bob:p2';

describe('os-server-groups: API, quotas and (anti-)affinity scheduling on three hosts', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  const req = (method: string, path: string, body?: unknown, o: { token?: string; version?: string } = {}) =>
    cloud.request(method, path, { body, version: o.version ?? '2.64', token: o.token ?? ALICE });
  const group = async (policy: string, rules?: Record<string, number>, token = ALICE) =>
    (await req('POST', '/os-server-groups', { server_group: { name: `g-${policy}`, policy, ...(rules ? { rules } : {}) } }, { token })).body.server_group;
  const hostOf = async (id: string) => (await waitForStatus(cloud, id, 'ACTIVE'))['OS-EXT-SRV-ATTR:host'];
  const bootIn = (g: { id: string }, name: string, extra: Record<string, unknown> = {}) =>
    cloud.request('POST', '/servers', {
      token: ALICE, version: NOW,
      body: { server: { name, imageRef: cloud.image.id, flavorRef: '1', networks: 'none', ...extra }, 'os:scheduler_hints': { group: g.id } },
    });

  before(async () => {
    cloud = await startServerCloud({ overrides: { 'filter_scheduler.soft_affinity_weight_multiplier': '10' } });
    await addCompute(cloud, 'compute-2');
    await addCompute(cloud, 'compute-3');
    for (const [r, v] of [['instances', 50], ['cores', 50], ['ram', 50 * 512]] as const) await quotaSet('p1', r, v);
    for (const [r, v] of [['instances', -1], ['cores', -1], ['ram', -1]] as const) await quotaSet('fill', r, v);
  });
  after(async () => { await cloud.stop(); });

  it('creates, shows, lists and deletes groups with the shapes of each microversion', async () => {
    const g = (await req('POST', '/os-server-groups', { server_group: { name: 'web', policy: 'anti-affinity', rules: { max_server_per_host: 2 } } })).body.server_group;
    assert.deepEqual({ ...g, id: undefined }, { id: undefined, name: 'web', policy: 'anti-affinity', rules: { max_server_per_host: 2 }, members: [], project_id: 'p1', user_id: 'alice' });
    const old = (await req('GET', `/os-server-groups/${g.id}`, undefined, { version: '2.1' })).body.server_group;
    assert.deepEqual(old, { id: g.id, name: 'web', policies: ['anti-affinity'], members: [], metadata: {} });
    const legacy = await req('POST', '/os-server-groups', { server_group: { name: 'old', policies: ['soft-affinity'] } }, { version: '2.14' });
    assert.equal(legacy.status, 400, 'soft policies only from 2.15');
    const ruled = await req('POST', '/os-server-groups', { server_group: { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } } });
    assert.equal(ruled.status, 400);
    assert.match(ruled.body.badRequest.message, /Only anti-affinity policy supports rules/);
    assert.equal((await req('POST', '/os-server-groups', { server_group: { name: 'x', policy: 'anti-affinity', rules: { max_server_per_host: 0 } } })).status, 400);
    assert.equal((await req('GET', `/os-server-groups/${g.id}`, undefined, { token: BOB })).status, 404);
    const bobs = await group('affinity', undefined, BOB);
    assert.deepEqual((await req('GET', '/os-server-groups')).body.server_groups.map((x: { id: string }) => x.id), [g.id]);
    assert.equal((await req('GET', '/os-server-groups?all_projects=True')).status, 403);
    const all = (await req('GET', '/os-server-groups?all_projects=True', undefined, { token: 'admin:admin' })).body.server_groups.map((x: { id: string }) => x.id);
    assert.ok(all.includes(g.id) && all.includes(bobs.id));
    assert.equal((await req('DELETE', `/os-server-groups/${g.id}`, undefined, { token: BOB })).status, 404);
    assert.equal((await req('DELETE', `/os-server-groups/${g.id}`)).status, 204);
    assert.equal((await req('GET', `/os-server-groups/${g.id}`)).status, 404);
    await req('DELETE', `/os-server-groups/${bobs.id}`, undefined, { token: BOB });
  });

  it('enforces the server_groups and server_group_members quotas; an unknown group is a 400', async () => {
    await quotaSet('p3', 'server_groups', 1);
    await quotaSet('p3', 'server_group_members', 1);
    const g = await group('affinity', undefined, 'carol:p3');
    const over = await req('POST', '/os-server-groups', { server_group: { name: 'two', policy: 'affinity' } }, { token: 'carol:p3' });
    assert.equal(over.status, 403);
    assert.match(over.body.forbidden.message, /Quota exceeded, too many server groups/);
    const body = (name: string, groupId: string) => ({ server: { name, imageRef: cloud.image.id, flavorRef: '1', networks: 'none' }, 'os:scheduler_hints': { group: groupId } });
    assert.equal((await cloud.request('POST', '/servers', { token: 'carol:p3', version: NOW, body: body('m1', g.id) })).status, 202);
    const tooMany = await cloud.request('POST', '/servers', { token: 'carol:p3', version: NOW, body: body('m2', g.id) });
    assert.equal(tooMany.status, 403);
    assert.match(tooMany.body.forbidden.message, /too many servers in group/);
    const unknown = await cloud.request('POST', '/servers', { token: 'carol:p3', version: NOW, body: body('m3', '00000000-0000-4000-8000-000000000000') });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.badRequest.message, /Instance group 00000000-0000-4000-8000-000000000000 could not be found/);
  });

  it('anti-affinity spreads members over every host, then gives no valid host; members and 2.71 server_groups show it', async () => {
    const g = await group('anti-affinity');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await bootIn(g, `anti-${i}`)).body.server.id);
    const hosts = await Promise.all(ids.map(hostOf));
    assert.equal(new Set(hosts).size, 3, `one member per host, got ${hosts}`);
    const extra = (await bootIn(g, 'anti-3')).body.server.id;
    const failed = await waitForStatus(cloud, extra, 'ERROR');
    assert.match(failed.fault.message, /No valid host was found\. .*ServerGroupAntiAffinityFilter removed 3 of 3 host\(s\)/);
    const shown = (await req('GET', `/os-server-groups/${g.id}`)).body.server_group;
    assert.deepEqual([...shown.members].sort(), [...ids, extra].sort());
    const s = (await cloud.request('GET', `/servers/${ids[0]}`, { token: ALICE, version: '2.71' })).body.server;
    assert.deepEqual(s.server_groups, [g.id]);
    assert.equal((await cloud.request('DELETE', `/servers/${extra}`, { token: ALICE })).status, 204);
    await waitForGone(cloud, extra, ALICE);
    assert.ok(!(await req('GET', `/os-server-groups/${g.id}`)).body.server_group.members.includes(extra), 'deleted servers leave the group');
  });

  it('anti-affinity with max_server_per_host 2 puts two per host in one multi-create', async () => {
    const g = await group('anti-affinity', { max_server_per_host: 2 });
    const r = await bootIn(g, 'pair', { min_count: 6, max_count: 6, return_reservation_id: false });
    assert.equal(r.status, 202);
    const list = (await cloud.request('GET', `/servers/detail?name=^pair`, { token: ALICE, version: NOW })).body.servers as Array<{ id: string }>;
    assert.equal(list.length, 6);
    const hosts = await Promise.all(list.map((s) => hostOf(s.id)));
    const counts = Object.values(hosts.reduce<Record<string, number>>((m, h) => ({ ...m, [h]: (m[h] ?? 0) + 1 }), {}));
    assert.deepEqual(counts.sort(), [2, 2, 2]);
  });

  it('affinity packs every member on the first member host; soft-affinity does too by weight', async () => {
    for (const policy of ['affinity', 'soft-affinity']) {
      const g = await group(policy);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await bootIn(g, `${policy}-${i}`);
        assert.equal(r.status, 202, JSON.stringify(r.body));
        ids.push(r.body.server.id);
        await hostOf(ids[i]);
      }
      const hosts = await Promise.all(ids.map(hostOf));
      assert.equal(new Set(hosts).size, 1, `${policy}: all on one host, got ${hosts}`);
    }
  });

  it('a cold migration keeps anti-affinity: the member goes to the one host without a member', async () => {
    const g = await group('anti-affinity');
    const a = (await bootIn(g, 'mig-a')).body.server.id;
    const b = (await bootIn(g, 'mig-b')).body.server.id;
    const used = [await hostOf(a), await hostOf(b)];
    const free = [cloud.rt.host, 'compute-2', 'compute-3'].find((h) => !used.includes(h))!;
    // Fill the free host so that, by RAM alone, the scheduler would rather pick b's host.
    for (let i = 0; i < 3; i++) await waitForStatus(cloud, await boot(cloud, { name: `filler-${i}`, availability_zone: `nova:${free}` }), 'ACTIVE');
    assert.equal((await act(cloud, a, { migrate: null })).status, 202);
    const moved = await waitForStatus(cloud, a, 'VERIFY_RESIZE');
    assert.equal(moved['OS-EXT-SRV-ATTR:host'], free);
  });

  /** Boots m1.medium fillers on `hosts` until each uses more RAM than `than`: the RAM weigher then prefers `than`. */
  const makeLessAttractive = async (hosts: string[], than: string) => {
    const used = async (h: string) => (await computeNodeGetAll({ host: h }))[0].memory_mb_used;
    for (const h of hosts) {
      while (await used(h) <= await used(than)) {
        await waitForStatus(cloud, await boot(cloud, { name: `fill-${h}`, flavorRef: '3', availability_zone: `nova:${h}` }, { token: 'admin:fill' }), 'ACTIVE', { token: 'admin:fill' });
      }
    }
  };
  const allHosts = () => [cloud.rt.host, 'compute-2', 'compute-3'];

  it('a resize keeps anti-affinity: never onto the host of another member, however roomy', async () => {
    const g = await group('anti-affinity');
    const a = (await bootIn(g, 'rs-a')).body.server.id;
    const b = (await bootIn(g, 'rs-b')).body.server.id;
    const [hostA, hostB] = [await hostOf(a), await hostOf(b)];
    await makeLessAttractive(allHosts().filter((h) => h !== hostB), hostB);
    assert.equal((await act(cloud, a, { resize: { flavorRef: '2' } })).status, 202);
    const moved = await waitForStatus(cloud, a, 'VERIFY_RESIZE');
    assert.notEqual(moved['OS-EXT-SRV-ATTR:host'], hostB);
    assert.ok(allHosts().filter((h) => h !== hostB).includes(moved['OS-EXT-SRV-ATTR:host']), `${hostA} -> ${moved['OS-EXT-SRV-ATTR:host']}`);
    assert.equal((await act(cloud, a, { confirmResize: null })).status, 204);
  });

  it('a resize keeps affinity on the members\' host; a cold migration, which must leave it, finds no valid host', async () => {
    const g = await group('affinity');
    const a = (await bootIn(g, 'af-a')).body.server.id;
    const b = (await bootIn(g, 'af-b')).body.server.id;
    const home = await hostOf(a);
    assert.equal(await hostOf(b), home);
    const others = allHosts().filter((h) => h !== home);
    // The members' host is the least roomy: only the group keeps the resize there.
    for (const h of others) await makeLessAttractive([home], h);
    assert.equal((await act(cloud, a, { resize: { flavorRef: '2' } })).status, 202);
    const resized = await waitForStatus(cloud, a, 'VERIFY_RESIZE');
    assert.equal(resized['OS-EXT-SRV-ATTR:host'], home);
    assert.equal((await act(cloud, a, { confirmResize: null })).status, 204);
    await waitForStatus(cloud, a, 'ACTIVE');

    assert.equal((await act(cloud, b, { migrate: null })).status, 202);
    const migration = await waitFor(async () => {
      const list = (await cloud.request('GET', `/os-migrations?instance_uuid=${b}`, { version: NOW })).body.migrations as Array<{ status: string }>;
      return list.find((m) => m.status === 'error');
    }, 20000, 'the migration to fail');
    assert.equal(migration.status, 'error');
    const after = await waitForStatus(cloud, b, 'ACTIVE');
    assert.equal(after['OS-EXT-SRV-ATTR:host'], home);
    const actions = (await cloud.request('GET', `/servers/${b}/os-instance-actions`, { version: NOW })).body.instanceActions as Array<{ action: string; request_id: string }>;
    const mig = actions.find((x) => x.action === 'migrate')!;
    const events = (await cloud.request('GET', `/servers/${b}/os-instance-actions/${mig.request_id}`, { version: NOW })).body.instanceAction.events as Array<{ event: string; result: string }>;
    assert.deepEqual(events.filter((e) => e.event === 'conductor_migrate_server').map((e) => e.result), ['Error']);
  });
});
