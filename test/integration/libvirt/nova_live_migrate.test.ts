import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { faultsLatest } from '../../../src/db/api/actions';
import { computeNodesByHost } from '../../../src/db/api/compute_nodes';
import { migrationList } from '../../../src/db/api/migrations';
import { serialPortOf } from '../../../src/drivers/libvirt/serial_ports';
import { openrcEnv, startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { uploadTestGuest } from '../../helpers/libvirt';
import { nova } from '../../helpers/run_command';
import { serverCli } from './server_cli';
import { SecondLibvirtd, startSecondLibvirtd } from '../../helpers/second_libvirtd';
import { addCompute, ServerCloud } from '../../helpers/servers';
import { consoleStory, libvirtUnavailable, MARKER, startSshd, TestSshd, virshAllNames } from './support';

const HOST_B = 'lv-live-b';
const RUN = Math.random().toString(16).slice(2, 8);
const TEMPLATE_A = `lmg${RUN}-a-%08x`;
const TEMPLATE_B = `lmg${RUN}-b-%08x`;
const B_SERIAL_PORTS = [20100, 20199];
const nameOnB = (nameA: string) => nameA.replace(`lmg${RUN}-a-`, `lmg${RUN}-b-`);

/**
 * A successful live migration through the whole cloud: host A (the cloud's compute) drives the main
 * libvirtd (qemu:///system); host B drives a second, independent libvirtd of this machine (its own
 * mount namespace, state directories and host UUID: test/helpers/second_libvirtd.ts), reached over
 * SSH through an sshd in that namespace. `nova live-migration` moves the running guest: A's libvirt
 * sends it to B's over libssh2 with QEMU's migration stream and the disk copy on 127.0.0.1, and the
 * guest keeps running: B's console never shows a boot, and the guest still answers the ACPI power
 * button with the watcher its one boot started.
 */
describe('nova live-migration between two libvirtds, end to end', function () {
  this.timeout(900_000);
  let cloud: TestCloud;
  let second: SecondLibvirtd;
  let sshd: TestSshd;
  let sshdA: TestSshd;
  let env: Record<string, string>;
  let dir: string;
  let hostA = '';
  let serverId = '';
  const extra: ServerCloud['extra'] = [];
  const aPath = () => path.join(dir, 'host-a');
  const bPath = () => path.join(dir, 'host-b');

  const { run, show, waitStatus, consoleLog, claims, nodeOf } = serverCli(() => env, () => serverId);
  const namesOnB = () => second.virsh('list', '--all', '--name').split('\n').map((s) => s.trim()).filter(Boolean);
  /** `nova live-migration` to host; waits for the migration to end and checks it completed. */
  const liveMigrate = async (host: string) => {
    const before = (await migrationList({ instance_uuid: serverId })).length;
    await run('live-migration', serverId, host);
    const mig = await waitFor(async () => {
      const m = (await migrationList({ instance_uuid: serverId, migration_type: 'live-migration' })).find((x) => x.dest_compute === host);
      return (await migrationList({ instance_uuid: serverId })).length > before && m && ['completed', 'error', 'failed'].includes(m.status) ? m : undefined;
    }, 300_000, `live migration to ${host} finished`);
    assert.equal(mig.status, 'completed', `live migration ${mig.status}: ${(await faultsLatest([serverId])).get(serverId)?.message}`);
  };
  /** The last QEMU start libvirt logged for a domain (command line, one option a line): a live-migrated guest's QEMU waits for the stream (-incoming). */
  const lastQemuStart = (logFile: string) => fs.readFileSync(logFile, 'utf8').split(/^.*: starting up libvirt version/m).pop() ?? '';

  before(async function () {
    const why = libvirtUnavailable();
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-live-migrate-lv-'));
    fs.chmodSync(dir, 0o755); // QEMU runs as libvirt-qemu and must reach the disks
    second = await startSecondLibvirtd();
    sshd = await startSshd({ mountNamespaceOf: second.pid });
    // How B's libvirt reaches A's when B is the source (A's migration_inbound_addr): the same key.
    sshdA = await startSshd({ clientKey: sshd.clientKey });
    const knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd.knownHosts + sshdA.knownHosts);
    const common = {
      compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', image_cache_manager_interval: '0', periodic_interval: '5',
      shutdown_timeout: '5', 'serial_console.enabled': 'true', 'libvirt.ssh_private_key': sshd.clientKey, 'libvirt.ssh_known_hosts_file': knownHosts,
    };
    cloud = await startCloud({
      auth: 'keystone', daemons: ['identity', 'image', 'conductor', 'scheduler', 'compute', 'api'],
      overrides: { ...common, instances_path: aPath(), instance_name_template: TEMPLATE_A, 'libvirt.migration_inbound_addr': `root@127.0.0.1:${sshdA.port}` },
    });
    hostA = cloud.rt.conf.DEFAULT.host;
    env = openrcEnv(cloud);
    await uploadTestGuest(cloud);
    await run('flavor-create', 'lv.tiny', 'auto', '128', '1', '1');
    await addCompute({ rt: cloud.rt, statePath: cloud.statePath, extra, images: (await cloud.rt.imageService()) as never }, HOST_B, {
      // A range of B's own: B reaches its libvirtd over SSH so it cannot probe ports, and A's guests hold A's on this same machine.
      ...common, instances_path: bPath(), instance_name_template: TEMPLATE_B, 'serial_console.port_range': B_SERIAL_PORTS.join(':'),
      'libvirt.connection_uri': `qemu+ssh://root@127.0.0.1:${sshd.port}/system`,
    });
    await waitFor(async () => (await computeNodesByHost(HOST_B)).length > 0, 60_000, 'host B reporting its node');
  });

  after(async () => {
    if (serverId) {
      await nova(['delete', serverId], env).catch(() => undefined);
      await waitFor(async () => (await nova(['show', serverId], env)).exitCode !== 0, 120_000, 'server gone').catch(() => undefined);
    }
    for (const e of extra.splice(0)) await e.launcher.stop();
    await cloud?.stop();
    await sshdA?.stop();
    await sshd?.stop();
    await second?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('host B is a different libvirt host: its own daemon, host UUID and (empty) domain list', () => {
    assert.match(second.virsh('capabilities'), new RegExp(`<uuid>${second.hostUuid}</uuid>`));
    assert.deepEqual(namesOnB(), []);
  });

  it('boots on host A (--availability-zone pins it there)', async () => {
    await run('boot', '--flavor', 'lv.tiny', '--image', 'e2e-guest', '--nic', 'none', '--availability-zone', `nova:${hostA}`, 'lv-live');
    serverId = (await run('list', '--json')).json<Array<{ id: string; name: string }>>().find((s) => s.name === 'lv-live')!.id;
    const s = await waitStatus('ACTIVE');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], hostA);
    await waitFor(async () => (await consoleLog()).includes(`${MARKER} ${serverId}`), 120_000, 'boot marker on host A');
  });

  it('nova live-migration moves the running guest to B without a reboot; nothing is left on A', async () => {
    const nameA = (await show())['OS-EXT-SRV-ATTR:instance_name'] as string;
    const nameB = nameOnB(nameA);
    const qemuPidA = fs.readFileSync(`/run/libvirt/qemu/${nameA}.pid`, 'utf8').trim();
    const serialA = serialPortOf(execFileSync('virsh', ['-c', 'qemu:///system', 'dumpxml', nameA], { encoding: 'utf8' }));
    await liveMigrate(HOST_B);
    const s = await waitStatus('ACTIVE');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], HOST_B);
    assert.equal(s['OS-EXT-STS:power_state'], 1);

    assert.equal(second.virsh('domstate', nameB).trim(), 'running');
    assert.deepEqual(namesOnB(), [nameB]);
    // The source's serial port was taken (by the source QEMU) when B's started: B gave one of its own.
    const serialB = serialPortOf(second.virsh('dumpxml', nameB));
    assert.ok(serialA && serialB && serialB >= B_SERIAL_PORTS[0] && serialB <= B_SERIAL_PORTS[1], `serial port on A ${serialA}, on B ${serialB}`);
    assert.equal(serialPortOf(fs.readFileSync(path.join(bPath(), serverId, 'libvirt.xml'), 'utf8')), serialB);
    const qemuPidB = fs.readFileSync(path.join(second.dir, 'run', 'qemu', `${nameB}.pid`), 'utf8').trim();
    assert.notEqual(qemuPidB, qemuPidA, 'another QEMU runs the guest');
    assert.ok(!virshAllNames().includes(nameA), `domain ${nameA} is still on A's libvirtd`);
    assert.ok(!fs.existsSync(path.join(aPath(), serverId)), 'instance directory left on A');
    assert.ok(fs.existsSync(path.join(bPath(), serverId, 'disk')));
    assert.deepEqual(await claims(), { nodes: [await nodeOf(HOST_B)], held: [] });
    assert.match(lastQemuStart(path.join(second.dir, 'log', 'qemu', `${nameB}.log`)), /^-incoming /m);
    assert.ok(!(await consoleLog()).includes(MARKER), 'B\'s console shows no boot');
  });

  it('and back to A: B (the host reached over SSH) is the source now; nothing is left on B', async () => {
    // The API names the instance by its own instance_name_template (A's), as Nova's does.
    const nameA = (await show())['OS-EXT-SRV-ATTR:instance_name'] as string;
    await liveMigrate(hostA);
    const s = await waitStatus('ACTIVE');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], hostA);
    assert.equal(s['OS-EXT-STS:power_state'], 1);
    assert.ok(virshAllNames().includes(nameA));
    assert.match(lastQemuStart(`/var/log/libvirt/qemu/${nameA}.log`), /^-incoming /m);
    assert.deepEqual(namesOnB(), []);
    assert.ok(!fs.existsSync(path.join(bPath(), serverId)), 'instance directory left on B');
    assert.deepEqual(await claims(), { nodes: [await nodeOf(hostA)], held: [] });
    assert.ok(!(await consoleLog()).includes(MARKER), 'A\'s new console shows no boot');
  });

  it('the guest is still the one A booted: its ACPI watcher answers nova stop, with no boot before it', async () => {
    await run('stop', serverId);
    const s = await waitStatus('SHUTOFF');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], hostA);
    assert.equal(consoleStory(await consoleLog()), 'A');
  });

  it('delete leaves nothing on either libvirtd', async () => {
    const nameA = (await show())['OS-EXT-SRV-ATTR:instance_name'] as string;
    await run('delete', serverId);
    await waitFor(async () => (await nova(['show', serverId], env)).exitCode !== 0, 120_000, 'server gone');
    assert.ok(!virshAllNames().includes(nameA));
    assert.deepEqual(namesOnB(), []);
    assert.ok(!fs.existsSync(path.join(aPath(), serverId)) && !fs.existsSync(path.join(bPath(), serverId)));
    serverId = '';
  });
});
