import { strict as assert } from 'node:assert';
import { floatingIpsBulkCreate } from '../../../src/db/api/floating_ips';
import { quotaUsages } from '../../../src/db/api/quotas';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { insertInstance } from '../../helpers/instances';

/** os-floating-ip-pools and os-floating-ips (to 2.35), addFloatingIp/removeFloatingIp (to 2.43), without nova-network. */
describe('Compute API floating IPs', () => {
  let cloud: TestCloud;
  const alice = { token: 'alice:p1' };
  const bob = { token: 'bob:p2' };
  before(async () => {
    cloud = await startCloud({ daemons: ['conductor', 'api'], overrides: { 'quota.floating_ips': '2' } });
    await floatingIpsBulkCreate(['203.0.113.10', '203.0.113.11', '203.0.113.12'].map((address) => ({ address, pool: 'nova', interface: 'eth0' })));
    await floatingIpsBulkCreate([{ address: '198.51.100.7', pool: 'ext', interface: 'eth1' }]);
  });
  after(async () => { await cloud.stop(); });

  it('lists pools and allocates from the default one or the one named, within the quota', async () => {
    assert.deepEqual((await cloud.request('GET', '/os-floating-ip-pools', alice)).body, { floating_ip_pools: [{ name: 'ext' }, { name: 'nova' }] });
    const first = await cloud.request('POST', '/os-floating-ips', alice);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.floating_ip, { id: first.body.floating_ip.id, ip: '203.0.113.10', pool: 'nova', fixed_ip: null, instance_id: null });
    const ext = await cloud.request('POST', '/os-floating-ips', { ...alice, body: { pool: 'ext' } });
    assert.equal(ext.body.floating_ip.ip, '198.51.100.7');
    const over = await cloud.request('POST', '/os-floating-ips', { ...alice, body: { pool: 'nova' } });
    assert.deepEqual([over.status, over.body.forbidden.message], [403, 'IP allocation over quota in pool nova.']);
    assert.equal((await quotaUsages('p1')).floating_ips, 2);
    const empty = await cloud.request('POST', '/os-floating-ips', { ...bob, body: { pool: 'ext' } });
    assert.deepEqual([empty.status, empty.body.itemNotFound.message], [404, 'No more floating IPs in pool ext.']);
    assert.equal((await quotaUsages('p2')).floating_ips ?? 0, 0, 'quota given back when the pool is empty');
    const noPool = await cloud.request('POST', '/os-floating-ips', { ...bob, body: { pool: 'mars' } });
    assert.deepEqual([noPool.status, noPool.body.itemNotFound.message], [404, 'Floating IP pool not found.']);
    const mine = (await cloud.request('GET', '/os-floating-ips', alice)).body.floating_ips;
    assert.deepEqual(mine.map((f: { ip: string }) => f.ip), ['203.0.113.10', '198.51.100.7']);
    assert.deepEqual((await cloud.request('GET', '/os-floating-ips', bob)).body.floating_ips, []);
    assert.equal((await cloud.request('GET', `/os-floating-ips/${first.body.floating_ip.id}`, bob)).body.itemNotFound.message, `Floating IP not found for ID ${first.body.floating_ip.id}`);
    assert.equal((await cloud.request('GET', '/os-floating-ips/xyz', alice)).status, 404);
    assert.equal((await cloud.request('DELETE', `/os-floating-ips/${ext.body.floating_ip.id}`, alice)).status, 202);
    assert.equal((await quotaUsages('p1')).floating_ips, 1);
    assert.equal((await cloud.request('GET', '/os-floating-ips', { ...alice, version: '2.36' })).status, 404);
  });

  it('refuses to associate with a server without network, or to remove an address it does not have', async () => {
    const inst = await insertInstance({ project: 'p1', name: 'no-net' });
    const ip = (await cloud.request('GET', '/os-floating-ips', alice)).body.floating_ips[0].ip;
    const add = await cloud.request('POST', `/servers/${inst.uuid}/action`, { ...alice, body: { addFloatingIp: { address: ip } } });
    assert.deepEqual([add.status, add.body.badRequest.message], [400, 'Instance network is not ready yet']);
    const bad = await cloud.request('POST', `/servers/${inst.uuid}/action`, { ...alice, body: { addFloatingIp: { address: 'x' } } });
    assert.equal(bad.status, 400);
    const remove = await cloud.request('POST', `/servers/${inst.uuid}/action`, { ...alice, body: { removeFloatingIp: { address: ip } } });
    assert.deepEqual([remove.status, remove.body.conflictingRequest.message], [409, `Floating IP ${ip} is not associated with instance ${inst.uuid}.`]);
    const unknown = await cloud.request('POST', `/servers/${inst.uuid}/action`, { ...alice, body: { removeFloatingIp: { address: '192.0.2.99' } } });
    assert.deepEqual([unknown.status, unknown.body.itemNotFound.message], [404, 'floating IP not found']);
    const late = await cloud.request('POST', `/servers/${inst.uuid}/action`, { ...alice, version: '2.44', body: { addFloatingIp: { address: ip } } });
    assert.deepEqual([late.status, late.body.itemNotFound.message], [404, 'API version 2.44 is not supported on this method.'], 'addFloatingIp is gone from 2.44');
  });
});
