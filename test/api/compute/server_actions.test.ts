import { strict as assert } from 'node:assert';
import { act, boot, guestsOn, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../../helpers/servers';

const ALICE = 'alice:p1';

describe('Compute API server actions: power, lock, console, reset, force delete', function () {
  this.timeout(60000);
  let cloud: ServerCloud;
  let id: string;
  const show = async (token = ALICE, version = NOW) => (await cloud.request('GET', `/servers/${id}`, { token, version })).body.server;

  before(async () => {
    cloud = await startServerCloud();
    id = await boot(cloud, { name: 'actor' }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });
  after(async () => { await cloud.stop(); });

  it('stops and starts, with power states and 409s from the wrong state', async () => {
    assert.equal((await act(cloud, id, { 'os-start': null }, { token: ALICE })).body.conflictingRequest.message,
      `Cannot 'start' instance ${id} while it is in vm_state active`);
    const stop = await act(cloud, id, { 'os-stop': null }, { token: ALICE });
    assert.equal(stop.status, 202);
    const off = await waitForStatus(cloud, id, 'SHUTOFF', { token: ALICE });
    assert.equal(off['OS-EXT-STS:power_state'], 4);
    assert.equal(off['OS-EXT-STS:vm_state'], 'stopped');
    const again = await act(cloud, id, { 'os-stop': null }, { token: ALICE });
    assert.equal(again.status, 409);
    assert.equal(again.body.conflictingRequest.message, `Cannot 'stop' instance ${id} while it is in vm_state stopped`);
    assert.equal((await act(cloud, id, { pause: null }, { token: ALICE })).status, 409);
    await act(cloud, id, { 'os-start': null }, { token: ALICE });
    assert.equal((await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE }))['OS-EXT-STS:power_state'], 1);
  });

  it('pauses/unpauses and suspends/resumes', async () => {
    await act(cloud, id, { pause: null }, { token: ALICE });
    assert.equal((await waitForStatus(cloud, id, 'PAUSED', { token: ALICE }))['OS-EXT-STS:power_state'], 3);
    assert.equal((await act(cloud, id, { suspend: null }, { token: ALICE })).status, 409);
    await act(cloud, id, { unpause: null }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    await act(cloud, id, { suspend: null }, { token: ALICE });
    assert.equal((await waitForStatus(cloud, id, 'SUSPENDED', { token: ALICE }))['OS-EXT-STS:power_state'], 7);
    assert.equal((await act(cloud, id, { reboot: { type: 'SOFT' } }, { token: ALICE })).body.conflictingRequest.message,
      `Cannot 'reboot' instance ${id} while it is in vm_state suspended`);
    await act(cloud, id, { resume: null }, { token: ALICE });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
  });

  it('reboots soft and hard (hard also from SHUTOFF), and refuses an unknown type with 400', async () => {
    assert.equal((await act(cloud, id, { reboot: { type: 'soft' } }, { token: ALICE })).status, 202);
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    await act(cloud, id, { 'os-stop': null }, { token: ALICE });
    await waitForStatus(cloud, id, 'SHUTOFF', { token: ALICE });
    assert.equal((await act(cloud, id, { reboot: { type: 'HARD' } }, { token: ALICE })).status, 202);
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    const bad = await act(cloud, id, { reboot: { type: 'GENTLE' } }, { token: ALICE });
    assert.equal(bad.status, 400);
    assert.match(bad.body.badRequest.message, /^Invalid input for field\/attribute type\. Value: GENTLE\./);
    const unknown = await act(cloud, id, { dance: null }, { token: ALICE });
    assert.equal(unknown.body.badRequest.message, 'There is no such action: dance');
  });

  it('returns the console log, its last lines with length, and triggers a crash dump from 2.17', async () => {
    const all = await act(cloud, id, { 'os-getConsoleOutput': {} }, { token: ALICE });
    assert.equal(all.status, 200);
    assert.match(all.body.output, /booted from image/);
    assert.match(all.body.output, /hard reboot/);
    const last = await act(cloud, id, { 'os-getConsoleOutput': { length: 1 } }, { token: ALICE });
    assert.equal(last.body.output, 'hard reboot');
    assert.equal((await act(cloud, id, { 'os-getConsoleOutput': { length: -2 } }, { token: ALICE })).status, 400);
    assert.equal((await act(cloud, id, { trigger_crash_dump: null }, { token: ALICE, version: '2.16' })).status, 404);
    assert.equal((await act(cloud, id, { trigger_crash_dump: null }, { token: ALICE, version: '2.17' })).status, 202);
    const { waitFor } = await import('../../helpers/cloud');
    await waitFor(async () => /NMI received/.test((await act(cloud, id, { 'os-getConsoleOutput': { length: 1 } }, { token: ALICE })).body.output), 5000, 'crash dump');
  });

  it('locks with a reason (2.73): the owner gets 409 for actions, an admin still acts; an admin lock needs an admin to unlock', async () => {
    assert.equal((await act(cloud, id, { lock: { locked_reason: 'maintenance' } }, { token: ALICE, version: '2.73' })).status, 202);
    const s = await show();
    assert.equal(s.locked, true);
    assert.equal(s.locked_reason, 'maintenance');
    const locked = await act(cloud, id, { 'os-stop': null }, { token: ALICE });
    assert.equal(locked.status, 409);
    assert.equal(locked.body.conflictingRequest.message, `Instance ${id} is locked`);
    assert.equal((await cloud.request('DELETE', `/servers/${id}`, { token: ALICE })).status, 409);
    assert.equal((await cloud.request('POST', `/servers/${id}/metadata`, { token: ALICE, body: { metadata: { a: 'b' } } })).status, 409);
    const listed = (await cloud.request('GET', '/servers?locked=true', { token: ALICE, version: '2.73' })).body.servers;
    assert.deepEqual(listed.map((x: { id: string }) => x.id), [id]);
    // Before 2.73 any lock body is accepted and a reason is ignored; re-locking by the owner changes nothing.
    assert.equal((await act(cloud, id, { lock: { locked_reason: 'other' } }, { token: ALICE, version: '2.72' })).status, 202);
    assert.equal((await show()).locked_reason, 'maintenance');
    assert.equal((await act(cloud, id, { lock: { why: 'x' } }, { token: ALICE, version: '2.73' })).status, 400);
    assert.equal((await act(cloud, id, { pause: null })).status, 202, 'admins act on locked servers');
    await waitForStatus(cloud, id, 'PAUSED', { token: ALICE });
    await act(cloud, id, { unpause: null });
    await waitForStatus(cloud, id, 'ACTIVE', { token: ALICE });
    assert.equal((await act(cloud, id, { unlock: null }, { token: ALICE })).status, 202);
    assert.equal((await show()).locked, false);
    assert.equal((await show()).locked_reason, null);

    await act(cloud, id, { lock: null });
    const unlock = await act(cloud, id, { unlock: null }, { token: ALICE });
    assert.equal(unlock.status, 403);
    assert.equal(unlock.body.forbidden.message, "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed.");
    assert.equal((await act(cloud, id, { unlock: null })).status, 202);
  });

  it('resets state as an admin only (403 for members), and records the actions', async () => {
    const member = await act(cloud, id, { 'os-resetState': { state: 'error' } }, { token: ALICE });
    assert.equal(member.status, 403);
    assert.equal((await act(cloud, id, { 'os-resetState': { state: 'broken' } })).status, 400);
    assert.equal((await act(cloud, id, { 'os-resetState': { state: 'error' } })).status, 202);
    assert.equal((await show()).status, 'ERROR');
    await act(cloud, id, { 'os-resetState': { state: 'active' } });
    assert.equal((await show()).status, 'ACTIVE');
    const actions = (await cloud.request('GET', `/servers/${id}/os-instance-actions`, { token: ALICE })).body.instanceActions;
    const names = actions.map((a: { action: string }) => a.action);
    assert.equal(names[names.length - 1], 'create');
    for (const n of ['stop', 'start', 'pause', 'unpause', 'suspend', 'resume', 'reboot', 'lock', 'unlock', 'resetState', 'trigger_crash_dump']) assert.ok(names.includes(n), n);
  });

  it('force-deletes a server, leaving no guest', async () => {
    const victim = await boot(cloud, { name: 'victim' }, { token: ALICE });
    await waitForStatus(cloud, victim, 'ACTIVE', { token: ALICE });
    assert.equal((await act(cloud, victim, { forceDelete: null }, { token: ALICE })).status, 202);
    await waitForGone(cloud, victim, ALICE);
    assert.ok(!(await guestsOn(cloud, cloud.rt.host)).includes(victim));
  });
});
