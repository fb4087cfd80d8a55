import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../src/conf/loader';
import { VimSession } from '../../../src/drivers/vmware/session';
import { morefOf } from '../../../src/drivers/vmware/soap';
import { nullLogger } from '../../../src/lib/log';
import { textOf } from '../../../src/lib/xml';
import { runCli, writeConf } from '../../helpers/cli';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { glanceClient } from '../../helpers/glance';
import { startVcsim, Vcsim } from '../../helpers/vcsim';

/**
 * The whole stack with `compute_driver = vmwareapi.VMwareVCDriver` on VMware's vCenter simulator:
 * nova-compute starts, reports the cluster through /os-hypervisors, and (once the servers API is
 * merged) boots, stops, starts, reboots, snapshots, resizes and deletes a server there.
 */
describe('nova with the VMware driver on the vCenter simulator', function () {
  this.timeout(300000);
  let sim: Vcsim;
  let cloud: TestCloud;
  let vc: VimSession;

  before(async function () {
    this.timeout(600000); // the first run may build the simulator
    sim = await startVcsim();
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth'],
      overrides: { compute_driver: 'vmwareapi.VMwareVCDriver', ...sim.overrides() },
    });
    vc = new VimSession(loadConfig({ overrides: sim.overrides() }).conf.vmware, nullLogger);
    await vc.connect();
  });
  after(async () => {
    await vc?.close();
    await cloud?.stop();
    await sim?.stop();
  });

  /** The simulator's own view of an instance's VM (independent of the driver). */
  const vmOf = async (uuid: string) => {
    const found = await vc.invoke('FindByUuid', vc.content.searchIndex, { uuid, vmSearch: true, instanceUuid: true });
    if (!found) return undefined;
    const p = await vc.properties(morefOf(found), ['name', 'runtime.powerState', 'config.hardware.memoryMB', 'config.hardware.numCPU']);
    return { name: textOf(p.name), power: textOf(p['runtime.powerState']), memoryMB: Number(textOf(p['config.hardware.memoryMB'])), cpus: Number(textOf(p['config.hardware.numCPU'])) };
  };

  it('reports the cluster as a hypervisor in /os-hypervisors', async () => {
    const list = await waitFor(async () => {
      const r = await cloud.request('GET', '/os-hypervisors/detail');
      return r.body?.hypervisors?.length ? r.body.hypervisors : undefined;
    }, 30000, 'the VMware node in os-hypervisors');
    assert.equal(list.length, 1);
    const h = list[0];
    assert.equal(h.hypervisor_type, 'VMware vCenter Server');
    assert.equal(h.hypervisor_version, 6005000);
    assert.match(h.hypervisor_hostname, new RegExp(`\\.${vc.content.about.instanceUuid}$`));
    assert.equal(h.state, 'up');
    const clusters = await vc.objectsIn(vc.content.rootFolder, 'ClusterComputeResource', ['summary']);
    const summary = clusters[0].props.summary as Record<string, unknown>;
    assert.equal(h.vcpus, Number(textOf(summary.numCpuThreads)));
    assert.equal(h.memory_mb, Math.floor(Number(textOf(summary.totalMemory)) / 1048576));
    assert.ok(h.local_gb > 0);
  });

  it('a compute service with a wrong vCenter password stops at start with one line naming the endpoint', async () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-vmw-'));
    const o = sim.overrides();
    const file = writeConf({
      DEFAULT: { state_path: state, host: 'vmw-bad', compute_driver: 'vmwareapi.VMwareVCDriver', transport_url: 'memory://', rpc_response_timeout: 5 },
      vmware: { host_ip: o['vmware.host_ip'], host_port: o['vmware.host_port'], host_username: o['vmware.host_username'], host_password: 'wrong-pw', cluster_name: 'DC0_C0', insecure: true },
    });
    assert.equal((await runCli(['db', 'sync', '--config-file', file])).code, 0);
    const r = await runCli(['daemon', 'conductor', 'compute', '--config-file', file]);
    assert.equal(r.code, 1);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('nova: error:'));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0], new RegExp(`vCenter https://127\\.0\\.0\\.1:${sim.port}/sdk: Login failed: InvalidLogin: login of user 'nova' refused .*check \\[vmware\\] host_username and host_password`));
    assert.doesNotMatch(r.stderr, /wrong-pw/);
    fs.rmSync(state, { recursive: true, force: true });
  });

  describe('servers (needs the servers API: skips itself until it is merged)', () => {
    let serverId = '';
    const image = Buffer.alloc(4096);
    for (let i = 0; i < image.length; i++) image[i] = (i * 13) % 256;
    let imageId = '';

    before(async function () {
      if ((await cloud.request('GET', '/servers')).status === 404) this.skip();
      const g = glanceClient(cloud.rt.endpoints.image);
      imageId = (await g('POST', '/v2/images', { body: { name: 'vmw-raw', disk_format: 'raw', container_format: 'bare', visibility: 'public' } })).body.id;
      assert.equal((await g('PUT', `/v2/images/${imageId}/file`, { raw: image })).status, 204);
      for (const [id, ram, vcpus, disk] of [['vmw1', 512, 1, 1], ['vmw2', 1024, 2, 2], ['vmw3', 2048, 3, 2]] as const) {
        const r = await cloud.request('POST', '/flavors', { body: { flavor: { id, name: id, ram, vcpus, disk } } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
    });

    const status = async () => (await cloud.request('GET', `/servers/${serverId}`, { version: '2.47' })).body.server;
    const waitStatus = (want: string) => waitFor(async () => {
      const s = await status();
      if (s.status === 'ERROR') throw new Error(`server went to ERROR: ${JSON.stringify(s.fault)}`);
      return s.status === want && !s['OS-EXT-STS:task_state'] ? s : undefined;
    }, 120000, `server ${want}`);
    /** Nova answers 202 to actions, 204 to confirmResize. */
    const action = async (body: Record<string, unknown>) => {
      const r = await cloud.request('POST', `/servers/${serverId}/action`, { body });
      assert.equal(r.status, 'confirmResize' in body ? 204 : 202, `${JSON.stringify(body)}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };

    it('boots a server into the cluster: a VM named by its uuid, running, sized by the flavor', async () => {
      const r = await cloud.request('POST', '/servers', { version: '2.37', body: { server: { name: 'vmw-1', imageRef: imageId, flavorRef: 'vmw1', networks: 'none' } } });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      serverId = r.body.server.id;
      await waitStatus('ACTIVE');
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 512, cpus: 1 });
    });

    it('hands out a noVNC console whose token leads to the VM\'s VNC port on its ESX host', async () => {
      const r = await cloud.request('POST', `/servers/${serverId}/remote-consoles`, { version: '2.6', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const token = new URLSearchParams(decodeURIComponent(new URL(r.body.remote_console.url).searchParams.get('path') ?? '').replace(/^\?/, '')).get('token')!;
      const info = await (await cloud.rt.consoleauth()).check_token(cloud.rt.adminContext(), { token });
      const found = await vc.invoke('FindByUuid', vc.content.searchIndex, { uuid: serverId, vmSearch: true, instanceUuid: true });
      const p = await vc.properties(morefOf(found), ['config.extraConfig', 'runtime.host']);
      const options = (p['config.extraConfig'] as { OptionValue: Array<{ key: string; value: unknown }> }).OptionValue;
      assert.equal(info?.port, Number(textOf(options.find((o) => o.key === 'RemoteDisplay.vnc.port')?.value)));
      assert.equal(info?.host, textOf(await vc.property(morefOf(p['runtime.host']), 'name')));
    });

    it('stops, starts and reboots it', async () => {
      await action({ 'os-stop': null });
      await waitStatus('SHUTOFF');
      assert.equal((await vmOf(serverId))?.power, 'poweredOff');
      await action({ 'os-start': null });
      await waitStatus('ACTIVE');
      assert.equal((await vmOf(serverId))?.power, 'poweredOn');
      await action({ reboot: { type: 'SOFT' } });
      await waitStatus('ACTIVE');
      assert.equal((await vmOf(serverId))?.power, 'poweredOn');
    });

    it('snapshots it into an image with the disk\'s bytes', async () => {
      const r = await action({ createImage: { name: 'vmw-snap' } });
      const snapId = (r.headers.get('location') ?? '').split('/').pop() || r.body?.image_id;
      const g = glanceClient(cloud.rt.endpoints.image);
      const img = await waitFor(async () => {
        const i = (await g('GET', `/v2/images/${snapId}`)).body;
        return i?.status === 'active' ? i : undefined;
      }, 60000, 'snapshot image active');
      assert.equal(img.size, 4096);
      const data = await fetch(`${cloud.rt.endpoints.image}/v2/images/${snapId}/file`, { headers: { 'x-auth-token': 'admin:admin' } });
      assert.ok(Buffer.from(await data.arrayBuffer()).equals(image));
      await waitStatus('ACTIVE');
    });

    it('resizes it by reconfiguring the VM, and confirms', async () => {
      await action({ resize: { flavorRef: 'vmw2' } });
      await waitStatus('VERIFY_RESIZE');
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 1024, cpus: 2 });
      await action({ confirmResize: null });
      await waitStatus('ACTIVE');
    });

    it('refuses to shrink the root disk: the resize fails with a fault, the server keeps its flavor', async () => {
      await action({ resize: { flavorRef: 'vmw1' } });
      const s = await waitFor(async () => {
        const cur = await status();
        return cur.status === 'ACTIVE' && !cur['OS-EXT-STS:task_state'] && cur.flavor?.original_name !== undefined ? cur : undefined;
      }, 60000, 'resize rolled back');
      assert.equal(s.flavor.original_name, 'vmw2');
      const actions = (await cloud.request('GET', `/servers/${serverId}/os-instance-actions`)).body.instanceActions;
      const resize = actions.find((a: { action: string }) => a.action === 'resize');
      const detail = (await cloud.request('GET', `/servers/${serverId}/os-instance-actions/${resize.request_id}`, { version: '2.51' })).body.instanceAction;
      assert.ok(detail.events.some((e: { result: string; details?: string; traceback?: string }) => e.result === 'Error' && /Unable to shrink disk/.test(`${e.details ?? ''} ${e.traceback ?? ''}`)), JSON.stringify(detail.events));
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 1024, cpus: 2 });
    });

    it('reverts a resize: the VM gets its old memory and vCPUs back', async () => {
      await action({ resize: { flavorRef: 'vmw3' } });
      await waitStatus('VERIFY_RESIZE');
      assert.equal((await vmOf(serverId))?.memoryMB, 2048);
      await action({ revertResize: null });
      await waitStatus('ACTIVE');
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 1024, cpus: 2 });
    });

    it('pause is not supported by this hypervisor: 501 or a 501 fault, and the server stays ACTIVE', async () => {
      const r = await cloud.request('POST', `/servers/${serverId}/action`, { body: { pause: null } });
      if (r.status === 202) {
        const s = await waitStatus('ACTIVE');
        const actions = (await cloud.request('GET', `/servers/${serverId}/os-instance-actions`)).body.instanceActions;
        assert.ok(actions.some((a: { action: string }) => a.action === 'pause'));
        assert.equal((await vmOf(serverId))?.power, 'poweredOn');
        assert.equal(s.status, 'ACTIVE');
      } else {
        assert.equal(r.status, 501, JSON.stringify(r.body));
      }
    });

    it('deletes it: the VM is gone from vCenter', async () => {
      assert.equal((await cloud.request('DELETE', `/servers/${serverId}`)).status, 204);
      await waitFor(async () => (await cloud.request('GET', `/servers/${serverId}`)).status === 404, 60000, 'server gone');
      assert.equal(await vmOf(serverId), undefined);
    });
  });
});
