import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { PowerState } from '../../../src/compute/power_state';
import { loadConfig } from '../../../src/conf/loader';
import { FlavorCopy } from '../../../src/db/models/instance';
import { DriverInstance, ImageMeta } from '../../../src/drivers/driver';
import { XenAPIDriver } from '../../../src/drivers/xenapi';
import { ImageUnacceptable, VirtDriverNotImplemented } from '../../../src/exception';
import type { ImageService } from '../../../src/image/api';
import { nullLogger } from '../../../src/lib/log';
import { selfSignedCert } from '../../helpers/tls_cert';
import { startXapiDouble, XapiDouble } from '../../helpers/xapi_double';

const flavor = (name: string, memory_mb: number, vcpus: number, root_gb: number): FlavorCopy =>
  ({ id: memory_mb, flavorid: name, name, memory_mb, vcpus, root_gb, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null, extra_specs: {} });

let seq = 0;
function instance(over: Partial<DriverInstance> = {}): DriverInstance {
  seq++;
  return {
    uuid: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, name: `instance-${seq.toString(16).padStart(8, '0')}`, display_name: `vm-${seq}`,
    hostname: null, project_id: 'p', user_id: 'u', flavor: flavor('small', 256, 1, 0), image_ref: 'img', kernel_id: null, ramdisk_id: null,
    key_data: null, user_data: null, metadata: {}, network_info: [], power_state: 0, vm_state: 'building', task_state: null, host: 'h', node: null, ...over,
  };
}

/** The XenAPI driver against a XAPI test double (no real XAPI host can run here). */
describe('drivers/xenapi driver (against a XAPI test double)', function () {
  this.timeout(30000);
  let xapi: XapiDouble;
  let d: XenAPIDriver;
  const image = Buffer.alloc(3000);
  for (let i = 0; i < image.length; i++) image[i] = (i * 11) % 256;
  const meta: ImageMeta = { id: 'img', disk_format: 'raw', container_format: 'bare', size: image.length, properties: {} };
  const driver = (extra: Record<string, string> = {}) => new XenAPIDriver(loadConfig({
    overrides: { 'xenserver.connection_url': xapi.url, 'xenserver.connection_password': 'xen<&>pw', ...extra },
  }).conf, nullLogger);

  before(async () => {
    xapi = await startXapiDouble();
    d = driver();
    d.setImageService(async () => ({ download: async () => Readable.from([image]) }) as unknown as ImageService);
    await d.initHost('h');
  });
  after(async () => { await d?.cleanupHost(); await xapi?.close(); });

  describe('connecting', () => {
    it('refuses a wrong password naming the endpoint and the options', async () => {
      await assert.rejects(driver({ 'xenserver.connection_password': 'nope' }).initHost('h'),
        new RegExp(`XAPI ${xapi.url}/: session.login_with_password failed: SESSION_AUTHENTICATION_FAILED login of user 'root' refused; check \\[xenserver\\] connection_username and connection_password`));
    });

    it('names an unreachable endpoint', async () => {
      await assert.rejects(driver({ 'xenserver.connection_url': 'http://127.0.0.1:1' }).initHost('h'), /XAPI http:\/\/127\.0\.0\.1:1\/ is unreachable \(ECONNREFUSED.*check \[xenserver\] connection_url/);
    });

    it('verifies an https endpoint\'s certificate and names the endpoint when it does not verify', async () => {
      const tls = selfSignedCert();
      const server = https.createServer({ key: tls.key, cert: tls.cert }, (_q, r) => r.end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as AddressInfo).port;
      try {
        await assert.rejects(driver({ 'xenserver.connection_url': `https://127.0.0.1:${port}` }).initHost('h'),
          new RegExp(`TLS certificate of XAPI https://127\\.0\\.0\\.1:${port}/ does not verify \\(DEPTH_ZERO_SELF_SIGNED_CERT`));
      } finally {
        server.close();
      }
    });

    it('logs in again when XAPI answers SESSION_INVALID', async () => {
      xapi.expireSessions();
      assert.deepEqual(await d.listInstanceUuids(), []);
      assert.equal(xapi.calls.filter((c) => c === 'session.login_with_password').length >= 2, true);
    });
  });

  it('reports the host: host_metrics memory, host_CPUs, the default SR, product version', async () => {
    assert.deepEqual(await d.getAvailableNodes(), ['xapi-double']);
    const r = await d.getAvailableResource('xapi-double');
    assert.equal(r.hypervisor_type, 'XenServer');
    assert.equal(r.hypervisor_version, 8002001);
    assert.equal(r.vcpus, 4);
    assert.equal(r.memory_mb, 16384);
    assert.equal(r.memory_mb_used, 1024); // the control domain
    assert.equal(r.local_gb, 500);
    assert.equal(r.host_ip, xapi.url.replace('http://', ''));
  });

  describe('an instance', () => {
    const inst = instance();
    const vmRec = () => [...xapi.vms.values()].find((v) => v.name_label === inst.name)!;

    it('spawns: VM.create from a record, the image imported raw into a VDI, a bootable VBD, started', async () => {
      await d.spawn({ instance: inst, image_meta: meta });
      const v = vmRec();
      assert.equal(v.power_state, 'Running');
      assert.equal(v.memory_static_max, String(256 * 1024 * 1024));
      assert.equal(v.VCPUs_max, '1');
      assert.deepEqual(v.other_config, { nova_uuid: inst.uuid });
      const [vdiRef] = [...xapi.vdis.entries()].find(([, x]) => x.name_label === `${inst.name}-root`)!;
      assert.ok(xapi.vdiData.get(vdiRef)!.equals(image));
      assert.equal((await d.getInfo(inst)).state, PowerState.RUNNING);
      assert.deepEqual(await d.listInstanceUuids(), [inst.uuid]);
      assert.deepEqual(await d.listInstances(), [inst.name]);
    });

    it('stops, starts, reboots, pauses, suspends and resumes', async () => {
      const state = async () => (await d.getInfo(inst)).state;
      await d.powerOff(inst); assert.equal(await state(), PowerState.SHUTDOWN);
      await d.powerOff(inst); // already off: fine
      await d.powerOn(inst); assert.equal(await state(), PowerState.RUNNING);
      await d.reboot(inst, [], 'SOFT'); await d.reboot(inst, [], 'HARD'); assert.equal(await state(), PowerState.RUNNING);
      await d.pause(inst); assert.equal(await state(), PowerState.PAUSED);
      await d.unpause(inst); assert.equal(await state(), PowerState.RUNNING);
      await d.suspend(inst); assert.equal(await state(), PowerState.SUSPENDED);
      await d.resume(inst); assert.equal(await state(), PowerState.RUNNING);
      assert.ok(xapi.calls.includes('VM.clean_reboot') && xapi.calls.includes('VM.hard_reboot'));
    });

    it('gives the VM\'s RFB console location with the session for the proxy', async () => {
      const c = await d.getVncConsole(inst);
      assert.equal(c.host, '127.0.0.1');
      assert.equal(c.port, Number(new URL(xapi.url).port));
      assert.match(c.internal_access_path!, /^\/console\?ref=OpaqueRef:[0-9a-f-]+&session_id=OpaqueRef:[0-9a-f-]+$/);
    });

    it('refuses rescue and console output with 501', async () => {
      for (const call of [() => d.rescue(inst), () => d.getConsoleOutput(inst), () => d.getSpiceConsole(inst)]) {
        await assert.rejects(call(), (e: Error) => e instanceof VirtDriverNotImplemented && (e as unknown as { code: number }).code === 501);
      }
    });

    it('snapshots through VM.snapshot and /export_raw_vdi, then removes the snapshot', async () => {
      const before = xapi.vms.size;
      const chunks: Buffer[] = [];
      await d.snapshot(inst, { image_id: 'snap', upload: async (data, m) => {
        assert.equal(m.disk_format, 'raw');
        for await (const c of data as AsyncIterable<Buffer>) chunks.push(c);
      } });
      const got = Buffer.concat(chunks);
      assert.equal(got.length, 1024 * 1024); // the whole (1 MiB) virtual disk
      assert.ok(got.subarray(0, image.length).equals(image));
      assert.ok(got.subarray(image.length).every((b) => b === 0));
      assert.equal(xapi.vms.size, before);
    });

    it('resizes memory, vCPUs and disk; reverts memory and vCPUs; refuses to shrink the disk', async () => {
      const big = flavor('big', 512, 2, 2);
      const info = await d.migrateDiskAndPowerOff(inst, { dest_host: 'h' }, big, []);
      assert.equal(vmRec().power_state, 'Halted');
      await d.finishMigration({ ...inst, flavor: big }, info, meta, true, true, []);
      let v = vmRec();
      assert.deepEqual([v.memory_static_max, v.VCPUs_max, v.VCPUs_at_startup, v.power_state], [String(512 * 2 ** 20), '2', '2', 'Running']);
      const root = [...xapi.vdis.values()].find((x) => x.name_label === `${inst.name}-root`)!;
      assert.equal(root.virtual_size, String(2 * 2 ** 30));
      await d.destroy({ ...inst, flavor: big, task_state: 'resize_reverting' }, [], true);
      await d.finishRevertMigration(inst, [], true);
      v = vmRec();
      assert.deepEqual([v.memory_static_max, v.VCPUs_max, v.VCPUs_at_startup, v.power_state], [String(256 * 2 ** 20), '1', '1', 'Running']);
      await assert.rejects(d.migrateDiskAndPowerOff(inst, { dest_host: 'h' }, flavor('tiny', 256, 1, 1), []), /Unable to shrink disk/);
      assert.equal(vmRec().power_state, 'Running');
    });

    it('destroys the VM and its disk; again is fine; then InstanceNotFound', async () => {
      await d.destroy(inst, [], true);
      assert.equal(vmRec(), undefined);
      assert.equal([...xapi.vdis.values()].some((x) => x.name_label === `${inst.name}-root`), false);
      await d.destroy(inst, [], true);
      await assert.rejects(d.getInfo(inst), /could not be found/);
    });
  });

  it('finds a guest by its nova_uuid when the instance name is unknown (a reaped guest), and removes it', async () => {
    const i = instance();
    await d.spawn({ instance: i, image_meta: meta });
    await d.destroy({ ...i, name: i.uuid }, [], true);
    assert.equal(await d.instanceExists(i), false);
  });

  it('refuses an image larger than the flavor\'s root disk before creating anything', async () => {
    const i = instance({ flavor: flavor('one', 256, 1, 1) });
    await assert.rejects(d.spawn({ instance: i, image_meta: { ...meta, size: 2 * 2 ** 30 } }), /Flavor's disk is too small for requested image/);
    assert.equal(await d.instanceExists(i), false);
  });

  it('refuses a non-raw image before creating anything', async () => {
    const i = instance();
    await assert.rejects(d.spawn({ instance: i, image_meta: { ...meta, disk_format: 'vhd' } }), (e: Error) => e instanceof ImageUnacceptable && /disk_format 'vhd'/.test(e.message));
    assert.equal(await d.instanceExists(i), false);
  });

  it('leaves nothing behind when XAPI refuses to start the VM (not enough memory)', async () => {
    const i = instance({ flavor: flavor('huge', 64 * 1024, 1, 0) });
    const vdisBefore = xapi.vdis.size;
    await assert.rejects(d.spawn({ instance: i, image_meta: meta }), /VM\.start failed: HOST_NOT_ENOUGH_FREE_MEMORY/);
    assert.equal(await d.instanceExists(i), false);
    assert.equal(xapi.vdis.size, vdisBefore);
  });
});
