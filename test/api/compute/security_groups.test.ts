import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { insertInstance } from '../../helpers/instances';
import { boot, NOW, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../../helpers/servers';

/** os-security-groups, os-security-group-rules and the server security group actions (no nova-network needed). */
describe('Compute API security groups and rules', () => {
  let cloud: TestCloud;
  const alice = { token: 'alice:p1' };
  const bob = { token: 'bob:p2' };
  before(async () => {
    cloud = await startCloud({ daemons: ['conductor', 'api'], overrides: { 'quota.security_groups': '2', 'quota.security_group_rules': '3' } });
  });
  after(async () => { await cloud.stop(); });

  const create = (name: unknown, description: unknown, who = alice) =>
    cloud.request('POST', '/os-security-groups', { ...who, body: { security_group: { name, description } } });

  it('makes the project\'s default group on first use and creates groups in Nova\'s shape', async () => {
    const list = await cloud.request('GET', '/os-security-groups', alice);
    assert.deepEqual(list.body.security_groups.map((g: { name: string; tenant_id: string; rules: unknown[] }) => [g.name, g.tenant_id, g.rules]), [['default', 'p1', []]]);
    const web = await create('web', 'web servers');
    assert.equal(web.status, 200);
    assert.deepEqual(web.body.security_group, { id: web.body.security_group.id, description: 'web servers', name: 'web', tenant_id: 'p1', rules: [] });
    assert.deepEqual((await cloud.request('GET', '/os-security-groups', alice)).body.security_groups.map((g: { name: string }) => g.name), ['default', 'web']);
    assert.deepEqual((await cloud.request('GET', '/os-security-groups', bob)).body.security_groups.map((g: { tenant_id: string }) => g.tenant_id), ['p2']);
    const all = await cloud.request('GET', '/os-security-groups?all_tenants=1', { token: 'admin:admin' });
    assert.deepEqual(all.body.security_groups.map((g: { tenant_id: string; name: string }) => `${g.tenant_id}/${g.name}`), ['admin/default', 'p1/default', 'p1/web', 'p2/default']);
    assert.equal((await cloud.request('GET', `/os-security-groups/${web.body.security_group.id}`, bob)).status, 404, "another project's group");
  });

  it('refuses bad names, duplicates, system group changes and groups past the quota', async () => {
    assert.equal((await create('', 'x')).body.badRequest.message, 'name has a minimum character requirement of 1.');
    assert.equal((await create('a'.repeat(256), 'x')).body.badRequest.message, 'name has more than 255 characters.');
    assert.equal((await create(5, 'x')).body.badRequest.message, 'Security group name is not a string or unicode');
    assert.equal((await create('web', 'again')).body.badRequest.message, 'Security group web already exists');
    assert.equal((await cloud.request('POST', '/os-security-groups', { ...alice, body: {} })).body.badRequest.message, "The request body can't be empty");
    assert.equal((await cloud.request('POST', '/os-security-groups', { ...alice, body: { x: 1 } })).body.badRequest.message, 'Missing parameter security_group');
    const dflt = (await cloud.request('GET', '/os-security-groups', alice)).body.security_groups.find((g: { name: string }) => g.name === 'default');
    assert.equal((await cloud.request('DELETE', `/os-security-groups/${dflt.id}`, alice)).body.badRequest.message, "Unable to delete system group 'default'");
    assert.equal((await cloud.request('PUT', `/os-security-groups/${dflt.id}`, { ...alice, body: { security_group: { name: 'x', description: 'y' } } })).body.badRequest.message, "Unable to update system group 'default'");
    assert.equal((await cloud.request('GET', '/os-security-groups/abc', alice)).body.badRequest.message, 'Security group id should be integer');
    assert.equal((await create('db', 'databases')).status, 200);
    const over = await create('third', 'over quota');
    assert.deepEqual([over.status, over.body.forbidden.message], [403, 'Quota exceeded, too many security groups.']);
  });

  it('adds CIDR and group rules with Nova\'s validation, within the rules quota', async () => {
    const groups = (await cloud.request('GET', '/os-security-groups', alice)).body.security_groups;
    const web = groups.find((g: { name: string }) => g.name === 'web');
    const db = groups.find((g: { name: string }) => g.name === 'db');
    const rule = (body: Record<string, unknown>, who = alice) => cloud.request('POST', '/os-security-group-rules', { ...who, body: { security_group_rule: { parent_group_id: web.id, ...body } } });
    const ssh = await rule({ ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.0/8', group_id: null });
    assert.equal(ssh.status, 200, JSON.stringify(ssh.body));
    assert.deepEqual(ssh.body.security_group_rule, {
      id: ssh.body.security_group_rule.id, parent_group_id: web.id, ip_protocol: 'tcp', from_port: 22, to_port: 22, group: {}, ip_range: { cidr: '10.0.0.0/8' },
    });
    const fromDb = await rule({ ip_protocol: 'tcp', group_id: db.id });
    assert.deepEqual([fromDb.body.security_group_rule.from_port, fromDb.body.security_group_rule.to_port, fromDb.body.security_group_rule.group],
      [1, 65535, { name: 'db', tenant_id: 'p1' }], 'a group source opens the whole protocol');
    const check = async (body: Record<string, unknown>, message: string) => {
      const r = await rule(body);
      assert.deepEqual([r.status, r.body.badRequest?.message], [400, message], JSON.stringify(body));
    };
    await check({ ip_protocol: 'gre', from_port: 1, to_port: 2, cidr: '0.0.0.0/0' }, 'Invalid IP protocol gre.');
    await check({ ip_protocol: 'tcp', from_port: 30, to_port: 20, cidr: '0.0.0.0/0' }, 'Invalid port range 30:20. Former value cannot be greater than the later');
    await check({ ip_protocol: 'udp', from_port: 0, to_port: 70000, cidr: '0.0.0.0/0' }, 'Invalid port range 0:70000. Valid UDP ports should be between 1-65535');
    await check({ ip_protocol: 'icmp', from_port: 300, to_port: 0, cidr: '0.0.0.0/0' }, 'Invalid port range 300:0. For ICMP, the type:code must be valid');
    await check({ ip_protocol: 'tcp', from_port: 'a', to_port: 2, cidr: '0.0.0.0/0' }, 'Invalid input received: To and From ports must be integers');
    await check({ cidr: '0.0.0.0/0' }, 'Not enough parameters to build a valid rule.');
    await check({ ip_protocol: 'tcp', from_port: 1, to_port: 2, cidr: '10.0.0.0/0' }, 'Bad prefix for network in cidr 10.0.0.0/0');
    await check({ ip_protocol: 'tcp', from_port: 1, to_port: 2, cidr: 'nonsense' }, 'nonsense is not a valid IP network.');
    await check({ ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr: '10.0.0.0/8' }, `This rule already exists in group ${web.id}`);
    assert.equal((await rule({ ip_protocol: 'tcp', from_port: 1, to_port: 2, cidr: '0.0.0.0/0' }, bob)).status, 404, "another project's group");
    assert.equal((await rule({ ip_protocol: 'icmp', from_port: -1, to_port: -1, cidr: '0.0.0.0/0' })).status, 200);
    const over = await rule({ ip_protocol: 'udp', from_port: 53, to_port: 53, cidr: '0.0.0.0/0' });
    assert.deepEqual([over.status, over.body.forbidden.message], [403, 'Quota exceeded, too many security group rules.']);
    const shown = (await cloud.request('GET', `/os-security-groups/${web.id}`, alice)).body.security_group;
    assert.equal(shown.rules.length, 3);
    assert.equal((await cloud.request('DELETE', `/os-security-group-rules/${ssh.body.security_group_rule.id}`, alice)).status, 202);
    assert.equal((await cloud.request('DELETE', `/os-security-group-rules/${ssh.body.security_group_rule.id}`, alice)).body.itemNotFound.message, `Rule (${ssh.body.security_group_rule.id}) not found`);
    assert.equal((await cloud.request('GET', '/os-security-group-rules', { ...alice, version: '2.36' })).status, 404);
  });

  it('adds groups to servers and removes them, listing a server\'s groups, and refuses to delete a group in use', async () => {
    const inst = await insertInstance({ project: 'p1', name: 'sg-vm' });
    const act = (body: unknown, who = alice) => cloud.request('POST', `/servers/${inst.uuid}/action`, { ...who, body });
    assert.equal((await act({ addSecurityGroup: { name: 'web' } })).status, 202);
    const list = await cloud.request('GET', `/servers/${inst.uuid}/os-security-groups`, alice);
    assert.deepEqual(list.body.security_groups.map((g: { name: string }) => g.name), ['web']);
    const again = await act({ addSecurityGroup: { name: 'web' } });
    assert.equal(again.status, 400);
    assert.match(again.body.badRequest.message, new RegExp(`^Security group \\d+ is already associated with the instance ${inst.uuid}$`));
    assert.equal((await act({ addSecurityGroup: { name: 'nope' } })).body.itemNotFound.message, 'Security group nope not found for project p1.');
    assert.equal((await act({ addSecurityGroup: {} })).body.badRequest.message, 'Security group not specified');
    assert.equal((await act({ addSecurityGroup: { name: ' ' } })).body.badRequest.message, 'Security group name cannot be empty');
    assert.equal((await act({ addSecurityGroup: 'web' })).body.badRequest.message, 'Missing parameter dict');
    assert.equal((await act({ addSecurityGroup: { name: 'web' } }, bob)).status, 404, "another project's server");
    const web = (await cloud.request('GET', '/os-security-groups', alice)).body.security_groups.find((g: { name: string }) => g.name === 'web');
    assert.equal((await cloud.request('DELETE', `/os-security-groups/${web.id}`, alice)).body.badRequest.message, 'Security group is still in use');
    assert.equal((await act({ removeSecurityGroup: { name: 'web' } })).status, 202);
    assert.equal((await act({ removeSecurityGroup: { name: 'web' } })).status, 400);
    assert.deepEqual((await cloud.request('GET', `/servers/${inst.uuid}/os-security-groups`, { ...alice, version: '2.90' })).body.security_groups, []);
    const renamed = await cloud.request('PUT', `/os-security-groups/${web.id}`, { ...alice, body: { security_group: { name: 'www', description: 'renamed' } } });
    assert.deepEqual([renamed.body.security_group.name, renamed.body.security_group.description], ['www', 'renamed']);
    assert.equal((await cloud.request('DELETE', `/os-security-groups/${web.id}`, alice)).status, 202);
    // The quota counts groups again once one is gone.
    assert.equal((await create('fresh', 'x')).status, 200);
  });
});

describe('security groups of servers booted through POST /servers', () => {
  let cloud: ServerCloud;
  const alice = { token: 'alice:p1' };
  before(async () => { cloud = await startServerCloud(); });
  after(async () => { await cloud.stop(); });

  it('refuses an unknown group at boot, and puts the server in the groups asked for even without network', async () => {
    const unknown = await cloud.request('POST', '/servers', { ...alice, version: NOW, body: { server: {
      name: 'x', imageRef: cloud.image.id, flavorRef: '1', networks: 'none', security_groups: [{ name: 'nope' }],
    } } });
    assert.deepEqual([unknown.status, unknown.body.badRequest?.message], [400, 'Security group nope not found for project p1.']);
    const web = (await cloud.request('POST', '/os-security-groups', { ...alice, body: { security_group: { name: 'web', description: 'w' } } })).body.security_group;
    const id = await boot(cloud, { security_groups: [{ name: 'web' }, { name: 'default' }] }, alice);
    await waitForStatus(cloud, id, 'ACTIVE', alice);
    const groups = (await cloud.request('GET', `/servers/${id}/os-security-groups`, alice)).body.security_groups;
    assert.deepEqual(groups.map((g: { name: string }) => g.name), ['default', 'web']);
    assert.equal((await cloud.request('DELETE', `/os-security-groups/${web.id}`, alice)).body.badRequest.message, 'Security group is still in use');
    assert.equal((await cloud.request('DELETE', `/servers/${id}`, alice)).status, 204);
    await waitForGone(cloud, id, alice.token);
    assert.equal((await cloud.request('DELETE', `/os-security-groups/${web.id}`, alice)).status, 202, 'a deleted server no longer holds its groups');
  });
});
