import { strict as assert } from 'node:assert';
import { instanceUpdate } from '../../../src/db/api/instances';
import { act, boot, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../../helpers/servers';

const ALICE = 'alice:p1';

describe('Compute API GET /servers filters, sorting, paging; /ips', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  const ids: Record<string, string> = {};
  const names = async (query: string, token = ALICE, version = NOW) => {
    const r = await cloud.request('GET', `/servers${query}`, { token, version });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.servers.map((s: { name: string }) => s.name).sort();
  };

  before(async () => {
    cloud = await startServerCloud();
    ids.a1 = await boot(cloud, { name: 'alpha-1', tags: ['red', 'big'] }, { token: ALICE });
    ids.a2 = await boot(cloud, { name: 'alpha-2', tags: ['red'], flavorRef: '2' }, { token: ALICE });
    ids.b = await boot(cloud, { name: 'beta', tags: ['blue'] }, { token: ALICE });
    ids.bob = await boot(cloud, { name: 'bobs' }, { token: 'bob:p2' });
    for (const id of [ids.a1, ids.a2, ids.b]) await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    await waitForStatus(cloud, ids.bob, 'ACTIVE', { token: 'bob:p2' });
    await act(cloud, ids.b, { 'os-stop': null }, { token: ALICE });
    await waitForStatus(cloud, ids.b, 'SHUTOFF', { token: ALICE });
  });
  after(async () => { await cloud.stop(); });

  it('filters by name (regular expression), status, flavor and image', async () => {
    assert.deepEqual(await names('?name=^alpha'), ['alpha-1', 'alpha-2']);
    assert.deepEqual(await names('?name=a-[2-9]$'), ['alpha-2']);
    assert.deepEqual(await names('?status=SHUTOFF'), ['beta']);
    assert.deepEqual(await names('?status=active&status=shutoff'), ['alpha-1', 'alpha-2', 'beta']);
    assert.deepEqual(await names('?flavor=2'), ['alpha-2']);
    assert.deepEqual(await names('?flavor=999'), []);
    assert.deepEqual(await names(`?image=${cloud.image.id}`), ['alpha-1', 'alpha-2', 'beta']);
    const bad = await cloud.request('GET', '/servers?status=SLEEPY', { token: ALICE, version: '2.38' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, 'Invalid status value');
    assert.deepEqual(await names('?status=SLEEPY', ALICE, '2.37'), []);
  });

  it('filters by tags (2.26), ignores a member\'s host filter, refuses unknown parameters from 2.75', async () => {
    assert.deepEqual(await names('?tags=red,big'), ['alpha-1']);
    assert.deepEqual(await names('?tags-any=big,blue'), ['alpha-1', 'beta']);
    assert.deepEqual(await names('?not-tags=red'), ['beta']);
    assert.deepEqual(await names('?not-tags-any=big,blue'), ['alpha-2']);
    assert.deepEqual(await names('?hostname=^alpha-.$'), ['alpha-1', 'alpha-2']);
    assert.deepEqual(await names('?power_state=4'), ['beta']);
    assert.deepEqual(await names('?power_state=4', ALICE, '2.82'), ['alpha-1', 'alpha-2', 'beta'], 'a member filter only from 2.83');
    assert.deepEqual(await names('?host=elsewhere'), ['alpha-1', 'alpha-2', 'beta'], 'host is an admin filter: ignored for members');
    assert.deepEqual(await names('?host=elsewhere&all_tenants=1', 'admin:admin'), []);
    assert.deepEqual(await names('?colour=red', ALICE, '2.74'), ['alpha-1', 'alpha-2', 'beta']);
    const unknown = await cloud.request('GET', '/servers?colour=red', { token: ALICE, version: '2.75' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.badRequest.message, /Additional properties are not allowed \('colour' was unexpected\)/);
    assert.equal((await cloud.request('GET', '/servers?locked=maybe', { token: ALICE, version: '2.73' })).status, 400);
    assert.equal((await cloud.request('GET', '/servers?metadata=x', { token: ALICE })).body.badRequest.message, 'Invalid filter field: metadata.');
  });

  it('lists all tenants and deleted servers for admins only', async () => {
    assert.deepEqual(await names('?all_tenants=1', 'admin:admin'), ['alpha-1', 'alpha-2', 'beta', 'bobs']);
    assert.deepEqual(await names('?all_tenants=1&project_id=p2', 'admin:admin'), ['bobs']);
    assert.deepEqual(await names('?project_id=p2', 'admin:admin'), [], 'project_id is ignored without all_tenants');
    assert.equal((await cloud.request('GET', '/servers/detail?all_tenants=1', { token: ALICE })).body.forbidden.message,
      "Policy doesn't allow os_compute_api:servers:detail:get_all_tenants to be performed.");
  });

  it('sorts by Nova\'s keys, host only for admins', async () => {
    const asc = (await cloud.request('GET', '/servers?sort_key=display_name&sort_dir=asc', { token: ALICE })).body.servers.map((s: { name: string }) => s.name);
    assert.deepEqual(asc, ['alpha-1', 'alpha-2', 'beta']);
    const desc = (await cloud.request('GET', '/servers?sort_key=display_name&sort_dir=desc', { token: ALICE })).body.servers.map((s: { name: string }) => s.name);
    assert.deepEqual(desc, ['beta', 'alpha-2', 'alpha-1']);
    const host = await cloud.request('GET', '/servers?sort_key=host', { token: ALICE });
    assert.equal(host.status, 403);
    assert.equal(host.body.forbidden.message, 'Only administrators can sort servers by host');
    assert.equal((await cloud.request('GET', '/servers?sort_key=flavour', { token: ALICE })).status, 400);
    assert.equal((await cloud.request('GET', '/servers?sort_key=vcpus', { token: ALICE, version: '2.74' })).status, 200, 'ignored before 2.75');
  });

  it('pages with limit and marker and a next link', async () => {
    const first = await cloud.request('GET', '/servers/detail?limit=2&sort_key=display_name&sort_dir=asc', { token: ALICE });
    assert.deepEqual(first.body.servers.map((s: { name: string }) => s.name), ['alpha-1', 'alpha-2']);
    const next = first.body.servers_links[0];
    assert.equal(next.rel, 'next');
    assert.ok(next.href.startsWith(`${cloud.computeUrl}/servers/detail?`));
    assert.match(next.href, new RegExp(`marker=${ids.a2}`));
    const second = await cloud.request('GET', next.href.slice(cloud.computeUrl.length), { token: ALICE });
    assert.deepEqual(second.body.servers.map((s: { name: string }) => s.name), ['beta']);
    assert.equal(second.body.servers_links, undefined);
    assert.equal((await cloud.request('GET', '/servers?marker=nope', { token: ALICE })).body.badRequest.message, 'marker [nope] not found');
    assert.equal((await cloud.request('GET', '/servers?limit=-1', { token: ALICE })).status, 400);
  });

  it('filters by changes-since (with deleted servers) and changes-before (2.66)', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await act(cloud, ids.a1, { 'os-stop': null }, { token: ALICE });
    await waitForStatus(cloud, ids.a1, 'SHUTOFF', { token: ALICE });
    const gone = await boot(cloud, { name: 'gone' }, { token: ALICE });
    await waitForStatus(cloud, gone, 'ACTIVE', { token: ALICE });
    await cloud.request('DELETE', `/servers/${gone}`, { token: ALICE });
    await waitForGone(cloud, gone, ALICE);
    const changed = (await cloud.request('GET', `/servers/detail?changes-since=${encodeURIComponent(since)}`, { token: ALICE })).body.servers;
    assert.deepEqual(changed.map((s: { name: string; status: string }) => `${s.name}:${s.status}`).sort(), ['alpha-1:SHUTOFF', 'gone:DELETED']);
    const future = new Date(Date.now() + 3600_000).toISOString();
    assert.deepEqual(await names(`?changes-since=${encodeURIComponent(future)}`), []);
    const before = await cloud.request('GET', `/servers?changes-since=${encodeURIComponent(future)}&changes-before=${encodeURIComponent(since)}`, { token: ALICE, version: '2.66' });
    assert.equal(before.body.badRequest.message, 'The value of changes-since must be less than or equal to changes-before.');
    assert.equal((await cloud.request('GET', '/servers?changes-since=yesterday', { token: ALICE })).status, 400);
    const deleted = await cloud.request('GET', '/servers?status=DELETED', { token: ALICE });
    assert.equal(deleted.status, 403);
    assert.equal(deleted.body.forbidden.message, 'Only administrators may list deleted instances');
    assert.deepEqual(await names('?deleted=true&all_tenants=1', 'admin:admin'), ['gone']);
  });

  it('shows addresses by network at /ips and filters by ip', async () => {
    await instanceUpdate(ids.a2, {
      network_info: [{
        id: 'vif-1', address: 'fa:16:3e:00:00:01', type: 'bridge',
        network: { id: 'net-1', bridge: 'br100', label: 'private', subnets: [{ cidr: '10.0.0.0/24', ips: [{ address: '10.0.0.5', type: 'fixed', floating_ips: ['172.24.4.9'] }] }] },
      }],
    });
    const all = await cloud.request('GET', `/servers/${ids.a2}/ips`, { token: ALICE });
    assert.deepEqual(all.body, { addresses: { private: [{ version: 4, addr: '10.0.0.5' }, { version: 4, addr: '172.24.4.9' }] } });
    const one = await cloud.request('GET', `/servers/${ids.a2}/ips/private`, { token: ALICE });
    assert.deepEqual(one.body, { private: [{ version: 4, addr: '10.0.0.5' }, { version: 4, addr: '172.24.4.9' }] });
    const none = await cloud.request('GET', `/servers/${ids.a2}/ips/public`, { token: ALICE });
    assert.equal(none.body.itemNotFound.message, 'Instance is not a member of specified network');
    assert.deepEqual(await names('?ip=10\\.0\\.0\\.5'), ['alpha-2']);
    const shown = (await cloud.request('GET', `/servers/${ids.a2}`, { token: ALICE })).body.server;
    assert.equal(shown.addresses.private[0]['OS-EXT-IPS:type'], 'fixed');
    assert.equal(shown.addresses.private[1]['OS-EXT-IPS:type'], 'floating');
  });
});
