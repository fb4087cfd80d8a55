import { strict as assert } from 'node:assert';
import { instanceUpdate } from '../../../src/db/api/instances';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { bootInstance, tokenOf } from '../../helpers/consoles';
import { insertInstance } from '../../helpers/instances';

const NOVNC = 'http://console.example:6080/vnc_lite.html';
const XVP = 'http://console.example:6081/console';
const SPICE = 'http://console.example:6082/spice_auto.html';

describe('Compute API remote consoles (os-get*Console to 2.5, remote-consoles from 2.6)', () => {
  let cloud: TestCloud;
  let server: Instance;
  const alice = { token: 'alice:p1' };
  before(async () => {
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth'],
      overrides: { 'vnc.novncproxy_base_url': NOVNC, 'vnc.xvpvncproxy_base_url': XVP, 'spice.html5proxy_base_url': SPICE },
    });
    server = await bootInstance(cloud, 'web-1');
  });
  after(async () => { await cloud.stop(); });

  const action = (body: object, version = '2.1', who = alice, id = server.uuid) =>
    cloud.request('POST', `/servers/${id}/action`, { ...who, version, body });
  const create = (body: object, version = '2.6', who = alice, id = server.uuid) =>
    cloud.request('POST', `/servers/${id}/remote-consoles`, { ...who, version, body });
  const check = async (url: string) => (await cloud.rt.consoleauth()).check_token(cloud.rt.adminContext(), { token: tokenOf(url) });

  it('os-getVNCConsole hands out a noVNC URL whose token consoleauth knows, bound to the instance', async () => {
    const res = await action({ 'os-getVNCConsole': { type: 'novnc' } });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.console), ['type', 'url']);
    assert.equal(res.body.console.type, 'novnc');
    assert.match(res.body.console.url, new RegExp(`^${NOVNC.replace(/\./g, '\\.')}\\?path=%3Ftoken%3D[A-Za-z0-9_-]{43}$`));
    const info = await check(res.body.console.url);
    assert.equal(info?.instance_uuid, server.uuid);
    assert.equal(info?.console_type, 'novnc');
    assert.equal(info?.port, 6969); // the fake driver's VNC port
    const again = await action({ 'os-getVNCConsole': { type: 'novnc' } });
    assert.notEqual(tokenOf(again.body.console.url), tokenOf(res.body.console.url));
  });

  it('os-getVNCConsole xvpvnc hands out the XVP proxy URL with ?token=', async () => {
    const res = await action({ 'os-getVNCConsole': { type: 'xvpvnc' } });
    assert.equal(res.status, 200);
    assert.match(res.body.console.url, new RegExp(`^${XVP.replace(/\./g, '\\.')}\\?token=[A-Za-z0-9_-]{43}$`));
    assert.equal((await check(res.body.console.url))?.console_type, 'xvpvnc');
  });

  it('os-getSPICEConsole: 400 while [spice] enabled is off on the compute host, a URL once it is on', async () => {
    const off = await action({ 'os-getSPICEConsole': { type: 'spice-html5' } });
    assert.equal(off.status, 400);
    assert.deepEqual(off.body, { badRequest: { code: 400, message: 'Unavailable console type spice-html5.' } });
    cloud.rt.conf.spice.enabled = true;
    try {
      const on = await action({ 'os-getSPICEConsole': { type: 'spice-html5' } });
      assert.equal(on.status, 200);
      assert.match(on.body.console.url, new RegExp(`^${SPICE.replace(/\./g, '\\.')}\\?token=`));
      assert.equal((await check(on.body.console.url))?.port, 6970);
    } finally {
      cloud.rt.conf.spice.enabled = false;
    }
  });

  it('os-getRDPConsole is 501, os-getSerialConsole 400 while [serial_console] is off', async () => {
    const rdp = await action({ 'os-getRDPConsole': { type: 'rdp-html5' } });
    assert.equal(rdp.status, 501);
    assert.equal(rdp.body.notImplemented.code, 501);
    const serial = await action({ 'os-getSerialConsole': { type: 'serial' } });
    assert.equal(serial.status, 400);
    assert.equal(serial.body.badRequest.message, 'Unavailable console type serial.');
  });

  it('with [serial_console] enabled, os-getSerialConsole and remote-consoles serial hand out base_url?token= leading to the guest\'s serial port', async () => {
    cloud.rt.conf.serial_console.enabled = true;
    try {
      const res = await action({ 'os-getSerialConsole': { type: 'serial' } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(res.body.console.url, /^ws:\/\/127\.0\.0\.1:6083\/\?token=[A-Za-z0-9_-]{43}$/);
      const info = await check(res.body.console.url);
      assert.equal(info?.console_type, 'serial');
      assert.equal(info?.port, 6972); // the fake driver's serial port
      const v26 = await create({ remote_console: { protocol: 'serial', type: 'serial' } });
      assert.equal(v26.status, 200, JSON.stringify(v26.body));
      assert.deepEqual(Object.keys(v26.body.remote_console), ['protocol', 'type', 'url']);
      assert.equal((await check(v26.body.remote_console.url))?.console_type, 'serial');
    } finally {
      cloud.rt.conf.serial_console.enabled = false;
    }
  });

  it('validates action bodies as Nova does', async () => {
    const cases: Array<[object, string]> = [
      [{ 'os-getVNCConsole': { type: 'spice-html5' } }, "Invalid input for field/attribute type. Value: spice-html5. 'spice-html5' is not one of ['novnc', 'xvpvnc']"],
      [{ 'os-getVNCConsole': {} }, "'type' is a required property"],
      [{ 'os-getVNCConsole': { type: 'novnc', extra: 1 } }, "Additional properties are not allowed ('extra' was unexpected)"],
    ];
    for (const [body, message] of cases) {
      const res = await action(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.badRequest.message, message);
    }
  });

  it('POST /remote-consoles (2.6) answers protocol, type and URL; a protocol/type mismatch is 400', async () => {
    const res = await create({ remote_console: { protocol: 'vnc', type: 'novnc' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.remote_console.protocol, 'vnc');
    assert.equal(res.body.remote_console.type, 'novnc');
    assert.equal((await check(res.body.remote_console.url))?.instance_uuid, server.uuid);
    const mismatch = await create({ remote_console: { protocol: 'vnc', type: 'spice-html5' } });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.badRequest.message, 'Invalid console type spice-html5');
  });

  it('keeps each form to its microversions; mks/webmks only from 2.8, and unavailable there', async () => {
    assert.equal((await action({ 'os-getVNCConsole': { type: 'novnc' } }, '2.6')).status, 404);
    assert.equal((await create({ remote_console: { protocol: 'vnc', type: 'novnc' } }, '2.5')).status, 404);
    assert.equal((await create({ remote_console: { protocol: 'mks', type: 'webmks' } }, '2.6')).status, 400);
    const mks = await create({ remote_console: { protocol: 'mks', type: 'webmks' } }, '2.8');
    assert.equal(mks.status, 400);
    assert.equal(mks.body.badRequest.message, 'Unavailable console type webmks.');
    assert.equal((await create({ remote_console: { protocol: 'vnc', type: 'novnc' } }, 'latest')).status, 200);
  });

  it('hides other projects\' servers (404) and lets an admin get any console', async () => {
    const bob = await action({ 'os-getVNCConsole': { type: 'novnc' } }, '2.1', { token: 'bob:p2' });
    assert.equal(bob.status, 404);
    assert.equal((await create({ remote_console: { protocol: 'vnc', type: 'novnc' } }, '2.6', { token: 'admin:admin' })).status, 200);
    assert.equal((await action({ 'os-getVNCConsole': { type: 'novnc' } }, '2.1', alice, '00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('answers 409 for an instance not ready (no host yet), not running, or being deleted, and issues no token', async () => {
    const consoleauthRows = async () => (await import('../../../src/db/models/console_auth_token')).ConsoleAuthTokenRow.count();
    const before = await consoleauthRows();
    const building = await insertInstance({ project: 'p1', vmState: 'building' });
    const notReady = await action({ 'os-getVNCConsole': { type: 'novnc' } }, '2.1', alice, building.uuid);
    assert.equal(notReady.status, 409);
    assert.equal(notReady.body.conflictingRequest.message, `Instance ${building.uuid} is not ready`);

    const stopped = await insertInstance({ project: 'p1', vmState: 'stopped' });
    await instanceUpdate(stopped.uuid, { host: cloud.rt.host, node: cloud.rt.host });
    const notRunning = await create({ remote_console: { protocol: 'vnc', type: 'novnc' } }, '2.6', alice, stopped.uuid);
    assert.equal(notRunning.status, 409);
    assert.equal(notRunning.body.conflictingRequest.message, `Instance ${stopped.uuid} is not running.`);

    const deleting = await insertInstance({ project: 'p1' });
    await instanceUpdate(deleting.uuid, { host: cloud.rt.host, task_state: 'deleting' });
    assert.equal((await action({ 'os-getVNCConsole': { type: 'novnc' } }, '2.1', alice, deleting.uuid)).status, 409);
    assert.equal(await consoleauthRows(), before);
  });

  it('answers 404 when the guest is not on its host\'s hypervisor', async () => {
    const ghost = await insertInstance({ project: 'p1' });
    await instanceUpdate(ghost.uuid, { host: cloud.rt.host });
    const res = await action({ 'os-getVNCConsole': { type: 'novnc' } }, '2.1', alice, ghost.uuid);
    assert.equal(res.status, 404);
    assert.equal(res.body.itemNotFound.message, `Instance ${ghost.uuid} could not be found.`);
  });
});
