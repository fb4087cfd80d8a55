import { strict as assert } from 'node:assert';
import { keypairCreate } from '../../../src/db/api/keypairs';
import { quotaSet } from '../../../src/db/api/quotas';
import { waitFor } from '../../helpers/cloud';
import { act, bookkeeping, boot, guestsOn, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../../helpers/servers';

const ALICE = 'alice:p1';
const BOB = 'bob:p2';

describe('Compute API /servers', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  let host: string;
  before(async () => {
    cloud = await startServerCloud();
    host = cloud.rt.host;
  });
  after(async () => { await cloud.stop(); });

  describe('create and show', () => {
    it('answers 202 with adminPass, a Location header and the create view, then reaches ACTIVE on the host', async () => {
      const r = await cloud.request('POST', '/servers', {
        token: ALICE, version: NOW,
        body: { server: { name: 'web 1', imageRef: cloud.image.id, flavorRef: `${cloud.computeUrl}/flavors/1`, networks: 'none', metadata: { role: 'web' }, description: 'front', tags: ['a', 'b'] } },
      });
      assert.equal(r.status, 202);
      const s = r.body.server;
      assert.match(s.id, /^[0-9a-f-]{36}$/);
      assert.equal(typeof s.adminPass, 'string');
      assert.ok(s.adminPass.length >= 8);
      assert.equal(s['OS-DCF:diskConfig'], 'MANUAL');
      assert.deepEqual(s.security_groups, [{ name: 'default' }]);
      assert.equal(r.headers.get('location'), `${cloud.computeUrl}/servers/${s.id}`);
      const shown = await waitForStatus(cloud, s.id, 'ACTIVE', { token: ALICE });
      assert.equal(shown.name, 'web 1');
      assert.equal(shown['OS-EXT-SRV-ATTR:hostname'], 'web-1');
      assert.equal(shown.description, 'front');
      assert.deepEqual(shown.tags, ['a', 'b']);
      assert.deepEqual(shown.metadata, { role: 'web' });
      assert.equal(shown.tenant_id, 'p1');
      assert.equal(shown.user_id, 'alice');
      assert.equal(shown['OS-EXT-STS:power_state'], 1);
      assert.equal(shown['OS-EXT-AZ:availability_zone'], 'nova');
      assert.match(shown['OS-SRV-USG:launched_at'], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
      assert.deepEqual(shown.flavor, { vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} });
      assert.equal(shown.image.id, cloud.image.id);
      assert.equal(shown.hostId.length, 56);
      assert.equal(shown.locked, false);
      assert.equal(shown.locked_reason, null);
      assert.equal(shown.pinned_availability_zone, null);
      assert.equal(shown['OS-EXT-SRV-ATTR:host'], undefined, 'host attributes are admin-only');
      assert.deepEqual(await guestsOn(cloud, host), [s.id].concat((await guestsOn(cloud, host)).filter((g) => g !== s.id)));
      const asAdmin = (await cloud.request('GET', `/servers/${s.id}`, { version: NOW })).body.server;
      assert.equal(asAdmin['OS-EXT-SRV-ATTR:host'], host);
      assert.equal(asAdmin['OS-EXT-SRV-ATTR:hypervisor_hostname'], host);
      assert.match(asAdmin['OS-EXT-SRV-ATTR:instance_name'], /^instance-[0-9a-f]{8}$/);
      assert.equal(asAdmin.host_status, 'UP');
    });

    it('shows the fields each microversion defines', async () => {
      const id = await boot(cloud, { name: 'versions' }, { token: ALICE });
      await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
      const v21 = (await cloud.request('GET', `/servers/${id}`, { token: ALICE, version: '2.1' })).body.server;
      assert.deepEqual(Object.keys(v21.flavor).sort(), ['id', 'links']);
      assert.equal(v21.flavor.id, '1');
      for (const k of ['locked', 'description', 'tags', 'locked_reason', 'host_status', 'OS-EXT-SRV-ATTR:hostname']) assert.equal(k in v21, false, k);
      const v219 = (await cloud.request('GET', `/servers/${id}`, { token: ALICE, version: '2.19' })).body.server;
      assert.equal(v219.locked, false);
      assert.equal(v219.description, null);
      assert.equal('tags' in v219, false);
      const v226 = (await cloud.request('GET', `/servers/${id}`, { token: ALICE, version: '2.26' })).body.server;
      assert.deepEqual(v226.tags, []);
      assert.equal('original_name' in v226.flavor, false);
      const v247 = (await cloud.request('GET', `/servers/${id}`, { token: ALICE, version: '2.47' })).body.server;
      assert.equal(v247.flavor.original_name, 'm1.tiny');
      assert.equal('locked_reason' in v247, false);
      const v273 = (await cloud.request('GET', `/servers/${id}`, { token: ALICE, version: '2.73' })).body.server;
      assert.equal(v273.locked_reason, null);
      assert.equal('OS-EXT-SRV-ATTR:hostname' in v273, false);
      assert.equal('pinned_availability_zone' in v273, false);
      assert.deepEqual(v273.server_groups, [], '2.71: the groups of the server (none here)');
      const listed = (await cloud.request('GET', '/servers/detail', { token: ALICE, version: NOW })).body.servers[0];
      assert.equal('server_groups' in listed, false, 'not in lists');
    });

    it('before 2.19 the description is the name, as Nova stores it', async () => {
      const id = await boot(cloud, { name: 'old-client' }, { token: ALICE, version: '2.1' });
      const s = (await cloud.request('GET', `/servers/${id}`, { token: ALICE, version: '2.19' })).body.server;
      assert.equal(s.description, 'old-client');
    });

    it('creates several servers with min_count/max_count and can return only the reservation id', async () => {
      const r = await cloud.request('POST', '/servers', {
        token: ALICE, version: NOW,
        body: { server: { name: 'multi', imageRef: cloud.image.id, flavorRef: '1', networks: 'none', min_count: 2, max_count: 3, return_reservation_id: true } },
      });
      assert.equal(r.status, 202);
      assert.match(r.body.reservation_id, /^r-[0-9a-f]{8}$/);
      const list = (await cloud.request('GET', `/servers/detail?reservation_id=${r.body.reservation_id}`, { token: ALICE, version: NOW })).body.servers;
      assert.deepEqual(list.map((s: { name: string }) => s.name).sort(), ['multi-1', 'multi-2', 'multi-3']);
      assert.deepEqual(list.map((s: { name: string; 'OS-EXT-SRV-ATTR:hostname': string }) => s['OS-EXT-SRV-ATTR:hostname']).sort(), ['multi-1', 'multi-2', 'multi-3']);
      for (const s of list) await waitForStatus(cloud, s.id, 'ACTIVE', { token: ALICE });
    });

    it('refuses bad bodies with 400 and Nova\'s messages, leaving nothing behind', async () => {
      const before = (await cloud.request('GET', '/servers', { token: ALICE })).body.servers.length;
      const post = (server: Record<string, unknown>, version = NOW) => cloud.request('POST', '/servers', { token: ALICE, version, body: { server } });
      const base = { name: 'bad', imageRef: cloud.image.id, flavorRef: '1', networks: 'none' };
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x', imageRef: cloud.image.id, networks: 'none' }, "'flavorRef' is a required property"],
        [{ ...base, imageRef: '2a9bbd0a-7b0c-4d2e-9a6a-5f7f8c4d1a11' }, 'Can not find requested image'],
        [{ ...base, flavorRef: '999' }, 'Flavor 999 could not be found.'],
        [{ ...base, min_count: 3, max_count: 2 }, 'min_count must be <= max_count'],
        [{ ...base, key_name: 'nope' }, 'Invalid key_name provided.'],
        [{ ...base, imageRef: '' }, 'Missing imageRef attribute'],
        [{ ...base, hostname: 'h1', max_count: 2 }, 'Unable to allocate a single hostname to multiple instances'],
      ];
      for (const [server, message] of cases) {
        const r = await post(server);
        assert.equal(r.status, 400, `${JSON.stringify(server)}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.badRequest.message, message);
      }
      const extra = await post({ ...base, colour: 'red' });
      assert.equal(extra.status, 400);
      assert.equal(extra.body.badRequest.message, "Additional properties are not allowed ('colour' was unexpected)");
      const noNetworks = await post({ name: 'n', imageRef: cloud.image.id, flavorRef: '1' });
      assert.equal(noNetworks.body.badRequest.message, "'networks' is a required property");
      const withNetworksOld = await post({ name: 'n', imageRef: cloud.image.id, flavorRef: '1' }, '2.36');
      assert.equal(withNetworksOld.status, 202);
      await waitForStatus(cloud, withNetworksOld.body.server.id, 'ACTIVE', { token: ALICE });
      const small = cloud.images.addActive({ name: 'big', min_ram: 4096 });
      const tooSmall = await post({ ...base, imageRef: small.id });
      assert.equal(tooSmall.body.badRequest.message, "Flavor's memory is too small for requested image.");
      const queued = await cloud.images.create({ request_id: 'x', roles: [], is_admin: true, user_id: null, project_id: null }, { name: 'q' });
      assert.equal((await post({ ...base, imageRef: queued.id })).body.badRequest.message, `Image ${queued.id} is not active.`);
      const after = (await cloud.request('GET', '/servers', { token: ALICE })).body.servers.length;
      assert.equal(after, before + 1);
    });

    it('uses the key pair and answers 403 past the metadata or instance quota', async () => {
      await keypairCreate({ name: 'k1', user_id: 'alice', fingerprint: 'f', public_key: 'ssh-rsa AAAA alice', type: 'ssh' });
      const id = await boot(cloud, { name: 'keyed', key_name: 'k1' }, { token: ALICE });
      assert.equal((await cloud.request('GET', `/servers/${id}`, { token: ALICE, version: NOW })).body.server.key_name, 'k1');
      await quotaSet('p3', 'metadata_items', 1);
      const meta = await cloud.request('POST', '/servers', { token: 'carol:p3', version: NOW, body: { server: { name: 'm', imageRef: cloud.image.id, flavorRef: '1', networks: 'none', metadata: { a: '1', b: '2' } } } });
      assert.equal(meta.status, 403);
      assert.equal(meta.body.forbidden.message, 'Maximum number of metadata items exceeds 1');
      await quotaSet('p3', 'instances', 1);
      await boot(cloud, { name: 'first' }, { token: 'carol:p3' });
      const over = await cloud.request('POST', '/servers', { token: 'carol:p3', version: NOW, body: { server: { name: 'second', imageRef: cloud.image.id, flavorRef: '1', networks: 'none' } } });
      assert.equal(over.status, 403);
      assert.equal(over.body.forbidden.message, 'Quota exceeded for instances: Requested 1, but already used 1 of 1 instances');
      assert.equal((await bookkeeping('p3')).usage.instances, 1);
    });

    it('refuses an unknown microversion with 406', async () => {
      const r = await cloud.request('GET', '/servers', { token: ALICE, version: '2.200' });
      assert.equal(r.status, 406);
      assert.equal(r.body.computeFault.message, 'Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.96.');
    });
  });

  describe('tenants', () => {
    it('cannot see, change or delete each other\'s servers (404), while admins can', async () => {
      const id = await boot(cloud, { name: 'private' }, { token: ALICE });
      await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
      const notFound = `Instance ${id} could not be found.`;
      assert.equal((await cloud.request('GET', `/servers/${id}`, { token: BOB })).body.itemNotFound.message, notFound);
      assert.equal((await cloud.request('PUT', `/servers/${id}`, { token: BOB, body: { server: { name: 'mine' } } })).status, 404);
      assert.equal((await cloud.request('DELETE', `/servers/${id}`, { token: BOB })).body.itemNotFound.message, 'Instance could not be found');
      assert.equal((await act(cloud, id, { 'os-stop': null }, { token: BOB })).status, 404);
      assert.equal((await cloud.request('GET', `/servers/${id}/metadata`, { token: BOB })).status, 404);
      assert.equal((await cloud.request('GET', `/servers/${id}/os-instance-actions`, { token: BOB })).status, 404);
      assert.ok(!(await cloud.request('GET', '/servers', { token: BOB })).body.servers.some((s: { id: string }) => s.id === id));
      const forbidden = await cloud.request('GET', '/servers?all_tenants=1', { token: BOB });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body.forbidden.message, "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.");
      assert.equal((await cloud.request('GET', `/servers/${id}`)).status, 200);
      assert.equal((await cloud.request('GET', `/servers/${id}`, { token: ALICE })).body.server.name, 'private');
    });
  });

  describe('update and delete', () => {
    it('updates name, description (2.19) and hostname (2.90)', async () => {
      const id = await boot(cloud, { name: 'before' }, { token: ALICE });
      await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
      const r = await cloud.request('PUT', `/servers/${id}`, { token: ALICE, version: NOW, body: { server: { name: 'after', description: 'd', hostname: 'new-host' } } });
      assert.equal(r.status, 200);
      assert.equal(r.body.server.name, 'after');
      assert.equal(r.body.server.description, 'd');
      assert.equal(r.body.server['OS-EXT-SRV-ATTR:hostname'], 'new-host');
      const old = await cloud.request('PUT', `/servers/${id}`, { token: ALICE, version: '2.1', body: { server: { description: 'x' } } });
      assert.equal(old.status, 400);
      const brief = await cloud.request('PUT', `/servers/${id}`, { token: ALICE, version: '2.74', body: { server: { name: 'brief' } } });
      assert.equal('OS-EXT-STS:vm_state' in brief.body.server, false, 'before 2.75 PUT answers the reduced view');
      assert.equal(brief.body.server.locked, false);
    });

    it('deletes with 204, leaving no guest, no claim and no quota usage', async () => {
      const id = await boot(cloud, { name: 'doomed' }, { token: 'dave:p4' });
      await waitForStatus(cloud, id, 'ACTIVE', { token: 'dave:p4' });
      const before = await bookkeeping('p4');
      assert.equal(before.usage.instances, 1);
      assert.equal(before.usage.cores, 1);
      assert.equal(before.usage.ram, 512);
      assert.ok(before.allocations.some((a) => a.consumer_id === id));
      const r = await cloud.request('DELETE', `/servers/${id}`, { token: 'dave:p4' });
      assert.equal(r.status, 204);
      await waitForGone(cloud, id, 'dave:p4');
      // The row is marked deleted first (so racing deletes release once), then claims and usage go back.
      const after = await waitFor(async () => { const b = await bookkeeping('p4'); return b.usage.ram === 0 ? b : undefined; }, 5000, 'usage released');
      assert.deepEqual([after.usage.instances, after.usage.cores, after.usage.ram], [0, 0, 0]);
      assert.ok(!after.allocations.some((a) => a.consumer_id === id));
      assert.ok(!(await guestsOn(cloud, host)).includes(id));
      const deleted = await cloud.request('GET', `/servers/detail?deleted=true&all_tenants=1&uuid=${id}`, { version: NOW });
      assert.equal(deleted.body.servers[0].status, 'DELETED');
    });
  });
});
