import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PowerState } from '../../../src/compute/power_state';
import { DriverInstance, ImageMeta } from '../../../src/drivers/driver';
import { LibvirtDriver } from '../../../src/drivers/libvirt';
import { nullLogger } from '../../../src/lib/log';
import { driverInstance, FileImageService, flavor, libvirtConf, registerTestGuest, snapshotTarget } from '../../helpers/libvirt';
import { consoleStory, libvirtUnavailable, qemuImgInfo, startSshd, TestSshd, virshAllNames, waitForBoots } from './support';

const GIB = 1024 ** 3;

/** The user whose qemu:///session plays the remote host (scripts/ci/setup-libvirt.sh creates it). */
const REMOTE_USER = 'nova-test';

/**
 * The same driver managing a hypervisor over SSH: the test runs its own sshd on 127.0.0.1 and the
 * driver reaches `qemu:///session` of the user nova-test through it (a libvirtd of its own, so the
 * "remote host" and this host's `qemu:///system` do not share domain names), every command and file
 * operation going over one SSH connection with the host key checked. Then a cold migration moves a
 * guest from this host (local executor, root, qemu:///system) to that one and back, and again for good.
 */
describe('libvirt driver over SSH', function () {
  this.timeout(300_000);
  let dir: string;
  let sshd: TestSshd;
  let images: FileImageService;
  let root: ImageMeta;
  let remote: LibvirtDriver;
  let local: LibvirtDriver;
  const knownHosts = () => path.join(dir, 'known_hosts');
  const remoteUri = () => `qemu+ssh://${REMOTE_USER}@127.0.0.1:${sshd.port}/session`;
  const remoteDriver = (extra: Record<string, string> = {}) => {
    const d = new LibvirtDriver(libvirtConf({
      instances_path: path.join(dir, 'host-b'), 'libvirt.connection_uri': remoteUri(), 'libvirt.ssh_private_key': sshd.clientKey,
      'libvirt.ssh_known_hosts_file': knownHosts(), remove_unused_original_minimum_age_seconds: '0', ...extra,
    }), nullLogger);
    d.setImageService(async () => images);
    return d;
  };
  const sessionNames = () => execFileSync('runuser', ['-u', REMOTE_USER, '--', 'virsh', '-q', '-c', 'qemu:///session', 'list', '--all', '--name'],
    { encoding: 'utf8', cwd: '/' }).split('\n').map((l) => l.trim()).filter(Boolean);

  before(async function () {
    let why = libvirtUnavailable();
    try { execFileSync('id', [REMOTE_USER], { stdio: 'ignore' }); } catch { why ??= `user ${REMOTE_USER} does not exist (run scripts/ci/setup-libvirt.sh)`; }
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-lvssh-'));
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync(path.join(dir, 'host-b'));
    execFileSync('chown', [REMOTE_USER, path.join(dir, 'host-b')]);
    sshd = await startSshd();
    images = new FileImageService();
    root = images.meta(registerTestGuest(images).root.id);
    // Host A reaches host B with its own key and known_hosts to copy disks on a migration.
    local = new LibvirtDriver(libvirtConf({
      instances_path: path.join(dir, 'host-a'), remove_unused_original_minimum_age_seconds: '0',
      'libvirt.ssh_private_key': sshd.clientKey, 'libvirt.ssh_known_hosts_file': path.join(dir, 'known_hosts_a'),
    }), nullLogger);
    fs.writeFileSync(path.join(dir, 'known_hosts_a'), sshd.knownHosts);
    local.setImageService(async () => images);
    await local.initHost('host-a');
  });

  /** Every instance a test made, destroyed on both hosts at the end even when a test failed half-way. */
  const made: DriverInstance[] = [];
  after(async () => {
    for (const i of made) {
      await local?.destroy(i, [], true).catch(() => undefined);
      await remote?.destroy(i, [], true).catch(() => undefined);
    }
    await remote?.cleanupHost();
    await local?.cleanupHost();
    await sshd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('host key', () => {
    it('refuses an unknown host key, naming the fingerprint and the fix', async () => {
      fs.writeFileSync(knownHosts(), '');
      const d = remoteDriver();
      await assert.rejects(d.initHost('host-b'), /host key SHA256:\S+ of \[127\.0\.0\.1\]:\d+ is not in .*known_hosts: add it \(ssh-keyscan/);
      await d.cleanupHost();
    });

    it('refuses a changed host key', async () => {
      const other = path.join(dir, 'other');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const pub = fs.readFileSync(`${other}.pub`, 'utf8').split(/\s+/).slice(0, 2).join(' ');
      fs.writeFileSync(knownHosts(), `[127.0.0.1]:${sshd.port} ${pub}\n`);
      const d = remoteDriver();
      await assert.rejects(d.initHost('host-b'), /host key of \[127\.0\.0\.1\]:\d+ has CHANGED/);
      await d.cleanupHost();
    });

    it('accept-new records an unknown key, and then strict checking accepts it', async () => {
      fs.writeFileSync(knownHosts(), '');
      const d = remoteDriver({ 'libvirt.ssh_strict_host_key_checking': 'accept-new' });
      await d.initHost('host-b');
      await d.cleanupHost();
      assert.equal(fs.readFileSync(knownHosts(), 'utf8'), sshd.knownHosts);
      remote = remoteDriver();
      await remote.initHost('host-b');
    });
  });

  describe('a guest on the remote host', () => {
    let inst: DriverInstance;

    it('spawns through SSH and boots', async () => {
      inst = driverInstance(root);
      made.push(inst);
      await remote.spawn({ instance: inst, image_meta: root });
      await waitForBoots(remote, inst, 1);
      assert.equal((await remote.getInfo(inst)).state, PowerState.RUNNING);
      assert.ok(sessionNames().includes(inst.name));
      assert.ok(!virshAllNames().includes(inst.name), 'not on this host\'s qemu:///system');
      assert.deepEqual(await remote.listInstances(), [inst.name]);
      assert.equal(qemuImgInfo(path.join(dir, 'host-b', inst.uuid, 'disk'))['virtual-size'], 1 * GIB);
    });

    it('pauses, snapshots over SFTP, reboots and reports resources', async () => {
      await remote.pause(inst);
      assert.equal((await remote.getInfo(inst)).state, PowerState.PAUSED);
      await remote.unpause(inst);
      const target = snapshotTarget();
      await remote.snapshot(inst, target);
      const file = path.join(dir, 'snap.qcow2');
      fs.writeFileSync(file, target.data!);
      assert.equal(qemuImgInfo(file).format, 'qcow2');
      await remote.reboot(inst, [], 'SOFT');
      assert.equal(consoleStory(await waitForBoots(remote, inst, 2)), 'BAB');
      const r = await remote.getAvailableResource('x');
      assert.equal(r.hypervisor_type, 'QEMU');
      assert.equal(r.host_ip, '127.0.0.1');
      assert.ok(r.vcpus_used >= 1);
    });

    it('destroys: no domain, no files', async () => {
      await remote.destroy(inst, [], true);
      assert.ok(!sessionNames().includes(inst.name));
      assert.ok(!fs.existsSync(path.join(dir, 'host-b', inst.uuid)));
      await remote.manageImageCache([]);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'host-b', '_base')), []);
    });
  });

  describe('cold migration from this host (local executor) to the remote one (SSH)', () => {
    let inst: DriverInstance;
    const bigger = flavor({ root_gb: 2, name: 'm1.bigger' });
    const aDir = () => path.join(dir, 'host-a', inst.uuid);
    const bDir = () => path.join(dir, 'host-b', inst.uuid);

    it('moves the disks, grows the root disk and boots there; revert brings it back', async () => {
      inst = driverInstance(root, { host: 'host-a' });
      made.push(inst);
      await local.spawn({ instance: inst, image_meta: root });
      await waitForBoots(local, inst, 1);
      const target = { dest_host: 'host-b', ...(await remote.migrationTarget()) };
      assert.equal(target.dest_address, remoteUri());
      const info = await local.migrateDiskAndPowerOff(inst, target, bigger, []);
      assert.ok(!virshAllNames().includes(inst.name), 'the source domain is undefined once its disks left (its XML waits in _resize)');
      assert.ok(fs.existsSync(`${aDir()}_resize`) && !fs.existsSync(aDir()));
      assert.ok(fs.existsSync(path.join(bDir(), 'disk')));
      const moved = { ...inst, flavor: bigger, host: 'host-b' };
      await remote.finishMigration(moved, info, root, true, true);
      const disk = qemuImgInfo(path.join(bDir(), 'disk'));
      assert.equal(disk['virtual-size'], 2 * GIB);
      assert.equal(disk['backing-filename'], path.join(dir, 'host-b', '_base', path.basename(disk['backing-filename']!)));
      assert.equal(consoleStory(await waitForBoots(remote, moved, 2)), 'BAB', 'the console log moved along: boot, clean power-off, boot');

      // Revert: the destination drops its copy, the source brings the old guest back.
      await remote.destroy(moved, [], true);
      await local.finishRevertMigration(inst, [], true);
      assert.equal((await local.getInfo(inst)).state, PowerState.RUNNING);
      assert.ok(!fs.existsSync(`${aDir()}_resize`) && !fs.existsSync(bDir()));
      assert.equal(qemuImgInfo(path.join(aDir(), 'disk'))['virtual-size'], 1 * GIB);
      await waitForBoots(local, inst, 2);
    });

    it('moves it again and confirm leaves nothing on the source', async () => {
      const info = await local.migrateDiskAndPowerOff(inst, { dest_host: 'host-b', ...(await remote.migrationTarget()) }, bigger, []);
      const moved = { ...inst, flavor: bigger, host: 'host-b' };
      await remote.finishMigration(moved, info, root, true, true);
      await waitForBoots(remote, moved, 1);
      await local.confirmMigration(moved, []);
      assert.ok(!virshAllNames().includes(inst.name));
      assert.ok(!fs.existsSync(aDir()) && !fs.existsSync(`${aDir()}_resize`));
      assert.equal((await remote.getInfo(moved)).state, PowerState.RUNNING);
      await remote.destroy(moved, [], true);
      assert.ok(!sessionNames().includes(inst.name));
      await local.manageImageCache([]);
      await remote.manageImageCache([]);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'host-a', '_base')), []);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'host-b', '_base')), []);
    });
  });
});
