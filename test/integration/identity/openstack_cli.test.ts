import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openstackRunner } from '../../helpers/openstack';
import { startCloud, TestCloud } from '../../helpers/cloud';

/**
 * The real OpenStack CLI (python3-openstackclient) against the built-in Identity service, with the
 * environment of the generated openrc, sourced by a shell as a user would.
 */
describe('openstack CLI against the built-in Identity service', function () {
  this.timeout(120_000);
  let cloud: TestCloud;
  let home: string;

  /** The real openstack CLI with the environment of the cloud's openrc (test/helpers/openstack.ts). */
  let osc: ReturnType<typeof openstackRunner> | undefined;
  function openstack(...args: string[]): Promise<any> {
    osc ??= openstackRunner({ openrc: path.join(cloud.statePath, 'openrc') });
    return osc.call(...args);
  }

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-cli-home-'));
    cloud = await startCloud({ auth: 'keystone', daemons: ['conductor', 'api'] });
  });
  after(async () => {
    osc?.cleanup();
    await cloud?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('issues a token and lists the catalog with Keystone and Nova', async () => {
    const token = await openstack('token', 'issue', '-f', 'json');
    assert.match(token.id, /^[A-Za-z0-9_-]{43}$/);
    assert.match(token.project_id, /^[0-9a-f]{32}$/);
    const catalog = await openstack('catalog', 'list', '-f', 'json');
    const byType = Object.fromEntries(catalog.map((s: { Type: string; Name: string }) => [s.Type, s.Name]));
    assert.deepEqual(byType, { identity: 'keystone', compute: 'nova' });
    const endpoints = await openstack('endpoint', 'list', '-f', 'json');
    const compute = endpoints.filter((e: { 'Service Type': string }) => e['Service Type'] === 'compute');
    assert.deepEqual(compute.map((e: { Interface: string }) => e.Interface).sort(), ['admin', 'internal', 'public']);
    assert.ok(compute.every((e: { URL: string; Region: string }) => e.URL === cloud.computeUrl && e.Region === 'RegionOne'));
    // The Compute API found through the catalog, with the token it validates against the same service.
    const services = await openstack('compute', 'service', 'list', '-f', 'json');
    assert.deepEqual(services.map((s: { Binary: string }) => s.Binary), ['nova-conductor']);
  });

  it('creates, lists, shows and deletes a project', async () => {
    const created = await openstack('project', 'create', '--description', 'CLI project', 'cli-demo', '-f', 'json');
    assert.equal(created.name, 'cli-demo');
    assert.equal(created.domain_id, 'default');
    const list = await openstack('project', 'list', '-f', 'json');
    assert.deepEqual(list.map((p: { Name: string }) => p.Name).sort(), ['admin', 'cli-demo', 'service']);
    const shown = await openstack('project', 'show', 'cli-demo', '-f', 'json');
    assert.equal(shown.id, created.id);
    assert.equal(shown.description, 'CLI project');
    await openstack('project', 'delete', 'cli-demo');
    assert.ok(!(await openstack('project', 'list', '-f', 'json')).some((p: { Name: string }) => p.Name === 'cli-demo'));
  });

  it('creates a user in a project, grants it a role, and lists assignments with names', async () => {
    await openstack('project', 'create', 'cli-team', '-f', 'json');
    const user = await openstack('user', 'create', '--password', 'cli-pw', '--project', 'cli-team', 'cli-user', '-f', 'json');
    assert.equal(user.name, 'cli-user');
    await openstack('role', 'add', '--user', 'cli-user', '--project', 'cli-team', 'member');
    const assignments = await openstack('role', 'assignment', 'list', '--names', '--project', 'cli-team', '-f', 'json');
    assert.deepEqual(assignments.map((a: { Role: string; User: string; Project: string }) => [a.Role, a.User, a.Project]),
      [['member', 'cli-user@Default', 'cli-team@Default']]);
    // The new user can log in to its project.
    const r = await fetch(`${cloud.identityUrl}/auth/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'cli-user', domain: { name: 'Default' }, password: 'cli-pw' } } } } }),
    });
    assert.equal(r.status, 201);
    assert.equal(((await r.json()) as any).token.project.name, 'cli-team');
  });

  it('creates and lists EC2 credentials of the current user', async () => {
    const cred = await openstack('ec2', 'credentials', 'create', '-f', 'json');
    assert.match(cred.access, /^[0-9a-f]{32}$/);
    assert.match(cred.secret, /^[0-9a-f]{32}$/);
    const token = await openstack('token', 'issue', '-f', 'json');
    assert.equal(cred.project_id, token.project_id);
    assert.equal(cred.user_id, token.user_id);
    const list = await openstack('ec2', 'credentials', 'list', '-f', 'json');
    assert.deepEqual(list.map((c: { Access: string }) => c.Access), [cred.access]);
  });
});
