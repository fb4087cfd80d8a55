import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeContext } from '../../../src/context';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { TEST_IMAGE_DIR } from '../../helpers/libvirt';
import { libvirtUnavailable, virshAllNames } from './support';

/**
 * A guest that cannot start (its kernel is junk) ends in ERROR through the whole boot path, with
 * libvirt's own message in the instance fault, and leaves no domain and no instance directory behind.
 */
describe('nova boot of a guest that cannot start, on libvirt/QEMU', function () {
  this.timeout(300_000);
  let cloud: TestCloud;
  let dir: string;

  before(async function () {
    const why = libvirtUnavailable();
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-boot-fail-'));
    fs.chmodSync(dir, 0o755);
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api'],
      overrides: { compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', instances_path: path.join(dir, 'instances'), 'scheduler.max_attempts': '1' },
    });
  });
  after(async () => {
    await cloud?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends in ERROR with libvirt\'s message in the fault, and leaks nothing', async () => {
    const images = await cloud.rt.imageService();
    const ctx = makeContext({ auth_token: 'admin:admin', roles: ['admin'], project_id: 'admin' });
    const upload = async (name: string, data: Buffer | fs.ReadStream, meta: Record<string, unknown>) => {
      const img = await images.create(ctx, { name, visibility: 'public', ...meta } as never);
      await images.upload(ctx, img.id, data);
      return img.id;
    };
    const kernel = await upload('junk-kernel', Buffer.from('this is not a kernel\n'.repeat(100)), { disk_format: 'aki', container_format: 'aki' });
    const ramdisk = await upload('ramdisk', fs.createReadStream(path.join(TEST_IMAGE_DIR, 'initrd.gz')), { disk_format: 'ari', container_format: 'ari' });
    const root = await upload('broken-guest', fs.createReadStream(path.join(TEST_IMAGE_DIR, 'root.qcow2')), {
      disk_format: 'qcow2', container_format: 'bare', properties: { kernel_id: kernel, ramdisk_id: ramdisk },
    });
    const flavor = (await cloud.request('POST', '/flavors', { body: { flavor: { name: 'broken.tiny', ram: 128, vcpus: 1, disk: 1 } } })).body.flavor.id;
    const r = await cloud.request('POST', '/servers', { version: '2.96', body: { server: { name: 'broken', imageRef: root, flavorRef: flavor, networks: 'none' } } });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = r.body.server.id as string;
    const server = await waitFor(async () => {
      const s = (await cloud.request('GET', `/servers/${id}`, { version: '2.96' })).body.server;
      return s.status === 'ERROR' ? s : undefined;
    }, 240_000, 'server in ERROR');
    // The driver's error carries libvirt's own text after the URI it was talking to.
    assert.match(server.fault.message, /libvirt start failed on qemu:\/\/\/system: (internal )?error/i, JSON.stringify(server.fault));
    assert.ok(!virshAllNames().includes(server['OS-EXT-SRV-ATTR:instance_name']), 'domain left behind');
    assert.ok(!fs.existsSync(path.join(dir, 'instances', id)), 'instance directory left behind');
  });
});
