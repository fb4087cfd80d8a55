import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { openstackRunner } from '../../helpers/openstack';

/**
 * The Servers issue's client check: Debian's openstack CLI, with nothing but the openrc the cloud wrote,
 * drives flavors, key pairs, images, servers, quotas and limits through Keystone's catalog.
 */
describe('openstack CLI: servers, flavors, key pairs, images, quotas, limits', function () {
  this.timeout(300000);
  let cloud: TestCloud;
  let osc: ReturnType<typeof openstackRunner>;

  before(async () => {
    cloud = await startCloud({ auth: 'keystone', daemons: ['identity', 'image', 'conductor', 'scheduler', 'compute', 'api'] });
    // `--nic none` needs compute API 2.37 or later; 2.92 is the newest this openstackclient knows.
    osc = openstackRunner({ openrc: path.join(cloud.statePath, 'openrc'), globalArgs: ['--os-compute-api-version', '2.92'] });
  });
  after(async () => {
    await cloud?.stop();
    osc?.cleanup();
  });

  let serverId = '';

  it('creates a flavor, a key pair and an image', async () => {
    const flavor = await osc.json('flavor', 'create', '--ram', '256', '--vcpus', '1', '--disk', '1', 'cli.small');
    assert.equal(flavor.name, 'cli.small');
    const flavors = await osc.json<Array<{ Name: string }>>('flavor', 'list');
    assert.ok(flavors.some((f) => f.Name === 'cli.small') && flavors.some((f) => f.Name === 'm1.tiny'));
    // The server generates the key pair only before 2.92; without --private-key the CLI would print
    // the private key instead of the table.
    const made = await osc.run(['--os-compute-api-version', '2.1', 'keypair', 'create', '--private-key', path.join(osc.home, 'cli-key.pem'), 'cli-key', '-f', 'json']);
    assert.equal(made.code, 0, made.stderr);
    const key = JSON.parse(made.stdout);
    assert.match(key.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const file = path.join(osc.home, 'disk.img');
    fs.writeFileSync(file, Buffer.alloc(64 * 1024, 7));
    const image = await osc.json('image', 'create', '--file', file, '--disk-format', 'raw', '--container-format', 'bare', 'cli-image');
    // The CLI prints the image as created (queued); the upload then makes it active.
    assert.equal((await osc.json('image', 'show', image.id)).status, 'active');
  });

  it('boots a server with --wait and lists and shows it', async () => {
    const created = await osc.json('server', 'create', '--flavor', 'cli.small', '--image', 'cli-image', '--key-name', 'cli-key',
      '--nic', 'none', '--wait', 'cli-server');
    serverId = created.id;
    assert.equal(created.status, 'ACTIVE');
    const list = await osc.json<Array<{ ID: string; Name: string; Status: string }>>('server', 'list');
    assert.deepEqual(list.map((s) => [s.ID, s.Name, s.Status]), [[serverId, 'cli-server', 'ACTIVE']]);
    const shown = await osc.json('server', 'show', serverId);
    assert.equal(shown.key_name, 'cli-key');
    assert.match(JSON.stringify(shown.flavor), /cli\.small/); // a flavor object from 2.47
  });

  it('reboots, stops and starts the server', async () => {
    const status = async () => (await osc.json('server', 'show', serverId)).status as string;
    await osc.ok('server', 'reboot', '--wait', serverId);
    assert.equal(await status(), 'ACTIVE');
    await osc.ok('server', 'stop', serverId);
    await waitStatus(status, 'SHUTOFF');
    await osc.ok('server', 'start', serverId);
    await waitStatus(status, 'ACTIVE');
  });

  it('shows quotas and absolute limits that count the server', async () => {
    const quota = await osc.json('quota', 'show');
    assert.equal(quota.instances, 10);
    const limits = await osc.json<Array<{ Name: string; Value: number }>>('limits', 'show', '--absolute');
    const byName = Object.fromEntries(limits.map((l) => [l.Name, l.Value]));
    assert.equal(byName.totalInstancesUsed, 1);
    assert.equal(byName.totalRAMUsed, 256);
  });

  it('deletes the server with --wait', async () => {
    await osc.ok('server', 'delete', '--wait', serverId);
    assert.deepEqual(await osc.json('server', 'list'), []);
    const limits = await osc.json<Array<{ Name: string; Value: number }>>('limits', 'show', '--absolute');
    assert.equal(Object.fromEntries(limits.map((l) => [l.Name, l.Value])).totalInstancesUsed, 0);
  });
});

async function waitStatus(read: () => Promise<string>, want: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await read()) === want) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(await read(), want);
}
