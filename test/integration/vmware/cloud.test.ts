import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../../../src/conf/loader';
import { loadDaemon } from '../../../src/daemons';
import { makeContext } from '../../../src/context';
import { morefList } from '../../../src/drivers/vmware/inventory';
import { VimSession } from '../../../src/drivers/vmware/session';
import { morefOf } from '../../../src/drivers/vmware/soap';
import { nullLogger } from '../../../src/lib/log';
import { Runtime } from '../../../src/service/runtime';
import { textOf } from '../../../src/lib/xml';
import { runCli, writeConf } from '../../helpers/cli';
import { openrcEnv, startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { adminPassword, issueToken } from '../../helpers/identity';
import { nova, parseDict, parseTable } from '../../helpers/run_command';
import { startVcsim, Vcsim } from '../../helpers/vcsim';

/**
 * The whole stack with `compute_driver = vmwareapi.VMwareVCDriver` on VMware's vCenter simulator,
 * driven through our `nova` commands with the cloud's openrc (Keystone, Glance, API, conductor,
 * scheduler, compute). What the commands print is checked against the simulator's own answers,
 * read over SOAP by a separate session.
 */
describe('nova commands with the VMware driver on the vCenter simulator', function () {
  this.timeout(300000);
  let sim: Vcsim;
  let cloud: TestCloud;
  let vc: VimSession;
  let env: Record<string, string>;

  const run = async (...args: string[]) => {
    const r = await nova(args, env);
    assert.equal(r.exitCode, 0, `nova ${args.join(' ')} failed: ${r.stderr}`);
    return r;
  };

  before(async function () {
    this.timeout(600000); // the first run may build the simulator
    sim = await startVcsim({ clusters: 2 }); // DC0_C1 is for a second compute host
    cloud = await startCloud({
      auth: 'keystone',
      daemons: ['identity', 'image', 'conductor', 'scheduler', 'compute', 'api', 'consoleauth'],
      // Down after 10 s without heartbeats (1 a second here), so a stopped compute shows down soon.
      overrides: { compute_driver: 'vmwareapi.VMwareVCDriver', service_down_time: '10', ...sim.overrides() },
    });
    env = openrcEnv(cloud);
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

  /** What the simulator says of cluster DC0_C0: CPU threads, memory and its datastores' capacity. */
  const clusterOf = async () => {
    const clusters = await vc.objectsIn(vc.content.rootFolder, 'ClusterComputeResource', ['name', 'summary', 'datastore']);
    const c = clusters.find((x) => textOf(x.props.name) === 'DC0_C0')!;
    const summary = c.props.summary as Record<string, unknown>;
    let capacity = 0;
    for (const ds of morefList(c.props.datastore)) capacity += Number(textOf(await vc.property(ds, 'summary.capacity')));
    const [major, minor, patch] = vc.content.about.version.split('.').map(Number);
    return {
      vcpus: Number(textOf(summary.numCpuThreads)), memory_mb: Math.floor(Number(textOf(summary.totalMemory)) / 2 ** 20),
      local_gb: Math.floor(capacity / 2 ** 30), version: major * 1_000_000 + minor * 1_000 + patch, moref: c.obj.value,
    };
  };

  describe('the cluster as a hypervisor', () => {
    let node = '';
    before(async () => {
      node = await waitFor(async () => {
        const rows = parseTable((await run('hypervisor-list')).stdout);
        return rows.length ? rows[0]['Hypervisor hostname'] : undefined;
      }, 30000, 'the VMware node in hypervisor-list');
    });

    it('hypervisor-list shows one node, named <cluster moref>.<vCenter uuid>, up and enabled', async () => {
      const rows = parseTable((await run('hypervisor-list')).stdout);
      assert.equal(rows.length, 1);
      const c = await clusterOf();
      assert.equal(rows[0]['Hypervisor hostname'], `${c.moref}.${vc.content.about.instanceUuid}`);
      assert.equal(rows[0].State, 'up');
      assert.equal(rows[0].Status, 'enabled');
    });

    it('hypervisor-show gives the simulated cluster\'s vCPUs, memory and datastore capacity', async () => {
      // The API dropped these fields from hypervisors in 2.88: ask at 2.87, as novaclient users must.
      const shown = parseDict((await run('--os-compute-api-version', '2.87', 'hypervisor-show', node)).stdout);
      const c = await clusterOf();
      assert.equal(shown.hypervisor_type, 'VMware vCenter Server');
      assert.equal(Number(shown.hypervisor_version), c.version);
      assert.equal(Number(shown.vcpus), c.vcpus);
      assert.equal(Number(shown.memory_mb), c.memory_mb);
      assert.equal(Number(shown.local_gb), c.local_gb);
      assert.ok(c.vcpus > 0 && c.memory_mb > 0 && c.local_gb > 0, JSON.stringify(c));
      assert.equal(shown.state, 'up');
    });

    it('hypervisor-stats totals the one cluster', async () => {
      const stats = (await run('hypervisor-stats', '--json')).json<Record<string, number>>();
      const c = await clusterOf();
      assert.equal(stats.count, 1);
      assert.equal(stats.vcpus, c.vcpus);
      assert.equal(stats.memory_mb, c.memory_mb);
      assert.equal(stats.local_gb, c.local_gb);
    });
  });

  describe('a server', () => {
    let serverId = '';
    const image = Buffer.alloc(4096);
    for (let i = 0; i < image.length; i++) image[i] = (i * 13) % 256;

    const show = async () => (await run('show', serverId, '--json')).json<Record<string, any>>();
    const waitStatus = (want: string) => waitFor(async () => {
      const s = await show();
      if (s.status === 'ERROR') throw new Error(`server went to ERROR: ${JSON.stringify(s.fault)}`);
      return s.status === want && !s['OS-EXT-STS:task_state'] ? s : undefined;
    }, 120000, `server ${want}`);
    /** The last action of `kind` on the server and its events, as `nova instance-action` shows them. */
    const lastAction = async (kind: string) => {
      const actions = (await run('instance-action-list', serverId, '--json')).json<Array<{ action: string; request_id: string }>>();
      const a = actions.find((x) => x.action === kind);
      assert.ok(a, `no ${kind} action in ${JSON.stringify(actions)}`);
      return (await run('instance-action', serverId, a.request_id, '--json')).json<{ events: Array<{ event: string; result: string; details?: string; traceback?: string }> }>();
    };

    before(async () => {
      const images = await cloud.rt.imageService();
      const ctx = makeContext({ auth_token: await cloud.rt.serviceToken(), roles: ['admin'] });
      const img = await images.create(ctx, { name: 'vmw-raw', visibility: 'public', disk_format: 'raw', container_format: 'bare' } as never);
      await images.upload(ctx, img.id, Readable.from([image]));
      for (const [name, ram, disk, vcpus] of [['vmw1', 512, 1, 1], ['vmw2', 1024, 2, 2], ['vmw3', 2048, 2, 3]] as const) {
        await run('flavor-create', name, 'auto', String(ram), String(disk), String(vcpus));
      }
    });

    it('nova boot --poll: a VM named by the server\'s uuid, powered on, sized by the flavor', async () => {
      const r = await run('boot', '--flavor', 'vmw1', '--image', 'vmw-raw', '--nic', 'none', '--poll', 'vmw-1');
      assert.match(r.stdout, /ACTIVE|100%/);
      serverId = (await run('show', 'vmw-1', '--json')).json<{ id: string }>().id;
      const s = await waitStatus('ACTIVE');
      assert.equal(s['OS-EXT-STS:power_state'], 1);
      assert.equal(s['OS-EXT-SRV-ATTR:hypervisor_hostname'].split('.').slice(1).join('.'), vc.content.about.instanceUuid);
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 512, cpus: 1 });
    });

    it('stop, start, reboot, suspend and resume: the VM\'s power state in vCenter follows', async () => {
      await run('stop', serverId);
      assert.equal((await waitStatus('SHUTOFF'))['OS-EXT-STS:power_state'], 4);
      assert.equal((await vmOf(serverId))?.power, 'poweredOff');
      await run('start', serverId);
      await waitStatus('ACTIVE');
      assert.equal((await vmOf(serverId))?.power, 'poweredOn');
      await run('reboot', serverId);
      await waitStatus('ACTIVE');
      assert.ok((await lastAction('reboot')).events.every((e) => e.result === 'Success'));
      await run('reboot', '--hard', serverId);
      await waitStatus('ACTIVE');
      assert.equal((await vmOf(serverId))?.power, 'poweredOn');
      await run('suspend', serverId);
      assert.equal((await waitStatus('SUSPENDED'))['OS-EXT-STS:power_state'], 7);
      assert.equal((await vmOf(serverId))?.power, 'suspended');
      await run('resume', serverId);
      await waitStatus('ACTIVE');
      assert.equal((await vmOf(serverId))?.power, 'poweredOn');
    });

    it('pause: accepted as Nova does, then fails with "not implemented for this hypervisor"; the VM keeps running', async () => {
      await run('pause', serverId);
      const action = await waitFor(async () => {
        const a = await lastAction('pause');
        return a.events.some((e) => e.result === 'Error') ? a : undefined;
      }, 60000, 'pause action to fail');
      const failed = action.events.find((e) => e.result === 'Error')!;
      assert.match(`${failed.details ?? ''} ${failed.traceback ?? ''}`, /Action pause is not implemented for this hypervisor \(vmwareapi\.VMwareVCDriver\)/);
      const s = await waitStatus('ACTIVE');
      assert.equal(s['OS-EXT-STS:power_state'], 1);
      assert.equal((await vmOf(serverId))?.power, 'poweredOn');
    });

    it('nova image-create --poll: an active image with the bytes of the VM\'s disk', async () => {
      await run('image-create', '--poll', serverId, 'vmw-snap');
      const images = await cloud.rt.imageService();
      const ctx = makeContext({ auth_token: await cloud.rt.serviceToken(), roles: ['admin'] });
      const snap = (await images.list(ctx, { name: 'vmw-snap' }))[0];
      assert.equal(snap.status, 'active');
      assert.equal(snap.disk_format, 'raw');
      assert.equal(snap.properties.instance_uuid, serverId);
      const chunks: Buffer[] = [];
      for await (const c of (await images.download(ctx, snap.id)) as AsyncIterable<Buffer>) chunks.push(c);
      assert.ok(Buffer.concat(chunks).equals(image));
      await waitStatus('ACTIVE');
    });

    it('resize and resize-confirm: the VM gets the new flavor\'s memory and vCPUs', async () => {
      await run('resize', serverId, 'vmw2');
      await waitStatus('VERIFY_RESIZE');
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 1024, cpus: 2 });
      await run('resize-confirm', serverId);
      assert.equal((await waitStatus('ACTIVE')).flavor.original_name, 'vmw2');
    });

    it('a resize that would shrink the root disk fails with the reason in the action, the server keeps its flavor', async () => {
      await run('resize', serverId, 'vmw1');
      const action = await waitFor(async () => {
        const a = await lastAction('resize');
        return a.events.some((e) => e.result === 'Error') ? a : undefined;
      }, 60000, 'resize to fail');
      assert.ok(action.events.some((e) => /Unable to shrink disk/.test(`${e.details ?? ''} ${e.traceback ?? ''}`)), JSON.stringify(action.events));
      assert.equal((await waitStatus('ACTIVE')).flavor.original_name, 'vmw2');
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 1024, cpus: 2 });
    });

    it('resize and resize-revert: the VM gets its old memory and vCPUs back', async () => {
      await run('resize', serverId, 'vmw3');
      await waitStatus('VERIFY_RESIZE');
      assert.equal((await vmOf(serverId))?.memoryMB, 2048);
      await run('resize-revert', serverId);
      assert.equal((await waitStatus('ACTIVE')).flavor.original_name, 'vmw2');
      assert.deepEqual(await vmOf(serverId), { name: serverId, power: 'poweredOn', memoryMB: 1024, cpus: 2 });
    });

    it('hands out a noVNC console whose token leads to the VM\'s VNC port on its ESX host', async () => {
      // Our CLI has no get-vnc-console: the REST call, with a token of the openrc's admin.
      const { token: auth } = await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin');
      const r = await cloud.request('POST', `/servers/${serverId}/remote-consoles`, { token: auth, version: '2.6', body: { remote_console: { protocol: 'vnc', type: 'novnc' } } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const { url } = r.body.remote_console as { url: string };
      const token = new URLSearchParams(decodeURIComponent(new URL(url).searchParams.get('path') ?? '').replace(/^\?/, '')).get('token')!;
      const info = await (await cloud.rt.consoleauth()).check_token(cloud.rt.adminContext(), { token });
      const found = await vc.invoke('FindByUuid', vc.content.searchIndex, { uuid: serverId, vmSearch: true, instanceUuid: true });
      const p = await vc.properties(morefOf(found), ['config.extraConfig', 'runtime.host']);
      const options = (p['config.extraConfig'] as { OptionValue: Array<{ key: string; value: unknown }> }).OptionValue;
      assert.equal(info?.port, Number(textOf(options.find((o) => o.key === 'RemoteDisplay.vnc.port')?.value)));
      assert.equal(info?.host, textOf(await vc.property(morefOf(p['runtime.host']), 'name')));
    });

    it('nova delete: the server is gone and so is its VM in vCenter', async () => {
      await run('delete', serverId);
      await waitFor(async () => (await nova(['show', serverId], env)).exitCode !== 0, 60000, 'server gone');
      assert.equal(await vmOf(serverId), undefined);
    });
  });

  describe('a compute service that cannot use its vCenter', () => {
    const cases: Array<[string, (o: Record<string, string>) => Record<string, string | boolean>, RegExp]> = [
      ['a wrong password', () => ({ host_password: 'wrong-pw', insecure: true }),
        /Login failed: InvalidLogin: login of user 'nova' refused .*check \[vmware\] host_username and host_password/],
      ['a certificate that does not verify', (o) => ({ host_password: o['vmware.host_password'], insecure: false }),
        /does not verify.*\[vmware\] ca_file.*insecure/],
    ];
    for (const [what, vmware, message] of cases) {
      it(`${what}: nova daemon compute stops at start with one line naming the endpoint, exit 1`, async () => {
        const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-vmw-'));
        try {
          const o = sim.overrides();
          const file = writeConf({
            DEFAULT: { state_path: state, host: 'vmw-bad', compute_driver: 'vmwareapi.VMwareVCDriver', transport_url: 'memory://', rpc_response_timeout: 5 },
            vmware: { host_ip: o['vmware.host_ip'], host_port: o['vmware.host_port'], host_username: o['vmware.host_username'], cluster_name: 'DC0_C0', ...vmware(o) },
          }, state);
          assert.equal((await runCli(['db', 'sync', '--config-file', file])).code, 0);
          const r = await runCli(['daemon', 'conductor', 'compute', '--config-file', file]);
          assert.equal(r.code, 1, r.stderr);
          const errors = r.stderr.split('\n').filter((l) => l.startsWith('nova: error:'));
          assert.equal(errors.length, 1, r.stderr);
          assert.ok(errors[0].includes(`https://127.0.0.1:${sim.port}/sdk`), errors[0]);
          assert.match(errors[0], message);
          assert.doesNotMatch(r.stderr, /^\s+at /m);
          assert.doesNotMatch(r.stderr, /wrong-pw/);
        } finally {
          fs.rmSync(state, { recursive: true, force: true });
        }
      });
    }
  });
  describe('nova service-list for a compute host whose vCenter refuses it', () => {
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-vmw2-'));
    after(() => fs.rmSync(state, { recursive: true, force: true }));

    /**
     * A second nova-compute (host vmw-2, cluster DC0_C1) in this process, on the cloud's queue. Only
     * the daemon is started and stopped: closing its Runtime would stop the queue the cloud shares.
     */
    const startCompute = async (password: string) => {
      const rt = new Runtime(loadConfig({
        overrides: {
          ...sim.overrides({ 'vmware.cluster_name': 'DC0_C1', 'vmware.host_password': password }),
          compute_driver: 'vmwareapi.VMwareVCDriver', host: 'vmw-2', state_path: state,
          transport_url: cloud.rt.conf.DEFAULT.transport_url, report_interval: '1', periodic_interval: '1',
        },
      }), nullLogger);
      const daemon = await loadDaemon('compute')(rt);
      await daemon.start();
      return daemon;
    };
    const stateOf = async () => {
      const rows = (await run('service-list', '--host', 'vmw-2', '--binary', 'nova-compute', '--json')).json<Array<{ State: string; state?: string }>>();
      return rows.map((r) => r.state ?? r.State);
    };

    it('up while it runs, down once stopped, and still down after a restart with a wrong password', async () => {
      const good = await startCompute(sim.password);
      await waitFor(async () => (await stateOf())[0] === 'up', 30000, 'vmw-2 up');
      await good.stop();
      await waitFor(async () => (await stateOf())[0] === 'down', 60000, 'vmw-2 down after its stop');
      await assert.rejects(startCompute('wrong-pw'), (e: Error) => e.message.includes(`vCenter https://127.0.0.1:${sim.port}/sdk`) && /InvalidLogin/.test(e.message));
      // The failed start did not register: the row still says what its last heartbeat said.
      assert.deepEqual(await stateOf(), ['down']);
    });
  });
});
