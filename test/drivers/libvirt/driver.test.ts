import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FlavorDiskSmallerThanImage, ImageChecksumMismatch, ImageUnacceptable, InstanceNotFound } from '../../../src/exception';
import { LibvirtDriver } from '../../../src/drivers/libvirt';
import { baseName } from '../../../src/drivers/libvirt/image_cache';
import { LibvirtError } from '../../../src/drivers/libvirt/virsh';
import { nullLogger } from '../../../src/lib/log';
import { driverInstance, FileImageService, flavor, haveVirsh, libvirtConf } from '../../helpers/libvirt';

/**
 * The driver's failure paths on libvirt's built-in test driver (no daemon, no guest): every virsh
 * call there starts from an empty host, so a domain defined by one call is gone in the next, which
 * is exactly "the domain vanished". Disks and the image cache are real files made with qemu-img.
 */
describe('libvirt/driver failure paths (test:///default)', () => {
  let dir: string;
  let images: FileImageService;
  let driver: LibvirtDriver;
  let rootFile: string;
  const ls = (p: string) => (fs.existsSync(p) ? fs.readdirSync(p).sort() : []);

  before(function () {
    if (!haveVirsh()) this.skip();
    try { execFileSync('qemu-img', ['--version'], { stdio: 'ignore' }); } catch { this.skip(); }
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvdrv-'));
    rootFile = path.join(dir, 'root.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', rootFile, '16M']);
    images = new FileImageService();
    driver = new LibvirtDriver(libvirtConf({ instances_path: path.join(dir, 'instances'), 'libvirt.connection_uri': 'test:///default', remove_unused_original_minimum_age_seconds: '0' }), nullLogger);
    driver.setImageService(async () => images);
    await driver.initHost('h1');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const instances = () => path.join(dir, 'instances');

  it('a domain that vanishes after define: libvirt\'s message, and no domain or disks left', async () => {
    const img = images.add('root', rootFile, { disk_format: 'qcow2' });
    const inst = driverInstance(images.meta(img.id));
    await assert.rejects(driver.spawn({ instance: inst, image_meta: images.meta(img.id) }),
      (e: Error) => e instanceof LibvirtError && e.message.includes(`failed to get domain '${inst.name}'`));
    assert.deepEqual(ls(instances()), ['_base']);
    assert.deepEqual(ls(path.join(instances(), '_base')), [baseName(img.id)], 'the verified base stays cached');
    assert.equal(await driver.instanceExists(inst), false);
  });

  it('a definition libvirt refuses: its reason, nothing left', async () => {
    const img = images.add('root', rootFile, { disk_format: 'qcow2', properties: { hw_architecture: 'bogus' } });
    const inst = driverInstance(images.meta(img.id));
    await assert.rejects(driver.spawn({ instance: inst, image_meta: images.meta(img.id) }), /libvirt define failed on test:\/\/\/default: .*Unknown architecture bogus/);
    assert.deepEqual(ls(instances()), ['_base']);
  });

  it('an image whose data does not match its checksum is refused and not cached', async () => {
    const img = images.add('root', rootFile, { disk_format: 'qcow2', checksum: '0'.repeat(32) });
    await assert.rejects(driver.spawn({ instance: driverInstance(images.meta(img.id)), image_meta: images.meta(img.id) }),
      (e: Error) => e instanceof ImageChecksumMismatch && /downloaded with md5 [0-9a-f]{32} but the image service records 0{32}/.test(e.message));
    assert.deepEqual(ls(path.join(instances(), '_base')), []);
    assert.deepEqual(ls(instances()), ['_base']);
  });

  it('an image that is not what its disk_format says, or has a backing file, is refused', async () => {
    const raw = path.join(dir, 'raw.img');
    fs.writeFileSync(raw, Buffer.alloc(1024 * 1024));
    const liar = images.add('liar', raw, { disk_format: 'qcow2' });
    await assert.rejects(driver.spawn({ instance: driverInstance(images.meta(liar.id)), image_meta: images.meta(liar.id) }),
      (e: Error) => e instanceof ImageUnacceptable && /disk_format is qcow2 but the data is raw/.test(e.message));
    const overlay = path.join(dir, 'overlay.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', rootFile, '-F', 'qcow2', overlay]);
    const backed = images.add('backed', overlay, { disk_format: 'qcow2' });
    await assert.rejects(driver.spawn({ instance: driverInstance(images.meta(backed.id)), image_meta: images.meta(backed.id) }), /has a backing file/);
    assert.deepEqual(ls(path.join(instances(), '_base')), []);
  });

  it('a flavor disk smaller than the image is refused before anything is defined', async () => {
    const big = path.join(dir, 'big.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', big, '2G']);
    const img = images.add('big', big, { disk_format: 'qcow2' });
    await assert.rejects(driver.spawn({ instance: driverInstance(images.meta(img.id), { flavor: flavor({ root_gb: 1 }) }), image_meta: images.meta(img.id) }),
      (e: Error) => e instanceof FlavorDiskSmallerThanImage && /Flavor disk is 1073741824 bytes, image is 2147483648 bytes/.test(e.message));
    assert.deepEqual(ls(instances()), ['_base']);
  });

  it('operations on a missing domain raise InstanceNotFound; destroy succeeds and removes files', async () => {
    const inst = driverInstance({ id: 'x', properties: {} });
    for (const op of [() => driver.getInfo(inst), () => driver.powerOff(inst, 0), () => driver.reboot(inst, [], 'SOFT'),
      () => driver.getConsoleOutput(inst), () => driver.pause(inst), () => driver.suspend(inst), () => driver.getVncConsole(inst)]) {
      await assert.rejects(op(), InstanceNotFound);
    }
    fs.mkdirSync(path.join(instances(), inst.uuid));
    fs.mkdirSync(path.join(instances(), `${inst.uuid}_resize`));
    await driver.destroy(inst, [], true);
    await driver.destroy(inst, [], true);
    assert.deepEqual(ls(instances()), ['_base']);
  });

  it('without an image service, spawn says who must provide it', async () => {
    const d = new LibvirtDriver(libvirtConf({ instances_path: instances(), 'libvirt.connection_uri': 'test:///default' }), nullLogger);
    await d.initHost('h');
    const inst = driverInstance({ id: 'img', properties: {} });
    await assert.rejects(d.spawn({ instance: inst, image_meta: { id: 'img', properties: {} } }), /setImageService/);
  });

  it('image cache cleanup keeps bases that disks record and removes the rest', async () => {
    const base = path.join(instances(), '_base');
    for (const f of [baseName('used-by-disk'), baseName('used-by-list'), 'swap_64', baseName('kernel-k'), 'ephemeral_1_ext4', baseName('unused'), 'swap_128']) {
      fs.writeFileSync(path.join(base, f), 'x');
    }
    const idir = path.join(instances(), 'some-uuid_resize');
    fs.mkdirSync(idir);
    fs.writeFileSync(path.join(idir, 'disk.info'), JSON.stringify({
      image_id: 'used-by-disk', kernel_id: 'kernel-k', ramdisk_id: null,
      disks: [{ file: 'disk', format: 'qcow2', base: baseName('used-by-disk'), baseFormat: 'raw', size: 1 }, { file: 'disk.swap', format: 'qcow2', base: 'swap_64', baseFormat: 'raw', size: 1 }],
    }));
    await driver.manageImageCache(['used-by-list']);
    assert.deepEqual(ls(base), [baseName('used-by-disk'), baseName('used-by-list'), baseName('kernel-k'), 'swap_64'].sort());
  });

  it('image cache cleanup leaves unused bases younger than the minimum age', async () => {
    const d = new LibvirtDriver(libvirtConf({ instances_path: instances(), 'libvirt.connection_uri': 'test:///default' }), nullLogger);
    fs.writeFileSync(path.join(instances(), '_base', 'swap_64'), 'x');
    await d.manageImageCache([]);
    assert.deepEqual(ls(path.join(instances(), '_base')), ['swap_64']);
  });

  it('initHost refuses kvm on a CPU without hardware virtualization, and an unreachable SSH host', async function () {
    const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8');
    if (!/^flags\s*:.*\b(vmx|svm)\b/m.test(cpu)) {
      const kvm = new LibvirtDriver(libvirtConf({ instances_path: instances(), 'libvirt.virt_type': 'kvm', 'libvirt.connection_uri': 'test:///default' }), nullLogger);
      await assert.rejects(kvm.initHost('h'), /virt_type = kvm but the CPU of .* has no vmx\/svm flag .*set \[libvirt\] virt_type = qemu/);
    }
    const key = path.join(dir, 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const remote = new LibvirtDriver(libvirtConf({ instances_path: '/srv/x', 'libvirt.connection_uri': 'qemu+ssh://root@127.0.0.1:1/system', 'libvirt.ssh_private_key': key }), nullLogger);
    await assert.rejects(remote.initHost('h'), /cannot reach libvirt at qemu:\/\/\/system via ssh:\/\/root@127\.0\.0\.1:1: cannot connect to ssh:\/\/root@127\.0\.0\.1:1: .*ECONNREFUSED/);
    await remote.cleanupHost();
  });
});
