import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInstanceDisks, DiskDeps } from '../../../src/drivers/libvirt/disks';
import { LocalExecutor } from '../../../src/drivers/libvirt/executor/local';
import { baseName, ImageCache } from '../../../src/drivers/libvirt/image_cache';
import { InstanceFiles } from '../../../src/drivers/libvirt/instance_files';
import { QemuImg } from '../../../src/drivers/libvirt/qemu_img';
import { nullLogger } from '../../../src/lib/log';
import { driverInstance, FileImageService, flavor } from '../../helpers/libvirt';

const GIB = 1024 ** 3;
const head = (f: string, n: number) => { const b = Buffer.alloc(n); const fd = fs.openSync(f, 'r'); fs.readSync(fd, b, 0, n, 0); fs.closeSync(fd); return b; };
const info = (f: string) => JSON.parse(execFileSync('qemu-img', ['info', '--output=json', f], { encoding: 'utf8' }));

/** Instance disks made from the image cache with real qemu-img, mkfs and mkswap on files. */
describe('libvirt/disks', () => {
  let dir: string;
  let images: FileImageService;
  const deps = (imagesType: 'qcow2' | 'raw', forceRaw = true): DiskDeps => {
    const exec = new LocalExecutor();
    const qemuImg = new QemuImg(exec);
    const cache = new ImageCache(exec, qemuImg, path.join(dir, 'inst', '_base'), forceRaw, nullLogger);
    cache.setImageService(async () => images);
    return { exec, qemuImg, cache, imagesType };
  };

  before(function () {
    for (const tool of ['qemu-img', 'mkswap', 'mkfs.ext4']) {
      try { execFileSync('which', [tool], { stdio: 'ignore' }); } catch { this.skip(); }
    }
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvdisks-'));
    images = new FileImageService();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function qcowImage(name: string, size: string) {
    const f = path.join(dir, `${name}.qcow2`);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', f, size]);
    return images.add(name, f, { disk_format: 'qcow2' });
  }

  it('qcow2: overlays on a raw base grown to root_gb, formatted ephemeral and swap bases, kernel copies, disk.info', async () => {
    const kernel = images.add('k', Buffer.from('kernel bytes'), { disk_format: 'aki' });
    const img = qcowImage('root', '64M');
    img.properties = { kernel_id: kernel.id };
    const files = new InstanceFiles(path.join(dir, 'inst'), 'u1');
    fs.mkdirSync(files.dir, { recursive: true });
    const inst = driverInstance(images.meta(img.id));
    const out = await createInstanceDisks(deps('qcow2'), files, inst, flavor({ root_gb: 1, ephemeral_gb: 1, swap: 16 }), images.meta(img.id));
    const base = path.join(dir, 'inst', '_base', baseName(img.id));
    assert.equal(info(base).format, 'raw', 'force_raw_images converts the base');
    assert.deepEqual(out.disks.map((d) => [path.basename(d.path), d.format]), [['disk', 'qcow2'], ['disk.local', 'qcow2'], ['disk.swap', 'qcow2']]);
    assert.equal(info(files.disk)['virtual-size'], 1 * GIB);
    assert.equal(info(files.disk)['backing-filename'], base);
    assert.equal(info(files.ephemeral)['backing-filename'], path.join(dir, 'inst', '_base', 'ephemeral_1_ext4'));
    const ext4 = head(path.join(dir, 'inst', '_base', 'ephemeral_1_ext4'), 2048);
    assert.equal(ext4.readUInt16LE(1024 + 56), 0xef53, 'ext4 superblock magic');
    assert.equal(ext4.subarray(1024 + 120, 1024 + 130).toString('latin1'), 'ephemeral0');
    assert.equal(head(path.join(dir, 'inst', '_base', 'swap_16'), 4096).subarray(4086).toString('latin1'), 'SWAPSPACE2');
    assert.equal(fs.readFileSync(files.kernel, 'utf8'), 'kernel bytes');
    assert.equal(out.kernel, files.kernel);
    assert.equal(out.ramdisk, null);
    const recorded = JSON.parse(fs.readFileSync(files.diskInfo, 'utf8'));
    assert.equal(recorded.image_id, img.id);
    assert.equal(recorded.kernel_id, kernel.id);
    assert.deepEqual(recorded.disks.map((d: { file: string; base: string }) => [d.file, d.base]), [['disk', baseName(img.id)], ['disk.local', 'ephemeral_1_ext4'], ['disk.swap', 'swap_16']]);
  });

  it('raw (images_type=raw): full raw copies of the flavor size, no backing file; qcow2 bases kept with force_raw_images=false', async () => {
    const img = qcowImage('root', '64M');
    const files = new InstanceFiles(path.join(dir, 'inst'), 'u2');
    fs.mkdirSync(files.dir, { recursive: true });
    await createInstanceDisks(deps('raw', false), files, driverInstance(images.meta(img.id)), flavor({ root_gb: 1 }), images.meta(img.id));
    const disk = info(files.disk);
    assert.equal(disk.format, 'raw');
    assert.equal(disk['virtual-size'], 1 * GIB);
    assert.equal(disk['backing-filename'], undefined);
    assert.equal(info(path.join(dir, 'inst', '_base', baseName(img.id))).format, 'qcow2');
  });

  it('root_gb 0 takes the image size; the base is fetched once for two instances', async () => {
    const img = qcowImage('root', '64M');
    const d = deps('qcow2');
    let downloads = 0;
    const original = images.download.bind(images);
    images.download = async (ctx, id) => { downloads++; return original(ctx, id); };
    await Promise.all(['a', 'b'].map(async (u) => {
      const files = new InstanceFiles(path.join(dir, 'inst'), u);
      fs.mkdirSync(files.dir, { recursive: true });
      await createInstanceDisks(d, files, driverInstance(images.meta(img.id)), flavor({ root_gb: 0 }), images.meta(img.id));
      assert.equal(info(files.disk)['virtual-size'], 64 * 1024 ** 2);
    }));
    assert.equal(downloads, 1);
  });
});
