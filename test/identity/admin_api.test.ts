import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { adminPassword, identityCall, IdentityAnswer, issueToken } from '../helpers/identity';

describe('Identity API: projects, users, roles, assignments, catalog, EC2 credentials', () => {
  let cloud: TestCloud;
  let url: string;
  let admin: string;
  const as = (token: string) => (method: string, path: string, body?: unknown): Promise<IdentityAnswer> =>
    identityCall(url, method, path, { token, body });
  let call: ReturnType<typeof as>;

  before(async () => {
    cloud = await startCloud({ daemons: ['identity'] });
    url = cloud.identityUrl;
    admin = (await issueToken(url, 'admin', adminPassword(cloud.statePath), 'admin')).token;
    call = as(admin);
  });
  after(async () => { await cloud.stop(); });

  it('creates, lists with filters, shows, updates and deletes projects, with 409 and 404 bodies', async () => {
    const created = await call('POST', '/projects', { project: { name: 'demo', description: 'Demo project', tags: ['a'] } });
    assert.equal(created.status, 201);
    const p = created.body.project;
    assert.match(p.id, /^[0-9a-f]{32}$/);
    assert.equal(p.domain_id, 'default');
    assert.equal(p.parent_id, 'default');
    assert.equal(p.enabled, true);
    assert.deepEqual(p.tags, ['a']);
    assert.equal(p.links.self, `${url}/projects/${p.id}`);

    const dup = await call('POST', '/projects', { project: { name: 'demo' } });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body, { error: { code: 409, title: 'Conflict',
      message: 'Conflict occurred attempting to store project - Duplicate entry found with name demo at domain ID default.' } });
    const invalid = await call('POST', '/projects', { project: { description: 'no name' } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error.message, "'name' is a required property");
    const badType = await call('POST', '/projects', { project: { name: 'x', enabled: 'yes' } });
    assert.equal(badType.body.error.message, "Invalid input for field 'enabled': 'yes' is not of type 'boolean'");

    const all = (await call('GET', '/projects')).body;
    assert.deepEqual(all.projects.map((x: { name: string }) => x.name), ['admin', 'demo', 'service']);
    assert.equal(all.links.self, `${url}/projects`);
    const named = (await call('GET', '/projects?name=demo&domain_id=default')).body.projects;
    assert.deepEqual(named.map((x: { id: string }) => x.id), [p.id]);
    assert.equal((await call('GET', '/projects?name=demo&domain_id=other')).body.projects.length, 0);

    const updated = await call('PATCH', `/projects/${p.id}`, { project: { description: 'changed', enabled: false } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.project.description, 'changed');
    assert.equal(updated.body.project.enabled, false);
    assert.equal((await call('GET', '/projects?enabled=false')).body.projects.length, 1);
    assert.equal((await call('GET', `/projects/${p.id}`)).body.project.name, 'demo');

    assert.equal((await call('DELETE', `/projects/${p.id}`)).status, 204);
    const gone = await call('GET', `/projects/${p.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { error: { code: 404, title: 'Not Found', message: `Could not find project: ${p.id}.` } });
  });

  it('creates users with passwords and extra attributes, changes passwords, and hides password hashes', async () => {
    const project = (await call('POST', '/projects', { project: { name: 'users-test' } })).body.project;
    const r = await call('POST', '/users', { user: { name: 'alice', password: 's3cret', default_project_id: project.id, email: 'alice@example.org' } });
    assert.equal(r.status, 201);
    const u = r.body.user;
    assert.equal(u.domain_id, 'default');
    assert.equal(u.default_project_id, project.id);
    assert.equal(u.email, 'alice@example.org');
    assert.equal(u.password, undefined);
    assert.equal(u.password_hash, undefined);
    assert.equal((await call('POST', '/users', { user: { name: 'alice' } })).status, 409);
    assert.deepEqual((await call('GET', '/users?name=alice')).body.users.map((x: { id: string }) => x.id), [u.id]);

    // No role on its default project yet: the token is unscoped, and a project scope is refused.
    const plain = await issueToken(url, 'alice', 's3cret');
    assert.equal(plain.body.token.project, undefined);
    const refused = await identityCall(url, 'POST', '/auth/tokens', { body: { auth: {
      identity: { methods: ['password'], password: { user: { id: u.id, password: 's3cret' } } }, scope: { project: { id: project.id } } } } });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.message, `User ${u.id} has no access to project ${project.id}`);

    const changed = await call('PATCH', `/users/${u.id}`, { user: { password: 'n3w' } });
    assert.equal(changed.status, 200);
    await assert.rejects(issueToken(url, 'alice', 's3cret'), /401/);
    // A password change revokes the user's tokens.
    assert.equal((await identityCall(url, 'GET', `/users/${u.id}`, { token: plain.token })).status, 401);
    const self = await issueToken(url, 'alice', 'n3w');
    const selfChange = await identityCall(url, 'POST', `/users/${u.id}/password`, { body: { user: { original_password: 'wrong', password: 'x' } } });
    assert.equal(selfChange.status, 401);
    assert.equal((await identityCall(url, 'POST', `/users/${u.id}/password`, { body: { user: { original_password: 'n3w', password: 'third' } } })).status, 204);
    assert.equal((await identityCall(url, 'GET', `/users/${u.id}`, { token: self.token })).status, 401);
    await issueToken(url, 'alice', 'third');

    const disabled = await call('PATCH', `/users/${u.id}`, { user: { enabled: false } });
    assert.equal(disabled.body.user.enabled, false);
    await assert.rejects(issueToken(url, 'alice', 'third'), /401/);
    assert.equal((await call('DELETE', `/users/${u.id}`)).status, 204);
    assert.equal((await call('GET', `/users/${u.id}`)).status, 404);
  });

  it('grants, checks, lists and revokes roles; effective roles include implied ones; names on request', async () => {
    const project = (await call('POST', '/projects', { project: { name: 'grants' } })).body.project;
    const user = (await call('POST', '/users', { user: { name: 'bob', password: 'pw' } })).body.user;
    const roles = Object.fromEntries((await call('GET', '/roles')).body.roles.map((r: { name: string; id: string }) => [r.name, r.id]));
    assert.deepEqual(Object.keys(roles).sort(), ['admin', 'manager', 'member', 'reader', 'service']);
    const grant = `/projects/${project.id}/users/${user.id}/roles/${roles.member}`;
    const check = await fetch(`${url}${grant}`, { method: 'HEAD', headers: { 'x-auth-token': admin } });
    assert.equal(check.status, 404);
    assert.equal((await call('PUT', grant)).status, 204);
    assert.equal((await call('PUT', grant)).status, 204);
    assert.equal((await fetch(`${url}${grant}`, { method: 'HEAD', headers: { 'x-auth-token': admin } })).status, 204);
    assert.deepEqual((await call('GET', `/projects/${project.id}/users/${user.id}/roles`)).body.roles.map((r: { name: string }) => r.name), ['member']);
    assert.equal((await call('PUT', `/projects/${project.id}/users/${user.id}/roles/nope`)).status, 404);

    const direct = (await call('GET', `/role_assignments?user.id=${user.id}`)).body.role_assignments;
    assert.deepEqual(direct, [{
      role: { id: roles.member }, user: { id: user.id }, scope: { project: { id: project.id } },
      links: { assignment: `${url}${grant}` },
    }]);
    const effective = (await call('GET', `/role_assignments?user.id=${user.id}&effective`)).body.role_assignments;
    assert.deepEqual(effective.map((a: { role: { id: string } }) => a.role.id).sort(), [roles.member, roles.reader].sort());
    const implied = effective.find((a: { role: { id: string } }) => a.role.id === roles.reader);
    assert.equal(implied.links.prior_role, `${url}/roles/${roles.member}/implies/${roles.reader}`);
    const named = (await call('GET', `/role_assignments?scope.project.id=${project.id}&include_names=True`)).body.role_assignments;
    assert.deepEqual(named[0].role, { id: roles.member, name: 'member' });
    assert.deepEqual(named[0].user, { id: user.id, name: 'bob', domain: { id: 'default', name: 'Default' } });
    assert.deepEqual(named[0].scope.project, { id: project.id, name: 'grants', domain: { id: 'default', name: 'Default' } });
    assert.equal((await call('GET', `/role_assignments?role.id=${roles.admin}&scope.project.id=${project.id}`)).body.role_assignments.length, 0);

    const token = await issueToken(url, 'bob', 'pw', 'grants');
    assert.deepEqual(token.body.token.roles.map((r: { name: string }) => r.name).sort(), ['member', 'reader']);
    const projects = await identityCall(url, 'GET', `/users/${user.id}/projects`, { token: token.token });
    assert.deepEqual(projects.body.projects.map((p: { name: string }) => p.name), ['grants']);

    assert.equal((await call('DELETE', grant)).status, 204);
    const missing = await call('DELETE', grant);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.message,
      `Could not find role assignment with role: ${roles.member}, user or group: ${user.id}, project, domain, or system: ${project.id}.`);
    // The token no longer grants anything on the project.
    assert.equal((await identityCall(url, 'GET', `/users/${user.id}/projects`, { token: token.token })).status, 401);
  });

  it('creates, shows and deletes roles, and refuses duplicates', async () => {
    const r = await call('POST', '/roles', { role: { name: 'observer', description: 'Looks' } });
    assert.equal(r.status, 201);
    assert.equal(r.body.role.domain_id, null);
    assert.equal((await call('POST', '/roles', { role: { name: 'observer' } })).status, 409);
    assert.equal((await call('GET', `/roles/${r.body.role.id}`)).body.role.name, 'observer');
    assert.deepEqual((await call('GET', '/roles?name=observer')).body.roles.map((x: { id: string }) => x.id), [r.body.role.id]);
    assert.equal((await call('DELETE', `/roles/${r.body.role.id}`)).status, 204);
    assert.equal((await call('GET', `/roles/${r.body.role.id}`)).status, 404);
  });

  it('lets a member read itself and its projects but answers 403 on admin APIs', async () => {
    const project = (await call('POST', '/projects', { project: { name: 'carol-project' } })).body.project;
    const user = (await call('POST', '/users', { user: { name: 'carol', password: 'pw', default_project_id: project.id } })).body.user;
    const member = (await call('GET', '/roles?name=member')).body.roles[0];
    await call('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`);
    const carol = await issueToken(url, 'carol', 'pw');
    assert.equal(carol.body.token.project.id, project.id, 'no scope asked: the default project');
    const mine = as(carol.token);
    assert.equal((await mine('GET', `/users/${user.id}`)).status, 200);
    assert.equal((await mine('GET', `/projects/${project.id}`)).status, 200);
    const list = await mine('GET', '/projects');
    assert.equal(list.status, 403);
    assert.deepEqual(list.body, { error: { code: 403, title: 'Forbidden', message: 'You are not authorized to perform the requested action: identity:list_projects.' } });
    assert.equal((await mine('GET', '/users')).status, 403);
    assert.equal((await mine('POST', '/projects', { project: { name: 'mine' } })).status, 403);
    assert.equal((await mine('GET', '/role_assignments')).status, 403);
    const adminUser = (await call('GET', '/users?name=admin')).body.users[0];
    assert.equal((await mine('GET', `/users/${adminUser.id}`)).status, 403);
    // Validating someone else's token needs admin or service; one's own is fine.
    const validateAdmin = await identityCall(url, 'GET', '/auth/tokens', { token: carol.token, headers: { 'x-subject-token': admin } });
    assert.equal(validateAdmin.status, 403);
    assert.equal((await identityCall(url, 'GET', '/auth/tokens', { token: carol.token, headers: { 'x-subject-token': carol.token } })).status, 200);
  });

  it('keeps EC2 credentials per user and project: create, list, show, delete', async () => {
    const project = (await call('POST', '/projects', { project: { name: 'ec2-project' } })).body.project;
    const user = (await call('POST', '/users', { user: { name: 'dave', password: 'pw' } })).body.user;
    const created = await call('POST', `/users/${user.id}/credentials/OS-EC2`, { tenant_id: project.id });
    assert.equal(created.status, 201);
    const c = created.body.credential;
    assert.match(c.access, /^[0-9a-f]{32}$/);
    assert.match(c.secret, /^[0-9a-f]{32}$/);
    assert.equal(c.tenant_id, project.id);
    assert.equal(c.user_id, user.id);
    assert.equal(c.links.self, `${url}/users/${user.id}/credentials/OS-EC2/${c.access}`);
    const list = (await call('GET', `/users/${user.id}/credentials/OS-EC2`)).body.credentials;
    assert.deepEqual(list.map((x: { access: string }) => x.access), [c.access]);
    assert.equal((await call('GET', `/users/${user.id}/credentials/OS-EC2/${c.access}`)).body.credential.secret, c.secret);
    assert.equal((await call('POST', `/users/${user.id}/credentials/OS-EC2`, { tenant_id: 'nope' })).status, 404);
    assert.equal((await call('POST', `/users/${user.id}/credentials/OS-EC2`, {})).status, 400);
    assert.equal((await call('DELETE', `/users/${user.id}/credentials/OS-EC2/${c.access}`)).status, 204);
    const gone = await call('GET', `/users/${user.id}/credentials/OS-EC2/${c.access}`);
    assert.equal(gone.status, 401);
    assert.equal(gone.body.error.message, 'EC2 access key not found.');
  });

  it('edits regions, services and endpoints, and the catalog follows', async () => {
    const region = await call('POST', '/regions', { region: { id: 'RegionTwo', description: 'second' } });
    assert.equal(region.status, 201);
    assert.equal((await call('POST', '/regions', { region: { id: 'RegionTwo' } })).status, 409);
    assert.deepEqual((await call('GET', '/regions')).body.regions.map((r: { id: string }) => r.id), ['RegionOne', 'RegionTwo']);
    const service = (await call('POST', '/services', { service: { type: 'volumev3', name: 'cinderv3' } })).body.service;
    const endpoint = await call('POST', '/endpoints', { endpoint: { service_id: service.id, interface: 'public', url: 'http://127.0.0.1:8776/v3', region_id: 'RegionTwo' } });
    assert.equal(endpoint.status, 201);
    assert.equal(endpoint.body.endpoint.region, 'RegionTwo');
    const badIface = await call('POST', '/endpoints', { endpoint: { service_id: service.id, interface: 'private', url: 'http://x' } });
    assert.equal(badIface.status, 400);
    const listed = (await call('GET', `/endpoints?service_id=${service.id}`)).body.endpoints;
    assert.deepEqual(listed.map((e: { url: string }) => e.url), ['http://127.0.0.1:8776/v3']);
    const catalog = (await call('GET', '/auth/catalog')).body.catalog;
    assert.equal(catalog.find((s: { type: string }) => s.type === 'volumev3').endpoints[0].region_id, 'RegionTwo');
    const inUse = await call('DELETE', '/regions/RegionTwo');
    assert.equal(inUse.status, 403);
    assert.equal((await call('DELETE', `/services/${service.id}`)).status, 204);
    assert.equal((await call('GET', `/endpoints/${endpoint.body.endpoint.id}`)).status, 404);
    assert.equal((await call('DELETE', '/regions/RegionTwo')).status, 204);
    const domains = (await call('GET', '/domains')).body.domains;
    assert.deepEqual(domains.map((d: { id: string; name: string }) => [d.id, d.name]), [['default', 'Default']]);
    assert.equal((await call('GET', '/domains/nope')).status, 404);
  });

  it('answers 404 with Keystone\'s body for an unknown path and 400 for a malformed body', async () => {
    const r = await call('GET', '/no-such-thing');
    assert.equal(r.status, 404);
    assert.equal(r.body.error.title, 'Not Found');
    const res = await fetch(`${url}/projects`, { method: 'POST', headers: { 'x-auth-token': admin, 'content-type': 'application/json' }, body: '{bad' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as any).error.code, 400);
  });
});
