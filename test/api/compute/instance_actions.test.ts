import { strict as assert } from 'node:assert';
import { act, boot, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../../helpers/servers';
import { hostId } from '../../../src/api/compute/views/servers';

const ALICE = 'alice:p1';

describe('Compute API /servers/{id}/os-instance-actions', function () {
  this.timeout(30000);
  let cloud: ServerCloud;
  let id: string;
  let stopRequest: string;
  before(async () => {
    cloud = await startServerCloud();
    id = await boot(cloud, {}, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const stop = await act(cloud, id, { 'os-stop': null }, { token: ALICE });
    stopRequest = stop.headers.get('x-openstack-request-id')!;
    await waitForStatus(cloud, id, 'SHUTOFF', { token: ALICE });
    await act(cloud, id, { 'os-start': null }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });
  after(async () => { await cloud.stop(); });

  it('lists actions newest first; updated_at and paging from 2.58', async () => {
    const v21 = (await cloud.request('GET', `/servers/${id}/os-instance-actions`, { token: ALICE, version: '2.1' })).body.instanceActions;
    assert.deepEqual(v21.map((a: { action: string }) => a.action), ['start', 'stop', 'create']);
    assert.deepEqual(Object.keys(v21[0]).sort(), ['action', 'instance_uuid', 'message', 'project_id', 'request_id', 'start_time', 'user_id']);
    assert.match(v21[0].start_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    const page = await cloud.request('GET', `/servers/${id}/os-instance-actions?limit=1`, { token: ALICE, version: '2.58' });
    assert.equal(page.body.instanceActions.length, 1);
    const startAction = page.body.instanceActions[0];
    assert.ok(startAction.updated_at > startAction.start_time, 'updated when its events were recorded');
    const next = page.body.links[0].href as string;
    assert.match(next, /marker=req-/);
    const rest = await cloud.request('GET', next.slice(cloud.computeUrl.length), { token: ALICE, version: '2.58' });
    assert.deepEqual(rest.body.instanceActions.map((a: { action: string }) => a.action), ['stop']);
    assert.equal((await cloud.request('GET', `/servers/${id}/os-instance-actions?marker=req-nope`, { token: ALICE, version: '2.58' })).body.badRequest.message, 'Marker req-nope could not be found.');
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    assert.deepEqual((await cloud.request('GET', `/servers/${id}/os-instance-actions?changes-since=${future}`, { token: ALICE, version: '2.58' })).body.instanceActions, []);
    assert.equal((await cloud.request('GET', `/servers/${id}/os-instance-actions?foo=1`, { token: ALICE, version: '2.58' })).status, 400);
    assert.equal((await cloud.request('GET', `/servers/${id}/os-instance-actions?changes-before=x`, { token: ALICE, version: '2.66' })).status, 400);
  });

  it('shows events: none to members before 2.51, without traceback or host after; hostId from 2.62', async () => {
    const path = `/servers/${id}/os-instance-actions/${stopRequest}`;
    const old = (await cloud.request('GET', path, { token: ALICE, version: '2.50' })).body.instanceAction;
    assert.equal(old.action, 'stop');
    assert.equal('events' in old, false);
    const member = (await cloud.request('GET', path, { token: ALICE, version: '2.62' })).body.instanceAction;
    assert.equal(member.events.length, 1);
    const ev = member.events[0];
    assert.equal(ev.event, 'compute_stop_instance');
    assert.equal(ev.result, 'Success');
    assert.equal('traceback' in ev, false);
    assert.equal('host' in ev, false);
    assert.equal(ev.hostId, hostId('p1', cloud.rt.host));
    const admin = (await cloud.request('GET', path, { version: NOW })).body.instanceAction.events[0];
    assert.equal(admin.host, cloud.rt.host);
    assert.equal(admin.traceback, null);
    assert.equal(admin.details, null);
    const missing = await cloud.request('GET', `/servers/${id}/os-instance-actions/req-missing`, { token: ALICE });
    assert.equal(missing.body.itemNotFound.message, 'Action req-missing not found');
  });

  it('still lists the actions of a deleted server from 2.21', async () => {
    await cloud.request('DELETE', `/servers/${id}`, { token: ALICE });
    await waitForGone(cloud, id, ALICE);
    assert.equal((await cloud.request('GET', `/servers/${id}/os-instance-actions`, { token: ALICE, version: '2.20' })).status, 404);
    const after = (await cloud.request('GET', `/servers/${id}/os-instance-actions`, { token: ALICE, version: '2.21' })).body.instanceActions;
    assert.equal(after[0].action, 'delete');
  });
});
