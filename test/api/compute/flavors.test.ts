import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../../helpers/cloud';

const ADMIN = 'admin:admin';
const ALICE = 'alice:p1';
const BOB = 'bob:p2';

describe('Compute API flavors, extra specs and flavor access', () => {
  let cloud: TestCloud;
  before(async () => { cloud = await startCloud({ daemons: ['api'] }); });
  after(async () => { await cloud.stop(); });

  const create = (flavor: Record<string, unknown>, version?: string, token = ADMIN) =>
    cloud.request('POST', '/flavors', { body: { flavor }, version, token });

  it('seeds Nova\'s default flavors on the sync that creates the database', async () => {
    const r = await cloud.request('GET', '/flavors', { token: ALICE });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.flavors.map((f: { name: string }) => f.name), ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']);
    const tiny = r.body.flavors[0];
    assert.deepEqual(Object.keys(tiny).sort(), ['id', 'links', 'name']);
    assert.equal(tiny.links[0].href, `${cloud.computeUrl}/flavors/1`);
    assert.equal(tiny.links[1].rel, 'bookmark');
    assert.ok(!tiny.links[1].href.includes('/v2.1/'));
  });

  it('shows a flavor with the fields of each microversion', async () => {
    const v21 = (await cloud.request('GET', '/flavors/1')).body.flavor;
    assert.deepEqual(v21, {
      id: '1', name: 'm1.tiny', ram: 512, disk: 1, swap: '', 'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': false,
      vcpus: 1, 'os-flavor-access:is_public': true, rxtx_factor: 1, links: v21.links,
    });
    const v255 = (await cloud.request('GET', '/flavors/1', { version: '2.55' })).body.flavor;
    assert.equal(v255.description, null);
    assert.equal(v255.extra_specs, undefined);
    const v261 = (await cloud.request('GET', '/flavors/1', { version: '2.61', token: ALICE })).body.flavor;
    assert.deepEqual(v261.extra_specs, {});
    assert.equal(v261.swap, '');
    const v275 = (await cloud.request('GET', '/flavors/1', { version: '2.75' })).body.flavor;
    assert.equal(v275.swap, 0);
    const list = (await cloud.request('GET', '/flavors', { version: '2.55' })).body.flavors[0];
    assert.ok('description' in list);
    const missing = await cloud.request('GET', '/flavors/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.itemNotFound.message, 'Flavor nope could not be found.');
  });

  it('creates flavors as admin: generated UUID ids, numeric ids as strings, Nova\'s 409s', async () => {
    const r = await create({ name: 'gen', ram: 1024, vcpus: 2, disk: 10 });
    assert.equal(r.status, 200);
    assert.match(r.body.flavor.id, /^[0-9a-f-]{36}$/);
    assert.equal(r.body.flavor['os-flavor-access:is_public'], true);
    const nul = await create({ name: 'gen-null', ram: 1024, vcpus: 2, disk: 10, id: null });
    assert.match(nul.body.flavor.id, /^[0-9a-f-]{36}$/);
    const num = await create({ name: 'numeric', ram: '256', vcpus: 1, disk: 0, id: 42, swap: 512, 'OS-FLV-EXT-DATA:ephemeral': 5, rxtx_factor: '2.5' });
    assert.equal(num.status, 200);
    assert.equal(num.body.flavor.id, '42');
    assert.equal(num.body.flavor.ram, 256);
    assert.equal(num.body.flavor.swap, 512);
    assert.equal(num.body.flavor['OS-FLV-EXT-DATA:ephemeral'], 5);
    assert.equal(num.body.flavor.rxtx_factor, 2.5);
    const dupName = await create({ name: 'numeric', ram: 1, vcpus: 1, disk: 0 });
    assert.equal(dupName.status, 409);
    assert.equal(dupName.body.conflictingRequest.message, 'Flavor with name numeric already exists.');
    const dupId = await create({ name: 'other', ram: 1, vcpus: 1, disk: 0, id: '42' });
    assert.equal(dupId.status, 409);
    assert.equal(dupId.body.conflictingRequest.message, 'Flavor with ID 42 already exists.');
    const member = await create({ name: 'x', ram: 1, vcpus: 1, disk: 0 }, undefined, ALICE);
    assert.equal(member.status, 403);
    assert.equal(member.body.forbidden.message, "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.");
  });

  it('refuses bad flavor bodies with Nova\'s messages', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ram: 1, vcpus: 1, disk: 0 }, "'name' is a required property"],
      [{ name: 'a', ram: 0, vcpus: 1, disk: 0 }, 'Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1'],
      [{ name: 'a', ram: '0', vcpus: 1, disk: 0 }, 'Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1'],
      [{ name: 'a', ram: 'abc', vcpus: 1, disk: 0 }, "Invalid input for field/attribute ram. Value: abc. 'abc' does not match '^[0-9]+$'"],
      [{ name: 'a', ram: 1, vcpus: 1, disk: -1 }, 'Invalid input for field/attribute disk. Value: -1. -1 is less than the minimum of 0'],
      [{ name: ' a', ram: 1, vcpus: 1, disk: 0 }, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."],
      [{ name: 'a', ram: 1, vcpus: 1, disk: 0, id: ' x' }, "Invalid input for field/attribute id. Value:  x. ' x' does not match '^(?! )[a-zA-Z0-9. _-]+(?<! )$'"],
      [{ name: 'a', ram: 1, vcpus: 1, disk: 0, bogus: 1 }, "Additional properties are not allowed ('bogus' was unexpected)"],
      [{ name: 'a', ram: 1, vcpus: 1, disk: 0, 'os-flavor-access:is_public': 'maybe' }, "Invalid input for field/attribute os-flavor-access:is_public. Value: maybe."],
      [{ name: 'a', ram: 1, vcpus: 1, disk: 0, description: 'x' }, "Additional properties are not allowed ('description' was unexpected)"],
      [{ name: 'a', ram: 1, vcpus: 1, disk: 0, rxtx_factor: '0' }, "Invalid input received: 'rxtx_factor' argument must be a float between 0 and 3.40282e+38"],
    ];
    for (const [body, message] of cases) {
      const r = await create(body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.ok(r.body.badRequest.message.startsWith(message), `${JSON.stringify(body)}: ${r.body.badRequest.message}`);
    }
    const listed = (await cloud.request('GET', '/flavors/detail?is_public=none')).body.flavors.map((f: { name: string }) => f.name);
    assert.ok(!listed.includes('a'));
  });

  it('takes a description from 2.55 and updates only the description', async () => {
    const r = await create({ name: 'described', ram: 64, vcpus: 1, disk: 0, description: 'small one' }, '2.55');
    assert.equal(r.body.flavor.description, 'small one');
    const id = r.body.flavor.id;
    const before = await cloud.request('PUT', `/flavors/${id}`, { body: { flavor: { description: 'x' } }, version: '2.54' });
    assert.equal(before.status, 404);
    const upd = await cloud.request('PUT', `/flavors/${id}`, { body: { flavor: { description: 'tiny one' } }, version: '2.55' });
    assert.equal(upd.status, 200);
    assert.equal(upd.body.flavor.description, 'tiny one');
    const bad = await cloud.request('PUT', `/flavors/${id}`, { body: { flavor: { name: 'n' } }, version: '2.55' });
    assert.equal(bad.status, 400);
    const member = await cloud.request('PUT', `/flavors/${id}`, { body: { flavor: { description: null } }, version: '2.55', token: ALICE });
    assert.equal(member.status, 403);
    const none = await cloud.request('PUT', '/flavors/nope', { body: { flavor: { description: null } }, version: '2.55' });
    assert.equal(none.status, 404);
  });

  it('filters, sorts and pages flavor lists with next links', async () => {
    const big = (await cloud.request('GET', '/flavors/detail?minRam=8192')).body.flavors.map((f: { id: string }) => f.id);
    assert.deepEqual(big, ['4', '5']);
    const disk = (await cloud.request('GET', '/flavors?minDisk=40&sort_key=memory_mb&sort_dir=desc')).body.flavors.map((f: { id: string }) => f.id);
    assert.deepEqual(disk, ['5', '4', '3']);
    // Flavors other tests created sort among the defaults (ids sort as strings): page through the whole list.
    const all = (await cloud.request('GET', '/flavors?minDisk=1')).body.flavors.map((f: { id: string }) => f.id);
    assert.ok(all.length >= 5);
    const page1 = await cloud.request('GET', '/flavors?limit=2&minDisk=1');
    assert.deepEqual(page1.body.flavors.map((f: { id: string }) => f.id), all.slice(0, 2));
    const next = page1.body.flavors_links[0];
    assert.equal(next.rel, 'next');
    assert.equal(next.href, `${cloud.computeUrl}/flavors?limit=2&minDisk=1&marker=${all[1]}`);
    const page2 = await cloud.request('GET', `/flavors?limit=2&minDisk=1&marker=${all[1]}`);
    assert.deepEqual(page2.body.flavors.map((f: { id: string }) => f.id), all.slice(2, 4));
    const badMarker = await cloud.request('GET', '/flavors?marker=nope');
    assert.equal(badMarker.status, 400);
    assert.equal(badMarker.body.badRequest.message, 'marker [nope] not found');
    const badMin = await cloud.request('GET', '/flavors?minRam=big');
    assert.equal(badMin.body.badRequest.message, 'Invalid minRam filter [big]');
    const badSort = await cloud.request('GET', '/flavors?sort_key=colour');
    assert.equal(badSort.status, 400);
    assert.match(badSort.body.badRequest.message, /^Invalid input for query parameters sort_key\. Value: colour\./);
    const badPublic = await cloud.request('GET', '/flavors?is_public=perhaps');
    assert.equal(badPublic.body.badRequest.message, 'Invalid is_public filter [perhaps]');
    const strict = await cloud.request('GET', '/flavors?colour=red', { version: '2.75' });
    assert.equal(strict.status, 400);
    assert.equal((await cloud.request('GET', '/flavors?colour=red', { version: '2.74' })).status, 200);
  });

  it('shows private flavors only to admins and the projects given access', async () => {
    const r = await create({ name: 'private-p1', ram: 128, vcpus: 1, disk: 1, id: 'priv1', 'os-flavor-access:is_public': false });
    assert.equal(r.body.flavor['os-flavor-access:is_public'], false);
    const names = async (token: string, q = '') => (await cloud.request('GET', `/flavors${q}`, { token })).body.flavors.map((f: { name: string }) => f.name);
    assert.ok(!(await names(ALICE)).includes('private-p1'));
    assert.equal((await cloud.request('GET', '/flavors/priv1', { token: ALICE })).status, 404);
    assert.ok(!(await names(ADMIN)).includes('private-p1'), 'admins list public flavors by default');
    assert.ok((await names(ADMIN, '?is_public=false')).includes('private-p1'));
    assert.ok(!(await names(ADMIN, '?is_public=false')).includes('m1.tiny'));
    assert.ok((await names(ADMIN, '?is_public=None')).includes('private-p1'));

    const add = await cloud.request('POST', '/flavors/priv1/action', { body: { addTenantAccess: { tenant: 'p1' } } });
    assert.equal(add.status, 200);
    assert.deepEqual(add.body, { flavor_access: [{ flavor_id: 'priv1', tenant_id: 'p1' }] });
    assert.ok((await names(ALICE)).includes('private-p1'));
    assert.ok((await names(ALICE, '?is_public=false')).includes('m1.tiny'), 'members cannot use is_public');
    assert.equal((await cloud.request('GET', '/flavors/priv1', { token: ALICE })).status, 200);
    assert.ok(!(await names(BOB)).includes('private-p1'));
    assert.equal((await cloud.request('GET', '/flavors/priv1', { token: BOB })).status, 404);
    assert.equal((await cloud.request('GET', '/flavors/priv1/os-extra_specs', { token: BOB })).status, 404);

    const again = await cloud.request('POST', '/flavors/priv1/action', { body: { addTenantAccess: { tenant: 'p1' } } });
    assert.equal(again.status, 409);
    assert.equal(again.body.conflictingRequest.message, 'Flavor access already exists for flavor priv1 and project p1 combination.');
    const access = await cloud.request('GET', '/flavors/priv1/os-flavor-access');
    assert.deepEqual(access.body.flavor_access, [{ flavor_id: 'priv1', tenant_id: 'p1' }]);
    assert.equal((await cloud.request('GET', '/flavors/priv1/os-flavor-access', { token: ALICE })).status, 403);
    const memberAdd = await cloud.request('POST', '/flavors/priv1/action', { body: { addTenantAccess: { tenant: 'p2' } }, token: ALICE });
    assert.equal(memberAdd.status, 403);

    const remove = await cloud.request('POST', '/flavors/priv1/action', { body: { removeTenantAccess: { tenant: 'p1' } } });
    assert.deepEqual(remove.body, { flavor_access: [] });
    assert.ok(!(await names(ALICE)).includes('private-p1'));
    const removeAgain = await cloud.request('POST', '/flavors/priv1/action', { body: { removeTenantAccess: { tenant: 'p1' } } });
    assert.equal(removeAgain.status, 404);
    assert.equal(removeAgain.body.itemNotFound.message, 'Flavor access not found for priv1 / p1 combination.');
    const badBody = await cloud.request('POST', '/flavors/priv1/action', { body: { addTenantAccess: {} } });
    assert.equal(badBody.body.badRequest.message, "'tenant' is a required property");
    const noFlavor = await cloud.request('POST', '/flavors/nope/action', { body: { addTenantAccess: { tenant: 'p1' } } });
    assert.equal(noFlavor.status, 404);
  });

  it('keeps access lists for private flavors only, and refuses access to public ones from 2.7', async () => {
    const list = await cloud.request('GET', '/flavors/1/os-flavor-access');
    assert.equal(list.status, 404);
    assert.equal(list.body.itemNotFound.message, 'Access list not available for public flavors.');
    const v27 = await cloud.request('POST', '/flavors/1/action', { body: { addTenantAccess: { tenant: 'p9' } }, version: '2.7' });
    assert.equal(v27.status, 409);
    assert.equal(v27.body.conflictingRequest.message, 'Can not add access to a public flavor.');
    const v26 = await cloud.request('POST', '/flavors/1/action', { body: { addTenantAccess: { tenant: 'p9' } }, version: '2.6' });
    assert.equal(v26.status, 200);
    await cloud.request('POST', '/flavors/1/action', { body: { removeTenantAccess: { tenant: 'p9' } } });
  });

  it('manages extra specs: admins write, readers read, body key must match the URL', async () => {
    const set = await cloud.request('POST', '/flavors/2/os-extra_specs', { body: { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': 100 } } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': 100 } });
    const all = await cloud.request('GET', '/flavors/2/os-extra_specs', { token: ALICE });
    assert.deepEqual(all.body, { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': '100' } });
    const one = await cloud.request('GET', '/flavors/2/os-extra_specs/hw:cpu_policy', { token: ALICE });
    assert.deepEqual(one.body, { 'hw:cpu_policy': 'dedicated' });
    const put = await cloud.request('PUT', '/flavors/2/os-extra_specs/hw:cpu_policy', { body: { 'hw:cpu_policy': 'shared' } });
    assert.deepEqual(put.body, { 'hw:cpu_policy': 'shared' });
    const mismatch = await cloud.request('PUT', '/flavors/2/os-extra_specs/hw:cpu_policy', { body: { 'hw:numa_nodes': '1' } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.badRequest.message, 'Request body and URI mismatch');
    const two = await cloud.request('PUT', '/flavors/2/os-extra_specs/a', { body: { a: '1', b: '2' } });
    assert.equal(two.status, 400);
    const badKey = await cloud.request('POST', '/flavors/2/os-extra_specs', { body: { extra_specs: { 'bad/key': 'x' } } });
    assert.equal(badKey.status, 400);
    const detail = (await cloud.request('GET', '/flavors/detail', { version: '2.61', token: ALICE })).body.flavors;
    assert.deepEqual(detail.find((f: { id: string }) => f.id === '2').extra_specs, { 'hw:cpu_policy': 'shared', 'quota:cpu_shares': '100' });
    assert.equal((await cloud.request('POST', '/flavors/2/os-extra_specs', { body: { extra_specs: { a: 'b' } }, token: ALICE })).status, 403);
    assert.equal((await cloud.request('DELETE', '/flavors/2/os-extra_specs/hw:cpu_policy', { token: ALICE })).status, 403);
    assert.equal((await cloud.request('DELETE', '/flavors/2/os-extra_specs/hw:cpu_policy')).status, 200);
    const gone = await cloud.request('GET', '/flavors/2/os-extra_specs/hw:cpu_policy');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.itemNotFound.message, 'Flavor 2 has no extra specs with key hw:cpu_policy.');
    assert.equal((await cloud.request('DELETE', '/flavors/2/os-extra_specs/hw:cpu_policy')).status, 404);
    assert.equal((await cloud.request('GET', '/flavors/nope/os-extra_specs')).status, 404);
  });

  it('validates known extra specs from 2.86 only', async () => {
    const bad = await cloud.request('POST', '/flavors/3/os-extra_specs', { body: { extra_specs: { 'hw:cpu_policy': 'sometimes' } }, version: '2.86' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, "Validation failed; 'sometimes' is not one of: dedicated, shared, mixed.");
    const unknown = await cloud.request('POST', '/flavors/3/os-extra_specs', { body: { extra_specs: { 'hw:colour': 'red' } }, version: '2.86' });
    assert.equal(unknown.body.badRequest.message, "Validation failed; extra spec 'hw:colour' does not appear to be a valid extra spec.");
    const low = await cloud.request('POST', '/flavors/3/os-extra_specs', { body: { extra_specs: { 'hw:numa_nodes': '0' } }, version: '2.86' });
    assert.equal(low.body.badRequest.message, "Validation failed; '0' is less than the min value of '1'.");
    const ok = await cloud.request('POST', '/flavors/3/os-extra_specs', {
      body: { extra_specs: { 'hw:numa_nodes': '2', 'resources:VGPU': '1', 'trait:HW_CPU_X86_AVX': 'required', 'my:own': 'anything' } }, version: '2.86',
    });
    assert.equal(ok.status, 200);
    const before = await cloud.request('POST', '/flavors/3/os-extra_specs', { body: { extra_specs: { 'hw:cpu_policy': 'sometimes' } }, version: '2.85' });
    assert.equal(before.status, 200);
  });

  it('deletes flavors as admin with 202, then 404', async () => {
    const r = await create({ name: 'doomed', ram: 64, vcpus: 1, disk: 0, id: 'doomed' });
    assert.equal(r.status, 200);
    assert.equal((await cloud.request('DELETE', '/flavors/doomed', { token: ALICE })).status, 403);
    assert.equal((await cloud.request('DELETE', '/flavors/doomed')).status, 202);
    assert.equal((await cloud.request('GET', '/flavors/doomed')).status, 404);
    const again = await cloud.request('DELETE', '/flavors/doomed');
    assert.equal(again.status, 404);
    assert.equal(again.body.itemNotFound.message, 'Flavor doomed could not be found.');
  });
});
