import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, writeConf } from '../../helpers/cli';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { glanceClient } from '../../helpers/glance';
import { startXapiDouble, XapiDouble } from '../../helpers/xapi_double';

/**
 * The whole stack with `compute_driver = xenapi.XenAPIDriver` against the XAPI test double:
 * nova-compute starts and reports through /os-hypervisors, and (once the servers API is merged)
 * boots, pauses, snapshots, resizes and deletes a server there.
 */
describe('nova with the XenAPI driver (XAPI test double)', function () {
  this.timeout(120000);
  let xapi: XapiDouble;
  let cloud: TestCloud;

  before(async () => {
    xapi = await startXapiDouble();
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth'],
      overrides: { compute_driver: 'xenapi.XenAPIDriver', 'xenserver.connection_url': xapi.url, 'xenserver.connection_password': 'xen<&>pw' },
    });
  });
  after(async () => {
    await cloud?.stop();
    await xapi?.close();
  });

  it('reports the XAPI host as a hypervisor in /os-hypervisors', async () => {
    const list = await waitFor(async () => (await cloud.request('GET', '/os-hypervisors/detail')).body?.hypervisors?.length
      ? (await cloud.request('GET', '/os-hypervisors/detail')).body.hypervisors : undefined, 30000, 'the XenAPI node');
    assert.equal(list.length, 1);
    assert.deepEqual([list[0].hypervisor_hostname, list[0].hypervisor_type, list[0].hypervisor_version, list[0].vcpus, list[0].memory_mb, list[0].state],
      ['xapi-double', 'XenServer', 8002001, 4, 16384, 'up']);
  });

  it('a compute service with a wrong XAPI password stops at start with one line naming the endpoint', async () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-xen-'));
    const file = writeConf({
      DEFAULT: { state_path: state, host: 'xen-bad', compute_driver: 'xenapi.XenAPIDriver', transport_url: 'memory://', rpc_response_timeout: 5 },
      xenserver: { connection_url: xapi.url, connection_password: 'wrong-pw' },
    });
    assert.equal((await runCli(['db', 'sync', '--config-file', file])).code, 0);
    const r = await runCli(['daemon', 'conductor', 'compute', '--config-file', file]);
    assert.equal(r.code, 1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('nova: error:'));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0], new RegExp(`^nova: error: XAPI ${xapi.url}/: session.login_with_password failed: SESSION_AUTHENTICATION_FAILED login of user 'root' refused; check \\[xenserver\\] connection_username and connection_password$`));
    assert.doesNotMatch(r.stderr, /wrong-pw/);
    fs.rmSync(state, { recursive: true, force: true });
  });

  describe('servers (needs the servers API: skips itself until it is merged)', () => {
    let serverId = '';
    const image = Buffer.alloc(2048, 9);
    let imageId = '';
    const vm = () => [...xapi.vms.values()].find((v) => (v.other_config as Record<string, string>)?.nova_uuid === serverId && !v.is_a_snapshot);

    before(async function () {
      if ((await cloud.request('GET', '/servers')).status === 404) this.skip();
      const g = glanceClient(cloud.rt.endpoints.image);
      imageId = (await g('POST', '/v2/images', { body: { name: 'xen-raw', disk_format: 'raw', container_format: 'bare', visibility: 'public' } })).body.id;
      assert.equal((await g('PUT', `/v2/images/${imageId}/file`, { raw: image })).status, 204);
      for (const [id, ram, vcpus, disk] of [['xen1', 256, 1, 0], ['xen2', 512, 2, 0]] as const) {
        assert.equal((await cloud.request('POST', '/flavors', { body: { flavor: { id, name: id, ram, vcpus, disk } } })).status, 200);
      }
    });

    const status = async () => (await cloud.request('GET', `/servers/${serverId}`, { version: '2.47' })).body.server;
    const waitStatus = (want: string) => waitFor(async () => {
      const s = await status();
      if (s.status === 'ERROR') throw new Error(`server went to ERROR: ${JSON.stringify(s.fault)}`);
      return s.status === want && !s['OS-EXT-STS:task_state'] ? s : undefined;
    }, 60000, `server ${want}`);
    const action = async (body: Record<string, unknown>) => {
      const r = await cloud.request('POST', `/servers/${serverId}/action`, { body });
      assert.equal(r.status, 'confirmResize' in body ? 204 : 202, `${JSON.stringify(body)}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };

    it('boots a server: a running XAPI VM with the flavor\'s memory', async () => {
      const r = await cloud.request('POST', '/servers', { version: '2.37', body: { server: { name: 'xen-1', imageRef: imageId, flavorRef: 'xen1', networks: 'none' } } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      serverId = r.body.server.id;
      await waitStatus('ACTIVE');
      assert.deepEqual([vm()?.power_state, vm()?.memory_static_max], ['Running', String(256 * 2 ** 20)]);
    });

    it('hands out a noVNC console whose token leads to the VM\'s RFB console location', async () => {
      const r = await cloud.request('POST', `/servers/${serverId}/remote-consoles`, { version: '2.6', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const token = new URLSearchParams(decodeURIComponent(new URL(r.body.remote_console.url).searchParams.get('path') ?? '').replace(/^\?/, '')).get('token')!;
      const info = await (await cloud.rt.consoleauth()).check_token(cloud.rt.adminContext(), { token });
      assert.equal(info?.host, '127.0.0.1');
      assert.equal(info?.port, Number(new URL(xapi.url).port));
      assert.match(info?.internal_access_path ?? '', /^\/console\?ref=OpaqueRef:[0-9a-f-]+&session_id=OpaqueRef:/);
    });

    it('pauses, unpauses, stops and starts it', async () => {
      await action({ pause: null }); await waitStatus('PAUSED'); assert.equal(vm()?.power_state, 'Paused');
      await action({ unpause: null }); await waitStatus('ACTIVE'); assert.equal(vm()?.power_state, 'Running');
      await action({ 'os-stop': null }); await waitStatus('SHUTOFF'); assert.equal(vm()?.power_state, 'Halted');
      await action({ 'os-start': null }); await waitStatus('ACTIVE'); assert.equal(vm()?.power_state, 'Running');
    });

    it('snapshots it into an image', async () => {
      const r = await action({ createImage: { name: 'xen-snap' } });
      const snapId = (r.headers.get('location') ?? '').split('/').pop() || r.body?.image_id;
      const g = glanceClient(cloud.rt.endpoints.image);
      const img = await waitFor(async () => { const i = (await g('GET', `/v2/images/${snapId}`)).body; return i?.status === 'active' ? i : undefined; }, 60000, 'snapshot active');
      assert.equal(img.size, 2 ** 20); // the raw export of the whole root disk (the image rounded up to 1 MiB)
      await waitStatus('ACTIVE');
    });

    it('resizes it and confirms', async () => {
      await action({ resize: { flavorRef: 'xen2' } });
      await waitStatus('VERIFY_RESIZE');
      assert.deepEqual([vm()?.memory_static_max, vm()?.VCPUs_max], [String(512 * 2 ** 20), '2']);
      await action({ confirmResize: null });
      await waitStatus('ACTIVE');
    });

    it('deletes it: the VM is gone from XAPI', async () => {
      assert.equal((await cloud.request('DELETE', `/servers/${serverId}`)).status, 204);
      await waitFor(async () => (await cloud.request('GET', `/servers/${serverId}`)).status === 404, 60000, 'server gone');
      assert.equal(vm(), undefined);
    });
  });
});
