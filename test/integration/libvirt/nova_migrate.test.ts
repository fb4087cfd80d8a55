import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { faultsLatest } from '../../../src/db/api/actions';
import { computeNodesByHost } from '../../../src/db/api/compute_nodes';
import { migrationList } from '../../../src/db/api/migrations';
import { openrcEnv, startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { uploadTestGuest } from '../../helpers/libvirt';
import { nova } from '../../helpers/run_command';
import { serverCli } from './server_cli';
import { addCompute, ServerCloud } from '../../helpers/servers';
import { libvirtUnavailable, MARKER, startSshd, TestSshd, virshAllNames } from './support';

const HOST_B = 'lv-host-b';
/** Domain names of this test's two hosts: apart from each other and from other clouds on this libvirtd. */
const RUN = Math.random().toString(16).slice(2, 8);
const TEMPLATE_A = `mig${RUN}-a-%08x`;
const TEMPLATE_B = `mig${RUN}-b-%08x`;
const nameOnB = (nameA: string) => nameA.replace(`mig${RUN}-a-`, `mig${RUN}-b-`);

/**
 * Cold migration through the whole cloud between two nova-compute services on libvirt: host A (the
 * cloud's own compute) drives qemu:///system with local tools, host B reaches the same libvirtd over
 * SSH (ssh2 to the test's own sshd as root, host key checked against known_hosts) with its own
 * instances_path and instance_name_template (names must differ from every other guest on the shared
 * libvirtd, other clouds' included: a domain name and a uuid exist once per libvirtd). `nova migrate` stops the running guest, its disks travel
 * A → B over SFTP, B defines and boots it; revert brings it back to A, confirm leaves nothing on A.
 *
 * Both hosts share one libvirtd here, so a guest may exist only once under its uuid: the source
 * undefines its domain when the disks have left and keeps the XML for a revert. A live migration
 * between them is what libvirt refuses (same host): that refusal is checked here; a live move between
 * two libvirtds is nova_live_migrate.test.ts.
 */
describe('nova migrate between two libvirt hosts (one over SSH), end to end', function () {
  this.timeout(900_000);
  let cloud: TestCloud;
  let sshd: TestSshd;
  let env: Record<string, string>;
  let dir: string;
  let hostA = '';
  let serverId = '';
  const extra: ServerCloud['extra'] = [];
  const aPath = () => path.join(dir, 'host-a');
  const bPath = () => path.join(dir, 'host-b');

  const { run, show, waitStatus, claims, nodeOf } = serverCli(() => env, () => serverId);
  const boots = async () => (await run('console-log', serverId)).stdout.split(`${MARKER} ${serverId}`).length - 1;
  const domState = (name: string) => execFileSync('virsh', ['-q', '-c', 'qemu:///system', 'domstate', name], { encoding: 'utf8' }).trim();

  before(async function () {
    const why = libvirtUnavailable();
    if (why) { console.log(`    skipped: ${why}`); this.skip(); }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-migrate-lv-'));
    fs.chmodSync(dir, 0o755); // QEMU runs as libvirt-qemu and must reach the disks
    sshd = await startSshd();
    const knownHosts = path.join(dir, 'known_hosts');
    fs.writeFileSync(knownHosts, sshd.knownHosts);
    const common = {
      compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', remove_unused_original_minimum_age_seconds: '0',
      image_cache_manager_interval: '0', periodic_interval: '5', shutdown_timeout: '5',
      'libvirt.ssh_private_key': sshd.clientKey, 'libvirt.ssh_known_hosts_file': knownHosts,
    };
    cloud = await startCloud({
      auth: 'keystone', daemons: ['identity', 'image', 'conductor', 'scheduler', 'compute', 'api'],
      overrides: { ...common, instances_path: aPath(), instance_name_template: TEMPLATE_A },
    });
    hostA = cloud.rt.conf.DEFAULT.host;
    env = openrcEnv(cloud);
    await uploadTestGuest(cloud);
    await run('flavor-create', 'lv.tiny', 'auto', '128', '1', '1');
  });

  after(async () => {
    if (serverId) {
      await nova(['delete', serverId], env).catch(() => undefined);
      await waitFor(async () => (await nova(['show', serverId], env)).exitCode !== 0, 120_000, 'server gone').catch(() => undefined);
    }
    for (const e of extra.splice(0)) await e.launcher.stop();
    await cloud?.stop();
    await sshd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('boots on host A, then host B joins over SSH', async () => {
    await run('boot', '--flavor', 'lv.tiny', '--image', 'e2e-guest', '--nic', 'none', 'lv-mig');
    serverId = (await run('list', '--json')).json<Array<{ id: string; name: string }>>().find((s) => s.name === 'lv-mig')!.id;
    const s = await waitStatus('ACTIVE');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], hostA);
    await waitFor(async () => (await boots()) >= 1, 120_000, 'boot marker on host A');
    // Host B: same libvirtd, reached through SSH as root, its own instances_path and domain names.
    await addCompute({ rt: cloud.rt, statePath: cloud.statePath, extra, images: (await cloud.rt.imageService()) as never }, HOST_B, {
      compute_driver: 'libvirt.LibvirtDriver', 'libvirt.virt_type': 'qemu', instances_path: bPath(), periodic_interval: '5',
      'libvirt.connection_uri': `qemu+ssh://root@127.0.0.1:${sshd.port}/system`, instance_name_template: TEMPLATE_B,
      'libvirt.ssh_private_key': sshd.clientKey, 'libvirt.ssh_known_hosts_file': path.join(dir, 'known_hosts'),
    });
    await waitFor(async () => (await computeNodesByHost(HOST_B)).length > 0, 60_000, 'host B reporting its node');
  });

  it('nova live-migration to B: libvirt refuses (one libvirtd), a MigrationPreCheckError with its reason; the guest runs on A', async () => {
    const nameA = (await show())['OS-EXT-SRV-ATTR:instance_name'] as string;
    const before = await boots();
    await run('live-migration', serverId, HOST_B);
    const mig = await waitFor(async () => (await migrationList({ instance_uuid: serverId, migration_type: 'live-migration' })).find((m) => m.status === 'error'), 120_000, 'live migration in error');
    assert.equal(mig.dest_compute, HOST_B);
    const s = await waitStatus('ACTIVE');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], hostA);
    assert.equal(domState(nameA), 'running', 'the guest kept running on A');
    assert.equal(await boots(), before, 'not rebooted');
    const fault = (await faultsLatest([serverId])).get(serverId)!;
    assert.match(fault.message, /^Migration pre-check error: libvirt refused: .*Attempt to migrate guest to the same host/);
    assert.ok(!fs.existsSync(path.join(bPath(), serverId)), 'the disks B made for the block migration are gone');
    assert.ok(!virshAllNames().includes(nameOnB(nameA)), 'no domain on B');
    assert.deepEqual(await claims(), { nodes: [await nodeOf(hostA)], held: [] });
  });

  it('nova migrate moves the running guest to B; resize-revert brings it back to A', async () => {
    const nameA = (await show())['OS-EXT-SRV-ATTR:instance_name'] as string;
    const nameB = nameOnB(nameA);
    await run('migrate', '--poll', '--poll-interval', '1', serverId);
    const s = await waitStatus('VERIFY_RESIZE');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], HOST_B);
    assert.equal(domState(nameB), 'running');
    assert.ok(!virshAllNames().includes(nameA), 'the source domain is undefined while the guest runs on B');
    assert.ok(fs.existsSync(path.join(bPath(), serverId, 'disk')));
    assert.ok(fs.existsSync(path.join(aPath(), `${serverId}_resize`)), 'A keeps its copy for a revert');
    await waitFor(async () => (await boots()) >= 2, 120_000, 'boot marker in B\'s console log');

    await run('resize-revert', serverId);
    const back = await waitStatus('ACTIVE');
    assert.equal(back['OS-EXT-SRV-ATTR:host'], hostA);
    assert.equal(domState(nameA), 'running');
    assert.ok(!virshAllNames().includes(nameB), 'nothing left of the guest on B');
    assert.ok(!fs.existsSync(path.join(bPath(), serverId)) && !fs.existsSync(path.join(aPath(), `${serverId}_resize`)));
    await waitFor(async () => (await boots()) >= 2, 120_000, 'boot marker on A after the revert');
    assert.deepEqual(await claims(), { nodes: [await nodeOf(hostA)], held: [] });
  });

  it('migrates again and resize-confirm leaves nothing on A; the claims follow the guest', async () => {
    const nameA = (await show())['OS-EXT-SRV-ATTR:instance_name'] as string;
    const nameB = nameOnB(nameA);
    const before = await boots();
    await run('migrate', serverId);
    await waitStatus('VERIFY_RESIZE');
    assert.deepEqual(await claims(), { nodes: [await nodeOf(HOST_B)], held: [await nodeOf(hostA)] }, 'B claimed for the instance, A still held by the migration');
    await run('resize-confirm', serverId);
    const s = await waitStatus('ACTIVE');
    assert.equal(s['OS-EXT-SRV-ATTR:host'], HOST_B);
    assert.equal(s['OS-EXT-STS:power_state'], 1);
    assert.equal(domState(nameB), 'running');
    await waitFor(async () => (await boots()) > before, 120_000, 'boot marker in B\'s console log');
    await waitFor(async () => !fs.existsSync(path.join(aPath(), `${serverId}_resize`)), 60_000, 'A\'s kept copy removed');
    assert.ok(!virshAllNames().includes(nameA), `domain ${nameA} is still defined`);
    assert.ok(!fs.existsSync(path.join(aPath(), serverId)), 'instance directory left on A');
    assert.deepEqual(await claims(), { nodes: [await nodeOf(HOST_B)], held: [] });

    await run('delete', serverId);
    await waitFor(async () => (await nova(['show', serverId], env)).exitCode !== 0, 120_000, 'server gone');
    assert.ok(!virshAllNames().includes(nameB), `domain ${nameB} is still defined`);
    assert.ok(!fs.existsSync(path.join(bPath(), serverId)));
    serverId = '';
  });
});
