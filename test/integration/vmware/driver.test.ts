import { strict as assert } from 'node:assert';
import { PowerState } from '../../../src/compute/power_state';
import { ConsoleTypeUnavailable, ImageUnacceptable, ResizeError, VirtDriverNotImplemented } from '../../../src/exception';
import { VMwareVCDriver } from '../../../src/drivers/vmware';
import { textOf } from '../../../src/lib/xml';
import { startVcsim, Vcsim } from '../../helpers/vcsim';
import { driverFor, flavor, imageBytes, instance, rawImage } from './helpers';

/** The VMware driver against VMware's vCenter simulator (govmomi), started on a free loopback port. */
describe('VMware driver on the vCenter simulator', function () {
  this.timeout(180000);
  let sim: Vcsim;
  // The first run may build the simulator (scripts/ci/setup-vmware.sh): minutes, once.
  before(async function () { this.timeout(600000); sim = await startVcsim(); });
  after(async () => { await sim?.stop(); });

  describe('connecting', () => {
    it('verifies the certificate by default and names the endpoint and the fix when it does not verify', async () => {
      const d = driverFor(sim, { 'vmware.insecure': 'false' });
      await assert.rejects(d.initHost('h'), (e: Error) => {
        assert.match(e.message, new RegExp(`https://127\\.0\\.0\\.1:${sim.port}/sdk`));
        assert.match(e.message, /does not verify/);
        assert.match(e.message, /\[vmware\] ca_file/);
        assert.match(e.message, /insecure/);
        return true;
      });
    });

    it('trusts the simulator through [vmware] ca_file (its exported certificate)', async () => {
      const d = driverFor(sim, { 'vmware.insecure': 'false', 'vmware.ca_file': sim.caFile });
      await d.initHost('h');
      assert.equal((await d.getAvailableNodes()).length, 1);
      await d.cleanupHost();
    });

    it('refuses a wrong password with the endpoint and the options to check', async () => {
      const d = driverFor(sim, { 'vmware.host_password': 'wrong' });
      await assert.rejects(d.initHost('h'), (e: Error) => {
        assert.match(e.message, new RegExp(`vCenter https://127\\.0\\.0\\.1:${sim.port}/sdk`));
        assert.match(e.message, /InvalidLogin/);
        assert.match(e.message, /host_username and host_password/);
        return true;
      });
    });

    it('names the clusters there are when [vmware] cluster_name matches none', async () => {
      const d = driverFor(sim, { 'vmware.cluster_name': 'nope' });
      await assert.rejects(d.initHost('h'), /cluster 'nope' \(\[vmware\] cluster_name\) not found .* clusters there: DC0_C0/);
    });

    it('logs in again when vCenter forgets the session (NotAuthenticated)', async () => {
      const d = driverFor(sim);
      await d.initHost('h');
      const cookie = d.session.soap.sessionCookie;
      await d.session.soap.call('Logout', d.session.content.sessionManager);
      // The next call meets NotAuthenticated, logs in, and is retried.
      assert.deepEqual(await d.listInstanceUuids(), []);
      assert.notEqual(d.session.soap.sessionCookie, cookie);
      await d.cleanupHost();
    });
  });

  describe('resources', () => {
    let d: VMwareVCDriver;
    before(async () => { d = driverFor(sim); await d.initHost('h'); });
    after(async () => { await d.cleanupHost(); });

    it('reports the cluster as one node named <cluster moref>.<vCenter uuid>', async () => {
      const [node] = await d.getAvailableNodes();
      const sc = d.session.content;
      assert.match(node, /^[a-z-]+-\d+\.[0-9a-f-]{36}$/);
      assert.ok(node.endsWith(`.${sc.about.instanceUuid}`));
      const r = await d.getAvailableResource(node);
      assert.equal(r.hypervisor_type, 'VMware vCenter Server');
      assert.equal(r.hypervisor_version, 6005000); // the simulator says vCenter 6.5.0
      assert.equal(r.hypervisor_hostname, node);
      // Cross-check with the cluster summary and datastore read independently.
      const clusters = await d.session.objectsIn(sc.rootFolder, 'ClusterComputeResource', ['summary', 'datastore']);
      const summary = clusters[0].props.summary as Record<string, string>;
      assert.equal(r.vcpus, Number(summary.numCpuThreads));
      assert.equal(r.memory_mb, Math.floor(Number(summary.totalMemory) / 1048576));
      assert.ok(r.local_gb > 0 && r.local_gb_used >= 0 && r.local_gb_used <= r.local_gb);
      await assert.rejects(d.getAvailableResource('other-node'), /not managed by this VMware driver/);
    });

    it('datastore_regex that matches nothing fails at start, naming the datastores', async () => {
      const bad = driverFor(sim, { 'vmware.datastore_regex': '^nothing$' });
      await assert.rejects(bad.initHost('h'), /no accessible datastore of cluster 'DC0_C0' matches \[vmware\] datastore_regex '\^nothing\$' \(datastores: LocalDS_0\)/);
    });
  });

  describe('instances', () => {
    let d: VMwareVCDriver;
    const image = Buffer.alloc(5000);
    for (let i = 0; i < image.length; i++) image[i] = (i * 7) % 251;
    const images = imageBytes({ img1: image });
    const inst = instance();

    before(async () => {
      d = driverFor(sim);
      d.setImageService(images.service);
      await d.initHost('h');
    });
    after(async () => { await d.cleanupHost(); });

    const vmState = async () => {
      const ref = await (d as unknown as { vms: { find(u: string): Promise<unknown> } }).vms.find(inst.uuid);
      const s = d.session;
      const raw = await s.properties(ref as never, ['config.hardware.memoryMB', 'config.hardware.numCPU', 'config.hardware.device', 'config.instanceUuid', 'name']);
      return { device: raw['config.hardware.device'], name: textOf(raw.name), 'config.instanceUuid': textOf(raw['config.instanceUuid']), 'config.hardware.memoryMB': textOf(raw['config.hardware.memoryMB']), 'config.hardware.numCPU': textOf(raw['config.hardware.numCPU']) };
    };
    const diskKb = async () => {
      const devs = (await vmState()).device as { VirtualDevice: Array<Record<string, unknown>> };
      const disk = devs.VirtualDevice.find((x) => x['@_type'] === 'VirtualDisk')!;
      return Number(textOf(disk.capacityInKB));
    };

    it('spawns a VM named by the instance uuid from an uploaded image, sized by the flavor, running', async () => {
      await d.spawn({ instance: inst, image_meta: rawImage('img1', image) });
      const p = await vmState();
      assert.equal(p.name, inst.uuid);
      assert.equal(p['config.instanceUuid'], inst.uuid);
      assert.equal(Number(p['config.hardware.memoryMB']), 512);
      assert.equal(Number(p['config.hardware.numCPU']), 1);
      assert.equal(await diskKb(), 1024 * 1024); // grown to the flavor's 1 GB root disk
      const info = await d.getInfo(inst);
      assert.equal(info.state, PowerState.RUNNING);
      assert.equal(info.max_mem_kb, 512 * 1024);
      assert.deepEqual(await d.listInstanceUuids(), [inst.uuid]);
      assert.deepEqual(await d.listInstances(), [inst.uuid]);
      assert.equal(await d.instanceExists(inst), true);
      assert.deepEqual(images.downloads, ['img1']);
    });

    it('caches the image on the datastore: a second VM of the same image downloads nothing', async () => {
      const other = instance();
      await d.spawn({ instance: other, image_meta: rawImage('img1', image) });
      assert.deepEqual(images.downloads, ['img1']);
      const a = await d.getVncConsole(inst);
      const b = await d.getVncConsole(other);
      assert.notEqual(a.port, b.port);
      assert.ok(a.port >= 5900 && b.port >= 5900);
      assert.match(a.host, /\S/);
      await d.destroy(other, [], true);
      assert.deepEqual(await d.listInstanceUuids(), [inst.uuid]);
    });

    it('gives no VNC server to VMs built while [vnc] enabled is off', async () => {
      const novnc = driverFor(sim, { 'vnc.enabled': 'false' });
      novnc.setImageService(images.service);
      await novnc.initHost('h');
      const quiet = instance();
      try {
        await novnc.spawn({ instance: quiet, image_meta: rawImage('img1', image) });
        await assert.rejects(novnc.getVncConsole(quiet), (e: Error) => e instanceof ConsoleTypeUnavailable && /VNC is not enabled/.test(e.message));
      } finally {
        await novnc.destroy(quiet, [], true);
        await novnc.cleanupHost();
      }
    });

    it('powers off and on, reboots soft (hard when Tools do not run) and hard, suspends and resumes', async () => {
      await d.powerOff(inst);
      assert.equal((await d.getInfo(inst)).state, PowerState.SHUTDOWN);
      await d.powerOff(inst); // already off: fine
      await d.powerOn(inst);
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
      await d.reboot(inst, [], 'SOFT');
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
      await d.reboot(inst, [], 'HARD');
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
      await d.suspend(inst);
      assert.equal((await d.getInfo(inst)).state, PowerState.SUSPENDED);
      await d.resume(inst, []);
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
    });

    it('refuses pause, rescue, console output and SPICE with 501 VirtDriverNotImplemented', async () => {
      assert.equal(d.capabilities.supports_pause, false);
      for (const call of [() => d.pause(), () => d.unpause(), () => d.rescue(), () => d.getConsoleOutput(), () => d.getSpiceConsole()]) {
        await assert.rejects(call(), (e: Error) => e instanceof VirtDriverNotImplemented && (e as unknown as { code: number }).code === 501);
      }
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
    });

    it('snapshots the root disk into an image: the same bytes as the image it booted from', async () => {
      const chunks: Buffer[] = [];
      let meta: { disk_format: string; container_format: string; size?: number } | undefined;
      await d.snapshot(inst, {
        image_id: 'snap1',
        upload: async (data, m) => {
          meta = m;
          for await (const c of data as AsyncIterable<Buffer>) chunks.push(c);
        },
      });
      const got = Buffer.concat(chunks);
      assert.deepEqual(meta, { disk_format: 'raw', container_format: 'bare', size: got.length });
      // The flat extent is whole KiB: the image's bytes, then zeros.
      assert.equal(got.length, 5120);
      assert.ok(got.subarray(0, image.length).equals(image));
      assert.ok(got.subarray(image.length).every((b) => b === 0));
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
    });

    it('resizes by reconfiguring memory, vCPUs and growing the disk; revert restores memory and vCPUs', async () => {
      const bigger = flavor('m1.small', 1024, 2, 2);
      const info = await d.migrateDiskAndPowerOff(inst, { dest_host: 'h' }, bigger, []);
      assert.equal((await d.getInfo(inst)).state, PowerState.SHUTDOWN);
      const resized = { ...inst, flavor: bigger };
      await d.finishMigration(resized, info, rawImage('img1', image), true, true, []);
      let p = await vmState();
      assert.equal(Number(p['config.hardware.memoryMB']), 1024);
      assert.equal(Number(p['config.hardware.numCPU']), 2);
      assert.equal(await diskKb(), 2 * 1024 * 1024);
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
      // Revert: the destination's destroy leaves the (same) VM alone, the source reconfigures back.
      await d.destroy({ ...resized, task_state: 'resize_reverting' }, [], true);
      assert.equal(await d.instanceExists(inst), true);
      await d.finishRevertMigration(inst, [], true);
      p = await vmState();
      assert.equal(Number(p['config.hardware.memoryMB']), 512);
      assert.equal(Number(p['config.hardware.numCPU']), 1);
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
    });

    it('refuses to shrink the root disk before touching the VM', async () => {
      const tiny = flavor('tiny', 256, 1, 1);
      await assert.rejects(d.migrateDiskAndPowerOff(inst, { dest_host: 'h' }, tiny, []), (e: Error) => e instanceof ResizeError && /Resize error: Unable to shrink disk/.test(e.message));
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
    });

    it('refuses images it cannot boot (qcow2) before creating anything', async () => {
      const q = instance();
      await assert.rejects(d.spawn({ instance: q, image_meta: { ...rawImage('img1', image), disk_format: 'qcow2' } }),
        (e: Error) => e instanceof ImageUnacceptable && /disk_format 'qcow2'/.test(e.message));
      assert.equal(await d.instanceExists(q), false);
    });

    it('refuses an image larger than the flavor\'s root disk before creating anything', async () => {
      const big = instance();
      await assert.rejects(d.spawn({ instance: big, image_meta: { ...rawImage('img1', image), size: 3 * 2 ** 30 } }), /Flavor's disk is too small for requested image/);
      assert.equal(await d.instanceExists(big), false);
    });

    it('removes a half-built VM when the image download fails', async () => {
      const broken = instance();
      await assert.rejects(d.spawn({ instance: broken, image_meta: rawImage('missing', Buffer.alloc(2048)) }), /no image missing/);
      assert.equal(await d.instanceExists(broken), false);
      assert.deepEqual(await d.listInstanceUuids(), [inst.uuid]);
    });

    it('destroys the VM and its folder; destroying again is fine; then operations say InstanceNotFound', async () => {
      const files = (d as unknown as { files: { exists(p: unknown, ds: string, path: string): Promise<boolean> } }).files;
      const place = (d as unknown as { placement: unknown }).placement;
      assert.equal(await files.exists(place, 'LocalDS_0', `${inst.uuid}/${inst.uuid}.vmdk`), true);
      await d.destroy(inst, [], true);
      assert.equal(await files.exists(place, 'LocalDS_0', `${inst.uuid}/${inst.uuid}.vmdk`), false);
      assert.equal(await files.exists(place, 'LocalDS_0', 'vmware_base/img1/img1-flat.vmdk'), true); // the image cache stays
      assert.equal(await d.instanceExists(inst), false);
      assert.deepEqual(await d.listInstanceUuids(), []);
      await d.destroy(inst, [], true);
      await assert.rejects(d.getInfo(inst), /Instance .* could not be found/);
      await assert.rejects(d.powerOn(inst, []), /could not be found/);
    });

    it('removes cached images no instance uses, once old enough', async () => {
      const files = (d as unknown as { files: { exists(p: unknown, ds: string, path: string): Promise<boolean> } }).files;
      const place = (d as unknown as { placement: unknown }).placement;
      const cached = () => files.exists(place, 'LocalDS_0', 'vmware_base/img1/img1-flat.vmdk');
      await d.manageImageCache([]); // default minimum age: a day
      assert.equal(await cached(), true);
      const eager = driverFor(sim, { remove_unused_original_minimum_age_seconds: '0' });
      await eager.initHost('h');
      try {
        await eager.manageImageCache(['img1']);
        assert.equal(await cached(), true);
        await eager.manageImageCache(['other']);
        assert.equal(await cached(), false);
      } finally {
        await eager.cleanupHost();
      }
    });
  });
});
