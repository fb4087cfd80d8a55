import { strict as assert } from 'node:assert';
import { InstanceRow } from '../../src/db/models/instance';
import { quotaSet } from '../../src/db/api/quotas';
import { waitFor } from '../helpers/cloud';
import { addCompute, bookkeeping, guestsOn, NOW, ServerCloud, startServerCloud } from '../helpers/servers';

const HOSTS = ['compute-2', 'compute-3'];

/** Fires `n` boots at once; returns the status of each answer and the ids of those accepted. */
async function bootMany(cloud: ServerCloud, n: number, token: string): Promise<{ statuses: number[]; ids: string[] }> {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => cloud.request('POST', '/servers', {
    token, version: NOW, body: { server: { name: `scale-${i}`, imageRef: cloud.image.id, flavorRef: '1', networks: 'none' } },
  })));
  return { statuses: answers.map((a) => a.status), ids: answers.filter((a) => a.status === 202).map((a) => a.body.server.id) };
}

async function statuses(cloud: ServerCloud, token: string): Promise<Record<string, number>> {
  const list = (await cloud.request('GET', '/servers/detail', { token, version: NOW })).body.servers as Array<{ status: string }>;
  const out: Record<string, number> = {};
  for (const s of list) out[s.status] = (out[s.status] ?? 0) + 1;
  return out;
}

async function allGuests(cloud: ServerCloud): Promise<string[]> {
  return [...await guestsOn(cloud, cloud.rt.host), ...(await Promise.all(HOSTS.map((h) => guestsOn(cloud, h)))).flat()];
}

describe('Scale: 50 concurrent boots on 3 fake compute hosts', function () {
  this.timeout(120000);
  let cloud: ServerCloud;
  before(async () => {
    cloud = await startServerCloud();
    for (const h of HOSTS) await addCompute(cloud, h);
  });
  after(async () => { await cloud.stop(); });

  it('boots 50 at once: all ACTIVE, usage and claims add up exactly; deleting all leaves nothing', async () => {
    for (const [r, v] of [['instances', 50], ['cores', 50], ['ram', 50 * 512]] as const) await quotaSet('big', r, v);
    const token = 'user:big';
    const { statuses: codes, ids } = await bootMany(cloud, 50, token);
    assert.deepEqual([...new Set(codes)], [202]);
    await waitFor(async () => ((await statuses(cloud, token)).ACTIVE ?? 0) === 50 ? true : undefined, 60000, '50 servers ACTIVE');
    assert.deepEqual(await statuses(cloud, token), { ACTIVE: 50 });

    const b = await bookkeeping('big');
    assert.deepEqual([b.usage.instances, b.usage.cores, b.usage.ram], [50, 50, 50 * 512]);
    const consumers = new Set(b.allocations.map((a) => a.consumer_id));
    assert.deepEqual([...consumers].sort(), [...ids].sort());
    assert.equal(b.nodes.reduce((n, x) => n + x.running_vms, 0), 50);
    assert.equal(b.nodes.reduce((n, x) => n + x.memory_mb_used, 0), 50 * 512);
    assert.equal(b.nodes.reduce((n, x) => n + x.vcpus_used, 0), 50);
    assert.ok(b.nodes.every((n) => n.running_vms > 0), 'all three hosts took servers');
    assert.deepEqual((await allGuests(cloud)).sort(), [...ids].sort());

    const deletes = await Promise.all(ids.map((id) => cloud.request('DELETE', `/servers/${id}`, { token })));
    assert.deepEqual([...new Set(deletes.map((d) => d.status))], [204]);
    await waitFor(async () => {
      const left = await InstanceRow.count({ where: { deleted: 0, project_id: 'big' } });
      const after = await bookkeeping('big');
      return left === 0 && after.allocations.length === 0 && after.usage.instances === 0 ? true : undefined;
    }, 30000, 'everything deleted');
    const after = await bookkeeping('big');
    assert.deepEqual([after.usage.instances, after.usage.cores, after.usage.ram], [0, 0, 0]);
    assert.ok(after.nodes.every((n) => n.running_vms === 0 && n.memory_mb_used === 0 && n.vcpus_used === 0 && n.local_gb_used === 0));
    assert.deepEqual(await allGuests(cloud), []);
  });

  it('with quota for 30, exactly 30 of 50 concurrent boots are accepted, the rest get 403', async () => {
    await quotaSet('small', 'instances', 30);
    await quotaSet('small', 'cores', -1);
    await quotaSet('small', 'ram', -1);
    const token = 'user:small';
    const { statuses: codes, ids } = await bootMany(cloud, 50, token);
    assert.equal(codes.filter((c) => c === 202).length, 30);
    assert.equal(codes.filter((c) => c === 403).length, 20);
    await waitFor(async () => ((await statuses(cloud, token)).ACTIVE ?? 0) === 30 ? true : undefined, 60000, '30 servers ACTIVE');
    const b = await bookkeeping('small');
    assert.deepEqual([b.usage.instances, b.usage.cores, b.usage.ram], [30, 30, 30 * 512]);
    assert.equal(new Set(b.allocations.map((a) => a.consumer_id)).size, 30);
    assert.equal(ids.length, 30);
  });
});
