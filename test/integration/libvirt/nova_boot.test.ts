import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeContext } from '../../../src/context';
import { baseName } from '../../../src/drivers/libvirt/image_cache';
import { openrcEnv, startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { uploadTestGuest } from '../../helpers/libvirt';
import { nova } from '../../helpers/run_command';
import { serverCli } from './server_cli';
import { libvirtUnavailable, MARKER, virshAllNames } from './support';

/**
 * The libvirt issue's end-to-end check: `nova boot` through the whole cloud (Keystone, Glance, API,
 * conductor, scheduler, compute with libvirt.LibvirtDriver on QEMU) starts a real guest whose console
 * shows the marker it printed; the guest goes through reboot, stop/start, pause, suspend, resize and
 * createImage; `nova delete` leaves no domain, disk or cache entry behind (checked through virsh).
 */
describe('nova boot on libvirt/QEMU, end to end', function () {
  this.timeout(600_000);
  let cloud: TestCloud;
  let env: Record<string, string>;
  let dir: string;
  let rootImageId = '';
  let serverId = '';

  const { run, show, waitStatus, consoleLog } = serverCli(() => env, () => serverId);
  const boots = async () => (await consoleLog()).split(`${MARKER} ${serverId}`).length - 1;

  before(async function () {
    const why = libvirtUnavailable();
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-boot-lv-'));
    fs.chmodSync(dir, 0o755); // QEMU runs as libvirt-qemu and must reach the disks
    cloud = await startCloud({
      auth: 'keystone',
      daemons: ['identity', 'image', 'conductor', 'scheduler', 'compute', 'api'],
      overrides: {
        compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', instances_path: path.join(dir, 'instances'),
        // libvirtd is shared with other test runs, whose clouds also number instances from 1.
        instance_name_template: `e2e${process.pid}-%08x`,
        remove_unused_original_minimum_age_seconds: '0', image_cache_manager_interval: '0', 'libvirt.wait_soft_reboot_seconds': '60', periodic_interval: '5',
      },
    });
    env = openrcEnv(cloud);
    rootImageId = await uploadTestGuest(cloud);
    await run('flavor-create', 'lv.tiny', 'auto', '128', '1', '1');
    await run('flavor-create', 'lv.bigger', 'auto', '160', '2', '1');
  });

  after(async () => {
    await cloud?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('boots a real guest with nova boot --poll; console-log shows its marker', async () => {
    const r = await run('boot', '--flavor', 'lv.tiny', '--image', 'e2e-guest', '--nic', 'none', '--poll', 'lv-e2e');
    assert.match(r.stdout, /Server building\.\.\.|ACTIVE|100%/);
    const listed = (await run('list', '--json')).json<Array<{ id: string; name: string; status: string }>>();
    serverId = listed.find((s) => s.name === 'lv-e2e')!.id;
    const s = await waitStatus('ACTIVE');
    assert.equal(s['OS-EXT-STS:power_state'], 1);
    await waitFor(async () => (await boots()) >= 1, 120_000, 'boot marker on the console');
    assert.ok(virshAllNames().includes(s['OS-EXT-SRV-ATTR:instance_name']));
  });

  it('reboots (soft and hard), stops and starts the running guest', async () => {
    await run('reboot', serverId);
    await waitStatus('ACTIVE');
    await waitFor(async () => (await boots()) >= 2, 120_000, 'boot after soft reboot');
    await run('reboot', '--hard', serverId);
    await waitStatus('ACTIVE');
    await waitFor(async () => (await boots()) >= 3, 120_000, 'boot after hard reboot');
    await run('stop', serverId);
    assert.equal((await waitStatus('SHUTOFF'))['OS-EXT-STS:power_state'], 4);
    await run('start', serverId);
    await waitStatus('ACTIVE');
    await waitFor(async () => (await boots()) >= 4, 120_000, 'boot after start');
  });

  it('pauses, unpauses, suspends and resumes the guest', async () => {
    await run('pause', serverId);
    assert.equal((await waitStatus('PAUSED'))['OS-EXT-STS:power_state'], 3);
    await run('unpause', serverId);
    await waitStatus('ACTIVE');
    await run('suspend', serverId);
    await waitStatus('SUSPENDED');
    await run('resume', serverId);
    await waitStatus('ACTIVE');
  });

  it('resizes to a bigger flavor and confirms', async () => {
    await run('resize', serverId, 'lv.bigger');
    await waitStatus('VERIFY_RESIZE');
    await run('resize-confirm', serverId);
    const s = await waitStatus('ACTIVE');
    assert.equal(s.flavor.original_name, 'lv.bigger');
    await waitFor(async () => (await boots()) >= 5, 120_000, 'boot after resize');
  });

  it('snapshots the guest into the Image service with image-create', async () => {
    await run('image-create', '--poll', serverId, 'lv-snap');
    const images = await cloud.rt.imageService();
    const ctx = makeContext({ auth_token: await cloud.rt.serviceToken(), roles: ['admin'] });
    const snap = (await images.list(ctx, { name: 'lv-snap' }))[0];
    assert.equal(snap.status, 'active');
    assert.equal(snap.disk_format, 'qcow2');
    assert.ok((snap.size ?? 0) > 0);
    assert.equal(snap.properties.instance_uuid, serverId);
  });

  it('deletes the guest and leaves no domain, disk or cache entry', async () => {
    const name = (await show())['OS-EXT-SRV-ATTR:instance_name'];
    await run('delete', serverId);
    await waitFor(async () => { const r = await nova(['show', serverId], env); return r.exitCode !== 0; }, 120_000, 'server gone');
    assert.ok(!virshAllNames().includes(name), `domain ${name} is still defined`);
    const instances = path.join(dir, 'instances');
    assert.ok(!fs.existsSync(path.join(instances, serverId)), 'instance directory left behind');
    // The image cache keeps a base while it is used; with the instance gone, its cleanup removes it.
    await waitFor(async () => !fs.existsSync(path.join(instances, '_base', baseName(rootImageId))), 60_000, 'cached base removed');
  });
});
