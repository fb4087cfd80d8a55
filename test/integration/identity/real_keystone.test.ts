import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { identityCall, issueToken } from '../../helpers/identity';
import { openstackRunner } from '../../helpers/openstack';
import { RealKeystone, realKeystoneMissing, startRealKeystone } from '../../helpers/real_keystone';
import { awsRunner, requireClients } from '../ec2/harness';

/**
 * Nova against a real OpenStack Keystone (Debian's 2:22.0.2, Zed) instead of the built-in Identity:
 * nova-api, the Image service and the EC2 API validate tokens and EC2 signatures through it, configured
 * as Nova's keystonemiddleware is ([keystone_authtoken] auth_url and the nova service user), and the
 * real openstack and aws CLIs find and call them through its catalog and its EC2 credentials.
 */
describe('the cloud against a real Keystone', function () {
  this.timeout(600_000);
  let ks: RealKeystone;
  let cloud: TestCloud;
  const admin = () => cli('admin', ks.adminPassword, 'admin');
  const alice = () => cli('alice', 'alice-pw', 'demo');
  const runners: Array<ReturnType<typeof openstackRunner>> = [];

  /** Debian's openstack CLI as `user` in `project`, everything from the real Keystone's catalog. */
  function cli(user: string, password: string, project: string) {
    const r = openstackRunner({
      globalArgs: ['--os-auth-url', ks.url, '--os-identity-api-version', '3', '--os-username', user, '--os-password', password,
        '--os-project-name', project, '--os-user-domain-name', 'Default', '--os-project-domain-name', 'Default',
        '--os-region-name', 'RegionOne', '--os-compute-api-version', '2.92'],
    });
    runners.push(r);
    return r;
  }

  before(async function () {
    const missing = realKeystoneMissing();
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    requireClients();
    ks = await startRealKeystone();
    await ks.addUser('nova', 'nova-service-pw', 'service', 'admin');
    await ks.addUser('alice', 'alice-pw', 'demo', 'member');
    cloud = await startCloud({
      daemons: ['image', 'conductor', 'scheduler', 'compute', 'api', 'ec2'],
      overrides: {
        'api.auth_strategy': 'keystone', 'identity.enabled': 'false', 'keystone_authtoken.auth_url': ks.authUrl,
        'keystone_authtoken.auth_type': 'password', 'keystone_authtoken.username': 'nova', 'keystone_authtoken.password': 'nova-service-pw',
        'keystone_authtoken.project_name': 'service', 'keystone_authtoken.user_domain_name': 'Default',
        'keystone_authtoken.project_domain_name': 'Default', 'keystone_authtoken.token_cache_time': '0',
      },
    });
    await ks.addEndpoint('compute', 'nova', cloud.computeUrl);
    await ks.addEndpoint('image', 'glance', cloud.rt.endpoints.image!);
  });
  after(async () => {
    for (const r of runners) r.cleanup();
    await cloud?.stop();
    await ks?.stop();
  });

  it('admin uploads a public image and boots a server with a token from the real Keystone', async () => {
    const osc = admin();
    const file = path.join(osc.home, 'disk.img');
    fs.writeFileSync(file, Buffer.alloc(64 * 1024, 7));
    await osc.json('image', 'create', '--public', '--file', file, '--disk-format', 'raw', '--container-format', 'bare', 'ks-image');
    const server = await osc.json('server', 'create', '--flavor', 'm1.tiny', '--image', 'ks-image', '--nic', 'none', '--wait', 'admin-vm');
    assert.equal(server.status, 'ACTIVE');
    const shown = await osc.json('server', 'show', server.id);
    assert.equal(shown.project_id, (await osc.json('token', 'issue')).project_id);
    const hypervisors = await osc.json<Array<{ 'Hypervisor Hostname': string }>>('hypervisor', 'list');
    assert.equal(hypervisors.length, 1);
  });

  it('a member of another project boots and lists only its own servers; admin-only APIs answer 403', async () => {
    const osc = alice();
    const server = await osc.json('server', 'create', '--flavor', 'm1.tiny', '--image', 'ks-image', '--nic', 'none', '--wait', 'alice-vm');
    assert.equal(server.status, 'ACTIVE');
    const token = await osc.json('token', 'issue');
    assert.equal((await osc.json('server', 'show', server.id)).project_id, token.project_id);
    const mine = await osc.json<Array<{ Name: string }>>('server', 'list');
    assert.deepEqual(mine.map((s) => s.Name), ['alice-vm']);
    const refused = await osc.run(['hypervisor', 'list']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Policy doesn't allow os_compute_api:os-hypervisors:list(-detail)? to be performed\. \(HTTP 403\)/);
    // Admin sees both projects' servers with --all-projects.
    const all = await admin().json<Array<{ Name: string }>>('server', 'list', '--all-projects');
    assert.deepEqual(all.map((s) => s.Name).sort(), ['admin-vm', 'alice-vm']);
  });

  it("answers 401 with Nova's body and WWW-Authenticate for a bad token and for a revoked one", async () => {
    const bad = await cloud.request('GET', '/servers', { token: 'gAAAAABnot-a-real-token' });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    assert.equal(bad.headers.get('www-authenticate'), `Keystone uri="${ks.authUrl}"`);

    const { token } = await issueToken(ks.url, 'alice', 'alice-pw', 'demo');
    assert.equal((await cloud.request('GET', '/servers', { token })).status, 200);
    const revoke = await identityCall(ks.url, 'DELETE', '/auth/tokens', { token: ks.adminToken, headers: { 'x-subject-token': token } });
    assert.equal(revoke.status, 204);
    const gone = await cloud.request('GET', '/servers', { token });
    assert.equal(gone.status, 401);
    assert.equal(gone.body.error.code, 401);
  });

  it('EC2 credentials made in the real Keystone sign aws CLI calls checked by its /v3/ec2tokens', async () => {
    const osc = alice();
    const cred = await osc.json('ec2', 'credentials', 'create');
    assert.match(cred.access, /^[0-9a-f]{32}$/);
    const ec2Url = cloud.rt.endpoints.ec2!;
    const aws = awsRunner({ ec2Url }, { access: cred.access, secret: cred.secret });
    const described = await aws.json('describe-instances');
    const names = described.Reservations.flatMap((r: any) => r.Instances.map((i: any) => i.InstanceId));
    assert.equal(names.length, 1); // alice-vm only: the credential's project
    assert.equal(described.Reservations[0].OwnerId, cred.project_id);

    const images = await aws.json('describe-images');
    const ami = images.Images.find((i: any) => i.Name === 'ks-image').ImageId;
    const ran = await aws.json('run-instances', '--image-id', ami, '--instance-type', 'm1.tiny');
    const id = ran.Instances[0].InstanceId;
    await waitFor(async () => {
      const d = await aws.json('describe-instances', '--instance-ids', id);
      return d.Reservations[0].Instances[0].State.Name === 'running';
    }, 120_000, `${id} running`);
    const servers = await osc.json<Array<{ Name: string; Status: string }>>('server', 'list');
    assert.equal(servers.length, 2);

    const wrong = await awsRunner({ ec2Url }, { access: cred.access, secret: 'not-the-secret' }).call('describe-instances');
    assert.equal(wrong.code, 254);
    assert.match(wrong.stderr, /AuthFailure/);
    const unknown = await awsRunner({ ec2Url }, { access: '0123456789abcdef0123456789abcdef', secret: cred.secret }).call('describe-instances');
    assert.match(unknown.stderr, /AuthFailure/);
  });
});
