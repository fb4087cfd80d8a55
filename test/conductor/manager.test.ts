import { strict as assert } from 'node:assert';
import { ComputeTaskManager } from '../../src/conductor/manager';
import { flavorCreate } from '../../src/db/api/flavors';
import { instanceGet, instanceUpdate } from '../../src/db/api/instances';
import { migrationCreate, migrationGet } from '../../src/db/api/migrations';
import { quotaSet } from '../../src/db/api/quotas';
import { nullLogger } from '../../src/lib/log';
import { waitFor } from '../helpers/cloud';
import { act, addCompute, bookkeeping, boot, guestsOn, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../helpers/servers';

const ALICE = 'alice:p1';

async function events(cloud: ServerCloud, id: string) {
  const list = (await cloud.request('GET', `/servers/${id}/os-instance-actions`, { version: NOW })).body.instanceActions;
  const create = list.find((a: { action: string }) => a.action === 'create');
  return (await cloud.request('GET', `/servers/${id}/os-instance-actions/${create.request_id}`, { version: NOW })).body.instanceAction.events;
}

describe('Boot path: rescheduling, no valid host, faults', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  before(async () => {
    cloud = await startServerCloud({ overrides: { 'fake_driver.fail_spawn_for': 'flaky,doomed' } });
    // Less RAM on compute-2, so the RAM weigher tries the first host first.
    await addCompute(cloud, 'compute-2', { 'fake_driver.memory_mb': '16384', 'fake_driver.fail_spawn_for': 'doomed' });
  });
  after(async () => { await cloud.stop(); });

  it('reschedules a failed spawn to another host, leaving nothing on the first', async () => {
    const id = await boot(cloud, { name: 'flaky' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const evs = await events(cloud, id);
    assert.deepEqual(evs.map((e: { event: string; result: string; host: string }) => [e.event, e.result, e.host]), [
      ['compute_build_and_run_instance', 'Error', cloud.rt.host],
      ['compute_build_and_run_instance', 'Success', 'compute-2'],
    ]);
    assert.match(evs[0].traceback, /spawn of flaky fails by configuration/);
    assert.ok(!(await guestsOn(cloud, cloud.rt.host)).includes(id));
    assert.ok((await guestsOn(cloud, 'compute-2')).includes(id));
    const { allocations, nodes } = await bookkeeping();
    const node2 = nodes.find((n) => n.host === 'compute-2')!;
    assert.deepEqual([...new Set(allocations.filter((a) => a.consumer_id === id).map((a) => a.compute_node_id))], [node2.id]);
  });

  it('ends in ERROR after every host failed, with a fault naming the hosts and why; no claim or guest stays', async () => {
    const id = await boot(cloud, { name: 'doomed' }, { token: ALICE });
    const s = await waitForStatus(cloud, id, 'ERROR', { token: ALICE });
    assert.equal(s.fault.code, 500);
    assert.match(s.fault.message, /^No valid host was found\. There are not enough hosts available\. RetryFilter removed 2 of 2 host\(s\)/);
    assert.match(s.fault.message, /Build failures: test-host-\d+: fake driver: spawn of doomed fails/);
    assert.equal(s.fault.details, undefined, 'members do not see the details of a 500 fault');
    const adminView = (await cloud.request('GET', `/servers/${id}`, { version: NOW })).body.server;
    assert.match(adminView.fault.details, /compute-2: fake driver: spawn of doomed fails/);
    assert.ok(!(await bookkeeping()).allocations.some((a) => a.consumer_id === id));
    assert.ok(!(await guestsOn(cloud, cloud.rt.host)).includes(id) && !(await guestsOn(cloud, 'compute-2')).includes(id));
    const usage = (await bookkeeping('p1')).usage;
    assert.equal(await cloud.request('DELETE', `/servers/${id}`, { token: ALICE }).then((r) => r.status), 204);
    await waitForGone(cloud, id, ALICE);
    await waitFor(async () => (await bookkeeping('p1')).usage.instances === usage.instances - 1, 5000, 'quota released');
  });

  it('stops at [scheduler] max_attempts with MaxRetriesExceeded', async () => {
    cloud.rt.conf.scheduler.max_attempts = 1;
    try {
      const id = await boot(cloud, { name: 'doomed' }, { token: ALICE });
      const s = await waitForStatus(cloud, id, 'ERROR', { token: ALICE });
      assert.match(s.fault.message, new RegExp(`^Exceeded maximum number of retries\\. Exhausted all hosts available for retrying build failures for instance ${id}\\. Build failures: test-host-\\d+: fake driver`));
    } finally {
      cloud.rt.conf.scheduler.max_attempts = 3;
    }
  });

  it('says which filter removed how many hosts when no host is valid', async () => {
    await flavorCreate({ flavorid: 'huge', name: 'huge', memory_mb: 1_000_000, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null });
    await quotaSet('p1', 'ram', -1);
    const id = await boot(cloud, { name: 'big', flavorRef: 'huge' }, { token: ALICE });
    const s = await waitForStatus(cloud, id, 'ERROR', { token: ALICE });
    assert.match(s.fault.message, /^No valid host was found\. There are not enough hosts available\. RamFilter removed 2 of 2 host\(s\) \(test-host-\d+: needs 1000000 MB RAM, \d+ MB free; compute-2: needs 1000000 MB RAM, \d+ MB free\)\.$/);
    assert.ok(!(await bookkeeping()).allocations.some((a) => a.consumer_id === id));
  });

  it('lets an admin force a host (az:host) and refuses members that', async () => {
    const forced = await boot(cloud, { name: 'pinned', availability_zone: 'nova:compute-2' });
    await waitForStatus(cloud, forced, 'ACTIVE');
    assert.equal((await cloud.request('GET', `/servers/${forced}`, { version: NOW })).body.server['OS-EXT-SRV-ATTR:host'], 'compute-2');
    const stuck = await boot(cloud, { name: 'doomed', availability_zone: `nova:${cloud.rt.host}` });
    const failed = await waitForStatus(cloud, stuck, 'ERROR');
    assert.match(failed.fault.message, /^Build failed: Build of instance .* aborted: the host was forced, so the build is not rescheduled Build failures: test-host-\d+: fake driver: spawn of doomed fails/);
    assert.equal((await events(cloud, stuck)).filter((e: { event: string }) => e.event === 'compute_build_and_run_instance').length, 1);
    const member = await cloud.request('POST', '/servers', { token: ALICE, version: NOW, body: { server: { name: 'x', imageRef: cloud.image.id, flavorRef: '1', networks: 'none', availability_zone: 'nova:compute-2' } } });
    assert.equal(member.status, 403);
    const asked = await boot(cloud, { name: 'asked', host: 'compute-2' }, { version: '2.74' });
    await waitForStatus(cloud, asked, 'ACTIVE');
    assert.equal((await cloud.request('GET', `/servers/${asked}`, { version: NOW })).body.server['OS-EXT-SRV-ATTR:host'], 'compute-2');
    const post = (server: Record<string, unknown>, token?: string) => cloud.request('POST', '/servers', { token, version: '2.74', body: { server: { name: 'y', imageRef: cloud.image.id, flavorRef: '1', networks: 'none', ...server } } });
    assert.equal((await post({ host: 'compute-2' }, ALICE)).body.forbidden.message, "Policy doesn't allow compute:servers:create:requested_destination to be performed.");
    assert.equal((await post({ host: 'atlantis' })).body.badRequest.message, 'Compute host atlantis could not be found.');
    assert.equal((await post({ host: 'compute-2', availability_zone: 'nova:compute-2' })).body.badRequest.message,
      'One mechanism with host and/or hypervisor_hostname and another mechanism with zone:host:node are mutually exclusive.');
    assert.equal((await cloud.request('POST', '/servers', { version: '2.73', body: { server: { name: 'z', imageRef: cloud.image.id, flavorRef: '1', networks: 'none', host: 'compute-2' } } })).status, 400);
    const zone = await boot(cloud, { name: 'elsewhere', availability_zone: 'moon' }, { token: ALICE });
    const s = await waitForStatus(cloud, zone, 'ERROR', { token: ALICE });
    assert.match(s.fault.message, /AvailabilityZoneFilter removed 2 of 2 host\(s\)/);
  });
});

describe('Boot path: deleting while building, stuck tasks', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  before(async () => { cloud = await startServerCloud({ overrides: { 'fake_driver.spawn_delay_ms': '400' } }); });
  after(async () => { await cloud.stop(); });

  const clean = async (id: string, project: string) => {
    await waitFor(async () => {
      const b = await bookkeeping(project);
      return !b.allocations.some((a) => a.consumer_id === id) && b.usage.instances === 0 && b.usage.ram === 0 && !(await guestsOn(cloud, cloud.rt.host)).includes(id);
    }, 5000, `nothing left of ${id}`);
    const row = await instanceGet(id, { readDeleted: 'yes' });
    assert.equal(row.vm_state, 'deleted');
  };

  it('refuses actions while building with 409', async () => {
    const id = await boot(cloud, { name: 'busy' }, { token: ALICE });
    const r = await act(cloud, id, { pause: null }, { token: ALICE });
    assert.equal(r.status, 409);
    assert.equal(r.body.conflictingRequest.message, `Cannot 'pause' instance ${id} while it is in vm_state building`);
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });

  it('deletes while spawning: no guest, claim or usage is left when the spawn finishes', async () => {
    const id = await boot(cloud, { name: 'quick-death' }, { token: 'hal:p8' });
    await waitFor(async () => (await instanceGet(id)).task_state === 'spawning', 5000, 'spawning');
    assert.equal((await cloud.request('DELETE', `/servers/${id}`, { token: 'hal:p8' })).status, 204);
    await waitForGone(cloud, id, 'hal:p8');
    await new Promise((r) => setTimeout(r, 500)); // let the spawn in progress finish and find the server deleted
    await clean(id, 'p8');
  });

  it('deletes while still scheduling', async () => {
    const id = await boot(cloud, { name: 'instant-death' }, { token: 'ida:p9' });
    assert.equal((await cloud.request('DELETE', `/servers/${id}`, { token: 'ida:p9' })).status, 204);
    await waitForGone(cloud, id, 'ida:p9');
    await new Promise((r) => setTimeout(r, 500));
    await clean(id, 'p9');
  });

  it('times out a stuck build into ERROR with a fault, and a stuck move too; other tasks are reverted', async () => {
    const reaper = new ComputeTaskManager(cloud.rt.conf, nullLogger, { select_destinations: async () => { throw new Error('unused'); } }, await cloud.rt.compute());
    const later = Date.now() + (cloud.rt.conf.DEFAULT.instance_build_timeout + 5) * 1000;
    const id = await boot(cloud, { name: 'slow' }, { token: 'jo:p10' });
    await waitFor(async () => (await instanceGet(id)).task_state === 'spawning', 5000, 'spawning');
    assert.ok((await reaper.reapStuckTasks(later)) >= 1);
    const s = (await cloud.request('GET', `/servers/${id}`, { token: 'jo:p10' })).body.server;
    assert.equal(s.status, 'ERROR');
    assert.match(s.fault.message, /^Build of instance timed out after 600s in task spawning on host test-host-\d+ \(instance_build_timeout\)$/);
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!(await bookkeeping()).allocations.some((a) => a.consumer_id === id), 'the claim went with the timeout');
    assert.ok(!(await guestsOn(cloud, cloud.rt.host)).includes(id), 'the late spawn was undone');

    const moving = await boot(cloud, { name: 'mover' }, { token: 'jo:p10' });
    await waitForStatus(cloud, moving, 'ACTIVE', { token: 'jo:p10' });
    const mig = await migrationCreate({ instance_uuid: moving, migration_type: 'resize', status: 'migrating' });
    await instanceUpdate(moving, { task_state: 'resize_migrating' });
    const stopped = await boot(cloud, { name: 'stopper' }, { token: 'jo:p10' });
    await waitForStatus(cloud, stopped, 'ACTIVE', { token: 'jo:p10' });
    await instanceUpdate(stopped, { task_state: 'powering-off' });
    await reaper.reapStuckTasks(Date.now() + (cloud.rt.conf.DEFAULT.task_state_timeout + 5) * 1000);
    const m = (await cloud.request('GET', `/servers/${moving}`, { token: 'jo:p10' })).body.server;
    assert.equal(m.status, 'ERROR');
    assert.match(m.fault.message, /^Task resize_migrating timed out after 900s on host test-host-\d+ \(task_state_timeout\); instance set to ERROR$/);
    assert.equal((await migrationGet(mig.id)).status, 'error');
    const st = (await cloud.request('GET', `/servers/${stopped}`, { token: 'jo:p10' })).body.server;
    assert.equal(st.status, 'ACTIVE');
    assert.equal(st['OS-EXT-STS:task_state'], null);
  });
});
