import { strict as assert } from 'node:assert';
import { CAPABILITIES_STAT, DRIVER_STAT } from '../../../src/compute/capabilities';
import { TaskState } from '../../../src/compute/vm_states';
import * as actions from '../../../src/db/api/actions';
import { computeNodeGetAll } from '../../../src/db/api/compute_nodes';
import * as db from '../../../src/db/api/instances';
import { ComputeNodeRow } from '../../../src/db/models/service';
import { waitFor } from '../../helpers/cloud';
import { act, boot, NOW, ServerCloud, startServerCloud, waitForStatus } from '../../helpers/servers';

const ALICE = 'alice:p1';
const MISSING = ['supports_pause', 'supports_suspend', 'supports_rescue', 'supports_snapshot', 'supports_resize',
  'supports_soft_reboot', 'supports_trigger_crash_dump', 'supports_console_output', 'supports_vnc_console', 'supports_spice_console',
  'supports_serial_console', 'supports_live_migration'];

describe('Compute API: actions the instance\'s hypervisor cannot do are refused with 501', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  let id: string;
  const show = async () => (await cloud.request('GET', `/servers/${id}`, { version: NOW })).body.server;
  const actionNames = async () => (await cloud.request('GET', `/servers/${id}/os-instance-actions`, { token: ALICE })).body.instanceActions.map((a: { action: string }) => a.action);

  before(async () => {
    cloud = await startServerCloud({ overrides: { 'fake_driver.unsupported_capabilities': MISSING.join(','), 'serial_console.enabled': 'true' } });
    id = await boot(cloud, { name: 'limited' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });
  after(async () => { await cloud.stop(); });

  it('nova-compute reports its driver and capabilities into the node\'s stats, again on every report', async () => {
    const [node] = await computeNodeGetAll({ host: cloud.rt.conf.DEFAULT.host });
    assert.equal(node.stats[DRIVER_STAT], 'fake.FakeDriver');
    const caps = node.stats[CAPABILITIES_STAT] as Record<string, boolean>;
    for (const c of MISSING) assert.equal(caps[c], false, c);
    assert.equal(caps.supports_evacuate, true);
    await ComputeNodeRow.update({ stats: {} }, { where: { id: node.id } });
    await waitFor(async () => (await computeNodeGetAll({ id: node.id }))[0].stats[CAPABILITIES_STAT], 10000, 'the next report to restore the capabilities');
  });

  const refusals: Array<[string, unknown, string, string?]> = [
    ['pause', { pause: null }, 'pause'],
    ['suspend', { suspend: null }, 'suspend'],
    ['soft reboot', { reboot: { type: 'SOFT' } }, 'soft reboot'],
    ['rescue', { rescue: null }, 'rescue'],
    ['createImage', { createImage: { name: 'snap' } }, 'snapshot'],
    ['shelve', { shelve: null }, 'shelve'],
    ['resize', { resize: { flavorRef: '2' } }, 'resize'],
    ['migrate', { migrate: null }, 'migrate', 'admin'],
    ['os-migrateLive', { 'os-migrateLive': { host: null, block_migration: 'auto' } }, 'live migration', 'admin'],
    ['trigger_crash_dump', { trigger_crash_dump: null }, 'trigger_crash_dump'],
    ['os-getConsoleOutput', { 'os-getConsoleOutput': {} }, 'get_console_output'],
  ];
  for (const [name, body, action, who] of refusals) {
    it(`${name}: 501 with Nova's notImplemented body, nothing recorded or changed`, async () => {
      const imagesBefore = (await cloud.images.list(cloud.rt.adminContext())).length;
      const r = await act(cloud, id, body, { token: who === 'admin' ? undefined : ALICE });
      assert.equal(r.status, 501, JSON.stringify(r.body));
      assert.deepEqual(r.body, { notImplemented: { code: 501, message: `Action ${action} is not implemented for this hypervisor (fake.FakeDriver).` } });
      const s = await show();
      assert.equal(s['OS-EXT-STS:task_state'], null);
      assert.equal(s['OS-EXT-STS:vm_state'], 'active');
      assert.equal(s.flavor.original_name, 'm1.tiny');
      assert.deepEqual(await actionNames(), ['create']);
      assert.equal((await cloud.images.list(cloud.rt.adminContext())).length, imagesBefore, 'no image left behind');
    });
  }

  it('refuses VNC, SPICE and serial consoles with 501; a hard reboot, which every driver can do, still goes through', async () => {
    for (const [protocol, type] of [['vnc', 'novnc'], ['spice', 'spice-html5'], ['serial', 'serial']]) {
      const r = await cloud.request('POST', `/servers/${id}/remote-consoles`, { token: ALICE, version: '2.6', body: { remote_console: { protocol, type } } });
      assert.equal(r.status, 501);
      assert.equal(r.body.notImplemented.message, `Action get_${protocol}_console is not implemented for this hypervisor (fake.FakeDriver).`);
    }
    assert.equal((await act(cloud, id, { reboot: { type: 'HARD' } }, { token: ALICE })).status, 202);
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });

  it('a wrong state or a lock still answers 409 first', async () => {
    assert.equal((await act(cloud, id, { unpause: null }, { token: ALICE })).status, 409);
    assert.equal((await act(cloud, id, { lock: null }, { token: ALICE })).status, 202);
    assert.equal((await act(cloud, id, { pause: null }, { token: ALICE })).status, 409);
    assert.equal((await act(cloud, id, { unlock: null }, { token: ALICE })).status, 202);
  });

  it('the compute manager still refuses a pause that got past the API (a node report older than its driver)', async () => {
    const ctx = { ...cloud.rt.adminContext(), request_id: `req-${id}-backstop` };
    const inst = await db.instanceUpdate(id, { task_state: TaskState.PAUSING });
    await actions.actionStart({ action: 'pause', instance_uuid: id, request_id: ctx.request_id, user_id: ctx.user_id, project_id: ctx.project_id });
    await (await cloud.rt.compute()).to(inst.host!).pause_instance(ctx, { instance: inst });
    const done = await waitFor(async () => {
      const a = await actions.actionGet(id, ctx.request_id);
      return a?.events?.some((e) => e.result === 'Error') ? a : undefined;
    }, 10000, 'the pause to fail on the compute host');
    assert.match(JSON.stringify(done.events), /Action pause is not implemented for this hypervisor \(fake\.FakeDriver\)/);
    const s = await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    assert.equal(s['OS-EXT-STS:power_state'], 1);
  });
});
