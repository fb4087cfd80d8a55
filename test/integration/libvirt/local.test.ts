import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PowerState } from '../../../src/compute/power_state';
import { DriverInstance, ImageMeta } from '../../../src/drivers/driver';
import { LibvirtDriver } from '../../../src/drivers/libvirt';
import { baseName } from '../../../src/drivers/libvirt/image_cache';
import { LibvirtError } from '../../../src/drivers/libvirt/virsh';
import { nullLogger } from '../../../src/lib/log';
import { driverInstance, FileImageService, flavor, libvirtConf, registerTestGuest, snapshotTarget } from '../../helpers/libvirt';
import { consoleStory, greeting, libvirtUnavailable, MARKER, qemuImgInfo, virshAllNames, waitForBoots } from './support';

const GIB = 1024 ** 3;

/**
 * The libvirt driver on real QEMU guests (virt_type=qemu) on this host: one small guest (128 MiB,
 * direct kernel boot of the test image) taken through its whole life, one at a time.
 */
describe('libvirt driver on QEMU, this host', function () {
  this.timeout(300_000);
  let dir: string;
  let images: FileImageService;
  let driver: LibvirtDriver;
  let root: ImageMeta;
  let inst: DriverInstance;
  const instDir = () => path.join(dir, 'instances', inst.uuid);

  before(async function () {
    const why = libvirtUnavailable();
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-lv-'));
    fs.chmodSync(dir, 0o755); // QEMU runs as libvirt-qemu and must reach the disks
    images = new FileImageService();
    root = images.meta(registerTestGuest(images).root.id);
    driver = new LibvirtDriver(libvirtConf({
      instances_path: path.join(dir, 'instances'), remove_unused_original_minimum_age_seconds: '0', 'spice.enabled': 'true',
      'vnc.server_proxyclient_address': '127.0.0.9', 'libvirt.wait_soft_reboot_seconds': '60',
    }), nullLogger);
    driver.setImageService(async () => images);
    await driver.initHost('local-host');
    inst = driverInstance(root, { flavor: flavor({ root_gb: 1, ephemeral_gb: 1, swap: 32 }) });
  });

  after(async () => {
    if (!driver) return;
    if (inst) await driver.destroy(inst, [], true).catch(() => undefined);
    await driver.cleanupHost();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('spawns a guest that boots and prints its marker with the instance uuid', async () => {
    await driver.spawn({ instance: inst, image_meta: root });
    assert.equal((await driver.getInfo(inst)).state, PowerState.RUNNING);
    const out = await waitForBoots(driver, inst, 1);
    assert.match(out, new RegExp(`${MARKER} ${inst.uuid}`));
    assert.ok(virshAllNames().includes(inst.name));
    assert.deepEqual(await driver.listInstanceUuids().then((u) => u.includes(inst.uuid)), true);
    const disk = qemuImgInfo(path.join(instDir(), 'disk'));
    assert.equal(disk.format, 'qcow2');
    assert.equal(disk['virtual-size'], 1 * GIB);
    assert.equal(disk['backing-filename'], path.join(dir, 'instances', '_base', baseName(root.id)));
    assert.equal(qemuImgInfo(path.join(instDir(), 'disk.local'))['virtual-size'], 1 * GIB);
    assert.equal(qemuImgInfo(path.join(instDir(), 'disk.swap'))['virtual-size'], 32 * 1024 ** 2);
    assert.match(fs.readFileSync(path.join(instDir(), 'libvirt.xml'), 'utf8'), /<kernel>.*\/kernel<\/kernel>/);
  });

  it('reports VNC and SPICE consoles that answer, and the host resources', async () => {
    const vnc = await driver.getVncConsole(inst);
    assert.equal(vnc.host, '127.0.0.9');
    assert.match(await greeting(vnc.port), /^RFB 003\.00\d/);
    const spice = await driver.getSpiceConsole(inst);
    assert.ok(spice.port >= 5900 && spice.port !== vnc.port);
    const r = await driver.getAvailableResource('n');
    assert.equal(r.hypervisor_type, 'QEMU');
    assert.ok(r.hypervisor_version > 7_000_000, String(r.hypervisor_version));
    assert.ok(r.vcpus >= 1 && r.memory_mb > 0 && r.local_gb > 0 && r.vcpus_used >= 1);
    assert.equal((r.cpu_info as { arch: string }).arch, 'x86_64');
    assert.deepEqual(await driver.getAvailableNodes(), [r.hypervisor_hostname]);
    assert.match(await driver.getHostUptime(), /up .*load average/);
  });

  it('soft reboot: the guest shuts down on ACPI and boots again', async () => {
    await driver.reboot(inst, [], 'SOFT');
    const out = await waitForBoots(driver, inst, 2);
    assert.equal(consoleStory(out), 'BAB', 'a boot, a clean ACPI power-down, a boot');
  });

  it('hard reboot: a new QEMU process, no ACPI shutdown', async () => {
    const before = (await driver.getInfo(inst)).id;
    await driver.reboot(inst, [], 'HARD');
    const out = await waitForBoots(driver, inst, 3);
    assert.notEqual((await driver.getInfo(inst)).id, before);
    assert.equal(consoleStory(out), 'BABB');
  });

  it('pause and unpause', async () => {
    await driver.pause(inst);
    assert.equal((await driver.getInfo(inst)).state, PowerState.PAUSED);
    await driver.unpause(inst);
    assert.equal((await driver.getInfo(inst)).state, PowerState.RUNNING);
  });

  it('suspend keeps memory (managed save) and resume continues without a boot', async () => {
    await driver.suspend(inst);
    assert.equal((await driver.getInfo(inst)).state, PowerState.SUSPENDED);
    assert.equal(execFileSync('virsh', ['-c', 'qemu:///system', 'domstate', '--reason', inst.name], { encoding: 'utf8' }).trim(), 'shut off (saved)');
    await driver.resume(inst, []);
    assert.equal((await driver.getInfo(inst)).state, PowerState.RUNNING);
    // The guest answers ACPI again (it is alive), and it did not boot on resume.
    await driver.powerOff(inst, 60, 5);
    assert.equal((await driver.getInfo(inst)).state, PowerState.SHUTDOWN);
    assert.equal(consoleStory(await driver.getConsoleOutput(inst)), 'BABBA');
  });

  it('power on boots it again', async () => {
    await driver.powerOn(inst, []);
    assert.equal((await driver.getInfo(inst)).state, PowerState.RUNNING);
    await waitForBoots(driver, inst, 4);
  });

  it('snapshot uploads a standalone qcow2 of the root disk and leaves the guest running', async () => {
    const target = snapshotTarget();
    await driver.snapshot(inst, target);
    assert.equal(target.meta?.disk_format, 'qcow2');
    const file = path.join(dir, 'snap.qcow2');
    fs.writeFileSync(file, target.data!);
    assert.equal(target.meta?.size, target.data!.length);
    const info = qemuImgInfo(file);
    assert.equal(info.format, 'qcow2');
    assert.equal(info['virtual-size'], 1 * GIB);
    assert.equal(info['backing-filename'], undefined);
    assert.equal((await driver.getInfo(inst)).state, PowerState.RUNNING);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'instances', 'snapshots')), [], 'the temporary file is gone');
  });

  it('rescue boots the rescue image with the root disk second; unrescue restores the domain', async () => {
    await driver.rescue(inst, [], root, null);
    const xml = fs.readFileSync(path.join(instDir(), 'libvirt.xml'), 'utf8');
    assert.match(xml, /disk\.rescue'\/>\s*<target dev='vda'[\s\S]*\/disk'\/>\s*<target dev='vdb'/);
    assert.ok(fs.existsSync(path.join(instDir(), 'unrescue.xml')));
    await waitForBoots(driver, inst, 5);
    await assert.rejects(driver.rescue(inst, [], root, null), /already in rescue mode/);
    await driver.unrescue(inst, []);
    assert.ok(!fs.existsSync(path.join(instDir(), 'unrescue.xml')) && !fs.existsSync(path.join(instDir(), 'disk.rescue')));
    assert.match(fs.readFileSync(path.join(instDir(), 'libvirt.xml'), 'utf8'), /\/disk'\/>\s*<target dev='vda'/);
    await waitForBoots(driver, inst, 6);
  });

  it('resize on this host grows the root disk; confirm drops the old copy', async () => {
    const bigger = flavor({ root_gb: 2, ephemeral_gb: 1, swap: 32, name: 'm1.bigger' });
    const info = await driver.migrateDiskAndPowerOff(inst, { dest_host: 'local-host' }, bigger, []);
    assert.ok(fs.existsSync(`${instDir()}_resize`));
    inst = { ...inst, flavor: bigger };
    await driver.finishMigration(inst, info, root, true, true);
    assert.equal(qemuImgInfo(path.join(instDir(), 'disk'))['virtual-size'], 2 * GIB);
    assert.match(fs.readFileSync(path.join(instDir(), 'libvirt.xml'), 'utf8'), /<nova:flavor name="m1.bigger">/);
    await waitForBoots(driver, inst, 7);
    await driver.confirmMigration(inst, []);
    assert.ok(!fs.existsSync(`${instDir()}_resize`));
    assert.equal((await driver.getInfo(inst)).state, PowerState.RUNNING);
    await assert.rejects(driver.migrateDiskAndPowerOff(inst, { dest_host: 'local-host' }, flavor({ root_gb: 1 }), []), /Unable to resize disk down/);
  });

  it('rebuild makes fresh disks from the image and boots', async () => {
    await driver.rebuild({ instance: inst, image_meta: root });
    const out = await waitForBoots(driver, inst, 1);
    assert.equal(consoleStory(out), 'B', 'a fresh console log');
    assert.equal(qemuImgInfo(path.join(instDir(), 'disk'))['virtual-size'], 2 * GIB);
  });

  it('destroy leaves no domain and no files; the cache cleanup then removes the bases', async () => {
    await driver.destroy(inst, [], true);
    assert.ok(!virshAllNames().includes(inst.name));
    assert.ok(!fs.existsSync(instDir()));
    assert.equal(await driver.instanceExists(inst), false);
    const base = path.join(dir, 'instances', '_base');
    assert.ok(fs.readdirSync(base).includes(baseName(root.id)));
    await driver.manageImageCache([]);
    assert.deepEqual(fs.readdirSync(base), []);
  });

  it('a guest that cannot start raises libvirt\'s message and leaks nothing', async () => {
    const junk = images.add('junk-kernel', Buffer.from('this is not a kernel\n'.repeat(100)), { disk_format: 'aki', container_format: 'aki' });
    const guest = images.meta(registerTestGuest(images).root.id);
    guest.properties = { ...guest.properties, kernel_id: junk.id };
    const broken = driverInstance(guest, { kernel_id: junk.id });
    await assert.rejects(driver.spawn({ instance: broken, image_meta: guest }), (e: Error) => {
      assert.ok(e instanceof LibvirtError, e.stack);
      assert.match(e.message, /libvirt start failed on qemu:\/\/\/system: .*(kernel|qemu)/i);
      return true;
    });
    assert.ok(!virshAllNames().includes(broken.name));
    assert.ok(!fs.existsSync(path.join(dir, 'instances', broken.uuid)));
  });
});
