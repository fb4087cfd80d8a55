import { strict as assert } from 'node:assert';
import { QuotaUsageRow } from '../../../src/db/models/quota';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { insertInstance } from '../../helpers/instances';

const ALICE = 'alice:p1';

/** Sets a project's usage counters as the servers API keeps them. */
async function setUsage(project: string, usage: Record<string, number>): Promise<void> {
  for (const [resource, in_use] of Object.entries(usage)) {
    await QuotaUsageRow.destroy({ where: { project_id: project, user_id: '', resource } });
    await QuotaUsageRow.create({ project_id: project, user_id: '', resource, in_use });
  }
}

const NETWORK = ['fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules'];
const INJECTED = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

describe('Compute API quota sets, quota classes and limits', () => {
  let cloud: TestCloud;
  before(async () => { cloud = await startCloud({ daemons: ['api'] }); });
  after(async () => { await cloud.stop(); });

  it('shows a project\'s quotas to its members and to admins, not to other projects', async () => {
    const mine = await cloud.request('GET', '/os-quota-sets/p1', { token: ALICE });
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.quota_set, {
      id: 'p1', instances: 10, cores: 20, ram: 51200, metadata_items: 128, injected_files: 5, injected_file_content_bytes: 10240,
      injected_file_path_bytes: 255, key_pairs: 100, server_groups: 10, server_group_members: 10,
      fixed_ips: -1, floating_ips: 10, security_groups: 10, security_group_rules: 20,
    });
    const other = await cloud.request('GET', '/os-quota-sets/p2', { token: ALICE });
    assert.equal(other.status, 403);
    assert.equal(other.body.forbidden.message, "Policy doesn't allow os_compute_api:os-quota-sets:show to be performed.");
    assert.equal((await cloud.request('GET', '/os-quota-sets/p2/detail', { token: ALICE })).status, 403);
    assert.equal((await cloud.request('GET', '/os-quota-sets/p2')).status, 200);
    const defaults = await cloud.request('GET', '/os-quota-sets/p2/defaults', { token: ALICE });
    assert.equal(defaults.status, 200, 'anyone may read the defaults');
    assert.equal(defaults.body.quota_set.id, 'p2');
  });

  it('drops nova-network resources at 2.36 and injected files at 2.57', async () => {
    const v236 = (await cloud.request('GET', '/os-quota-sets/p1', { version: '2.36' })).body.quota_set;
    for (const r of NETWORK) assert.ok(!(r in v236), r);
    for (const r of INJECTED) assert.ok(r in v236, r);
    const v257 = (await cloud.request('GET', '/os-quota-sets/p1/detail', { version: '2.57' })).body.quota_set;
    for (const r of [...NETWORK, ...INJECTED]) assert.ok(!(r in v257), r);
    assert.deepEqual(Object.keys(v257).sort(), ['cores', 'id', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups']);
    const put = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { floating_ips: 5 } }, version: '2.36' });
    assert.equal(put.status, 400);
    assert.equal(put.body.badRequest.message, "Additional properties are not allowed ('floating_ips' was unexpected)");
    const inj = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { injected_files: 5 } }, version: '2.57' });
    assert.equal(inj.status, 400);
  });

  it('reports usage in detail: instances/cores/ram from the usage counters, key pairs per user', async () => {
    await setUsage('p1', { instances: 3, cores: 6, ram: 3072 });
    const d = (await cloud.request('GET', '/os-quota-sets/p1/detail', { token: ALICE })).body.quota_set;
    assert.deepEqual(d.instances, { limit: 10, in_use: 3, reserved: 0 });
    assert.deepEqual(d.cores, { limit: 20, in_use: 6, reserved: 0 });
    assert.deepEqual(d.ram, { limit: 51200, in_use: 3072, reserved: 0 });
    assert.deepEqual(d.server_groups, { limit: 10, in_use: 0, reserved: 0 });
    await cloud.request('POST', '/os-keypairs', { token: ALICE, body: { keypair: { name: 'k1' } } });
    await insertInstance({ project: 'p1', user: 'alice', flavorid: '2' });
    const u = (await cloud.request('GET', '/os-quota-sets/p1/detail?user_id=alice', { token: ALICE })).body.quota_set;
    assert.deepEqual(u.key_pairs, { limit: 100, in_use: 1, reserved: 0 });
    assert.deepEqual(u.instances, { limit: 10, in_use: 1, reserved: 0 });
    assert.deepEqual(u.ram, { limit: 51200, in_use: 2048, reserved: 0 });
  });

  it('updates limits as admin, refusing one below usage unless forced, -1 meaning unlimited', async () => {
    const member = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { instances: 50 } }, token: ALICE });
    assert.equal(member.status, 403);
    const low = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { instances: 2, cores: 30 } } });
    assert.equal(low.status, 400);
    assert.equal(low.body.badRequest.message, 'Quota limit 2 for instances must be greater than or equal to already used and reserved 3.');
    assert.equal((await cloud.request('GET', '/os-quota-sets/p1')).body.quota_set.cores, 20, 'nothing half-written');
    const forced = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { instances: 2, force: true } } });
    assert.equal(forced.status, 200);
    assert.equal(forced.body.quota_set.instances, 2);
    assert.equal(forced.body.quota_set.id, undefined, 'the update answer has no id');
    const unlimited = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { instances: -1, cores: '40' } } });
    assert.equal(unlimited.status, 200);
    assert.equal(unlimited.body.quota_set.instances, -1);
    assert.equal(unlimited.body.quota_set.cores, 40);
    assert.equal(unlimited.body.quota_set.ram, 51200);
    const bad = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { instances: -2 } } });
    assert.equal(bad.body.badRequest.message, 'Invalid input for field/attribute instances. Value: -2. -2 is less than the minimum of -1');
    const word = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { instances: 'ten' } } });
    assert.equal(word.body.badRequest.message, "Invalid input for field/attribute instances. Value: ten. 'ten' does not match '^-?[0-9]+$'");
    const unknown = await cloud.request('PUT', '/os-quota-sets/p1', { body: { quota_set: { widgets: 1 } } });
    assert.equal(unknown.body.badRequest.message, "Additional properties are not allowed ('widgets' was unexpected)");
  });

  it('keeps user limits within what the project has left', async () => {
    await cloud.request('PUT', '/os-quota-sets/p3', { body: { quota_set: { cores: 10 } } });
    const ok = await cloud.request('PUT', '/os-quota-sets/p3?user_id=u1', { body: { quota_set: { cores: 6 } } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.quota_set.cores, 6);
    assert.equal((await cloud.request('GET', '/os-quota-sets/p3?user_id=u1')).body.quota_set.cores, 6);
    assert.equal((await cloud.request('GET', '/os-quota-sets/p3')).body.quota_set.cores, 10);
    const over = await cloud.request('PUT', '/os-quota-sets/p3?user_id=u2', { body: { quota_set: { cores: 5 } } });
    assert.equal(over.status, 400);
    assert.equal(over.body.badRequest.message, 'Quota limit 5 for cores must be less than or equal to 4.');
    const below = await cloud.request('PUT', '/os-quota-sets/p3', { body: { quota_set: { cores: 5 } } });
    assert.equal(below.body.badRequest.message, 'Quota limit 5 for cores must be greater than or equal to already used and reserved 6.');
    await insertInstance({ project: 'p3', user: 'u1', flavorid: '3' });
    const underUse = await cloud.request('PUT', '/os-quota-sets/p3?user_id=u1', { body: { quota_set: { cores: 1 } } });
    assert.equal(underUse.body.badRequest.message, 'Quota limit 1 for cores must be greater than or equal to already used and reserved 2.');
  });

  it('resets a project (or one user) to the defaults with DELETE', async () => {
    assert.equal((await cloud.request('DELETE', '/os-quota-sets/p3?user_id=u1', { token: 'bob:p3' })).status, 403);
    assert.equal((await cloud.request('DELETE', '/os-quota-sets/p3?user_id=u1')).status, 202);
    assert.equal((await cloud.request('GET', '/os-quota-sets/p3?user_id=u1')).body.quota_set.cores, 10);
    assert.equal((await cloud.request('DELETE', '/os-quota-sets/p3')).status, 202);
    assert.equal((await cloud.request('GET', '/os-quota-sets/p3')).body.quota_set.cores, 20);
  });

  it('reads and sets quota classes as admin; the default class changes the defaults', async () => {
    assert.equal((await cloud.request('GET', '/os-quota-class-sets/default', { token: ALICE })).status, 403);
    const v21 = (await cloud.request('GET', '/os-quota-class-sets/default')).body.quota_class_set;
    assert.equal(v21.id, 'default');
    assert.ok(!('server_groups' in v21) && 'floating_ips' in v21);
    const v250 = (await cloud.request('GET', '/os-quota-class-sets/default', { version: '2.50' })).body.quota_class_set;
    assert.ok('server_groups' in v250 && !('floating_ips' in v250) && 'injected_files' in v250);
    const put = await cloud.request('PUT', '/os-quota-class-sets/default', { body: { quota_class_set: { instances: 7, key_pairs: '3' } }, version: '2.57' });
    assert.equal(put.status, 200);
    assert.equal(put.body.quota_class_set.instances, 7);
    assert.equal(put.body.quota_class_set.id, undefined);
    assert.ok(!('injected_files' in put.body.quota_class_set));
    assert.equal((await cloud.request('GET', '/os-quota-sets/p9/defaults')).body.quota_set.instances, 7);
    assert.equal((await cloud.request('GET', '/os-quota-sets/p9')).body.quota_set.key_pairs, 3);
    const other = (await cloud.request('GET', '/os-quota-class-sets/gold')).body.quota_class_set;
    assert.equal(other.instances, 10, 'other classes fall back to the configured defaults');
    const bad = await cloud.request('PUT', '/os-quota-class-sets/default', { body: { quota_class_set: { fixed_ips: 1 } }, version: '2.50' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, "Additional properties are not allowed ('fixed_ips' was unexpected)");
    const hidden = await cloud.request('PUT', '/os-quota-class-sets/gold', { body: { quota_class_set: { server_groups: 1 } }, version: '2.49' });
    assert.equal(hidden.status, 200, 'server_groups may be set before 2.50, though not shown');
    assert.ok(!('server_groups' in hidden.body.quota_class_set));
    assert.equal((await cloud.request('GET', '/os-quota-class-sets/gold', { version: '2.50' })).body.quota_class_set.server_groups, 1);
    await cloud.request('PUT', '/os-quota-class-sets/default', { body: { quota_class_set: { instances: 10, key_pairs: 100 } } });
  });

  it('shows limits with usage, per microversion, and other projects to admins only', async () => {
    await setUsage('p5', { instances: 2, cores: 3, ram: 1024 });
    await cloud.request('PUT', '/os-quota-sets/p5', { body: { quota_set: { instances: 4 } } });
    const r = await cloud.request('GET', '/limits', { token: 'erin:p5' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.limits.rate, []);
    assert.deepEqual(r.body.limits.absolute, {
      maxTotalRAMSize: 51200, maxTotalInstances: 4, maxTotalCores: 20, maxTotalKeypairs: 100, maxTotalFloatingIps: 10,
      maxServerMeta: 128, maxImageMeta: 128, maxPersonality: 5, maxPersonalitySize: 10240, maxSecurityGroups: 10,
      maxSecurityGroupRules: 20, maxServerGroups: 10, maxServerGroupMembers: 10,
      totalRAMUsed: 1024, totalCoresUsed: 3, totalInstancesUsed: 2, totalFloatingIpsUsed: 0, totalSecurityGroupsUsed: 0,
      totalServerGroupsUsed: 0,
    });
    const v236 = (await cloud.request('GET', '/limits', { token: 'erin:p5', version: '2.36' })).body.limits.absolute;
    for (const k of ['maxTotalFloatingIps', 'maxSecurityGroups', 'maxSecurityGroupRules', 'totalFloatingIpsUsed', 'totalSecurityGroupsUsed']) assert.ok(!(k in v236), k);
    assert.equal(v236.maxImageMeta, 128);
    const v239 = (await cloud.request('GET', '/limits', { token: 'erin:p5', version: '2.39' })).body.limits.absolute;
    assert.ok(!('maxImageMeta' in v239) && 'maxPersonality' in v239);
    const v257 = (await cloud.request('GET', '/limits', { token: 'erin:p5', version: '2.57' })).body.limits.absolute;
    assert.ok(!('maxPersonality' in v257) && !('maxPersonalitySize' in v257));
    assert.equal(v257.totalInstancesUsed, 2);
    const admin = await cloud.request('GET', '/limits?tenant_id=p5');
    assert.equal(admin.body.limits.absolute.maxTotalInstances, 4);
    const member = await cloud.request('GET', '/limits?tenant_id=p5', { token: ALICE });
    assert.equal(member.status, 403);
    assert.equal(member.body.forbidden.message, "Policy doesn't allow os_compute_api:limits:other_project to be performed.");
    assert.equal((await cloud.request('GET', '/limits?foo=1', { version: '2.75' })).status, 400);
  });
});
