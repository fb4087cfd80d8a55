import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { instancePasswordSetOnce } from '../../src/db/api/instance_password';
import { startCloud, TestCloud } from '../helpers/cloud';
import { FakeKeystone } from '../helpers/fake_keystone';
import { insertInstance } from '../helpers/instances';
import { nova } from '../helpers/run_command';

const run = promisify(execFile);
const NOVACLIENT = '/usr/bin/nova';

/** Times and uptimes move between the two runs: compare everything else. */
function masked(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?/g, 'T').replace(/ \d\d:\d\d:\d\d up [^|]*?(?=\s*\|)/g, ' UPTIME');
}

// python-novaclient 18.1 and our `nova` against the same embedded cloud: the same tables.
describe('same output as python-novaclient (integration)', function () {
  this.timeout(120_000);
  let cloud: TestCloud;
  let keystone: FakeKeystone;
  let env: Record<string, string>;

  before(async function () {
    if (!fs.existsSync(NOVACLIENT)) this.skip();
    cloud = await startCloud();
    // python-novaclient insists on Keystone: a stand-in whose token is noauth2's admin token.
    keystone = await new FakeKeystone(() => [{ type: 'compute', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: cloud.computeUrl }] }], 'admin:admin').start();
    env = { OS_AUTH_URL: keystone.url, OS_USERNAME: 'admin', OS_PASSWORD: 'secret', OS_PROJECT_NAME: 'admin', NOVACLIENT_ISHOULDNTBEDOINGTHIS: '1' };
  });
  after(async () => { await keystone?.stop(); await cloud?.stop(); });

  const both = async (args: string[]) => {
    const theirs = await run(NOVACLIENT, args, { env: { PATH: '/usr/bin:/bin', ...env } })
      .catch((e: { stdout: string; stderr: string }) => ({ stdout: e.stdout, stderr: e.stderr }));
    const ours = await nova([...args, '--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl]);
    return { theirs: masked(theirs.stdout), theirsErr: theirs.stderr, ours: masked(ours.stdout), oursErr: ours.stderr };
  };

  for (const args of [
    ['--os-compute-api-version', '2.92', 'service-list'],
    ['--os-compute-api-version', '2.1', 'service-list'],
    ['--os-compute-api-version', '2.92', 'hypervisor-list'],
    ['--os-compute-api-version', '2.87', 'hypervisor-stats'],
    ['--os-compute-api-version', '2.92', 'hypervisor-servers', 'test'],
  ]) {
    it(args.join(' '), async () => {
      const { theirs, ours, oursErr } = await both(args);
      assert.equal(oursErr, '');
      assert.equal(ours, theirs);
    });
  }

  it('hypervisor-show by id, hypervisor-uptime by hostname', async () => {
    const id = (await nova(['hypervisor-list', '--json', '--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl])).json()[0].id;
    const show = await both(['--os-compute-api-version', '2.92', 'hypervisor-show', id]);
    assert.equal(show.ours, show.theirs);
    const uptime = await both(['--os-compute-api-version', '2.92', 'hypervisor-uptime', cloud.rt.host]);
    assert.equal(uptime.ours, uptime.theirs);
  });

  it('hypervisor-show by hostname: novaclient shows the list entry, we add what only show has (uptime)', async () => {
    const { theirs, ours } = await both(['--os-compute-api-version', '2.92', 'hypervisor-show', cloud.rt.host]);
    const rows = (t: string) => t.split('\n').filter((l) => l.startsWith('| ') && !/^\| (uptime| {10})/.test(l)).map((l) => l.replace(/\s+\|$/, '').replace(/\s+/g, ' '));
    assert.deepEqual(rows(ours), rows(theirs));
    assert.match(ours, /\| uptime /);
  });

  it('server-group-get and server-group-list at 2.64, 2.13 and 2.1', async () => {
    const ours = (args: string[]) => nova([...args, '--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl]);
    const made = await ours(['server-group-create', 'spread', 'anti-affinity', '--rule', 'max_server_per_host=2', '--json']);
    assert.equal(made.exitCode, 0, made.stderr);
    await ours(['server-group-create', 'pack', 'affinity', '--os-compute-api-version', '2.1']);
    for (const version of ['2.64', '2.13', '2.1']) {
      for (const args of [['server-group-get', made.json().id], ['server-group-list']]) {
        const r = await both(['--os-compute-api-version', version, ...args]);
        assert.equal(r.oursErr, '');
        assert.equal(r.ours, r.theirs, `${version} ${args.join(' ')}: ${r.theirsErr}`);
      }
    }
  });

  it('list-secgroup, get-password and clear-password of a server', async () => {
    const inst = await insertInstance({ project: 'admin', user: 'admin', name: 'pw-vm' });
    await instancePasswordSetOnce(inst.uuid, Buffer.from('not really ciphered').toString('base64'));
    for (const args of [['list-secgroup', 'pw-vm'], ['get-password', 'pw-vm'], ['clear-password', 'pw-vm'], ['get-password', 'pw-vm']]) {
      const r = await both(['--os-compute-api-version', '2.35', ...args]);
      assert.equal(r.oursErr, '');
      assert.equal(r.ours, r.theirs, `${args.join(' ')}: ${r.theirsErr}`);
    }
  });

  it('version-list (the server table)', async () => {
    const { theirs, theirsErr, ours } = await both(['version-list']);
    assert.ok(theirs.includes('Server supported'), theirsErr);
    assert.equal(ours.split('Server supported API versions:')[1], theirs.split('Server supported API versions:')[1]);
  });
});
