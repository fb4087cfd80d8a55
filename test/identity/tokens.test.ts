import { strict as assert } from 'node:assert';
import { TokenRow } from '../../src/db/models/identity';
import { tokenDigest } from '../../src/identity/ids';
import { startCloud, TestCloud } from '../helpers/cloud';
import { adminPassword, identityCall, issueToken, passwordAuth } from '../helpers/identity';

const UNAUTHORIZED = { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } };

describe('Identity API: versions and tokens', () => {
  let cloud: TestCloud;
  let url: string;
  let password: string;
  before(async () => {
    cloud = await startCloud({ daemons: ['identity'], overrides: { 'identity.token_expiration': '1800' } });
    url = cloud.identityUrl;
    password = adminPassword(cloud.statePath);
  });
  after(async () => { await cloud.stop(); });

  it('serves the version documents without a token, 300 at the root as Keystone does', async () => {
    const root = await fetch(url.replace(/\/v3$/, '/'));
    assert.equal(root.status, 300);
    const versions = ((await root.json()) as any).versions.values;
    assert.equal(versions[0].id, 'v3.14');
    assert.equal(versions[0].links[0].href, `${url}/`);
    const v3 = await identityCall(url, 'GET', '');
    assert.equal(v3.status, 200);
    assert.equal(v3.body.version.status, 'stable');
    assert.equal(v3.body.version['media-types'][0].type, 'application/vnd.openstack.identity-v3+json');
  });

  it('issues a project-scoped token with the catalog, effective roles and Keystone\'s times', async () => {
    const r = await identityCall(url, 'POST', '/auth/tokens', { body: passwordAuth('admin', password, 'admin') });
    assert.equal(r.status, 201);
    assert.match(r.headers.get('x-subject-token') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const t = r.body.token;
    assert.deepEqual(t.methods, ['password']);
    assert.equal(t.user.name, 'admin');
    assert.deepEqual(t.user.domain, { id: 'default', name: 'Default' });
    assert.equal(t.project.name, 'admin');
    assert.deepEqual(t.project.domain, { id: 'default', name: 'Default' });
    assert.equal(t.is_domain, false);
    assert.deepEqual(t.roles.map((x: { name: string }) => x.name).sort(), ['admin', 'manager', 'member', 'reader']);
    assert.match(t.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/);
    assert.equal((Date.parse(t.expires_at) - Date.parse(t.issued_at)) / 1000, 1800);
    assert.equal(t.audit_ids.length, 1);
    const identity = t.catalog.find((s: { type: string }) => s.type === 'identity');
    assert.equal(identity.name, 'keystone');
    assert.deepEqual(identity.endpoints.map((e: { interface: string }) => e.interface).sort(), ['admin', 'internal', 'public']);
    assert.ok(identity.endpoints.every((e: { url: string; region_id: string }) => e.url === url && e.region_id === 'RegionOne'));
  });

  it('scopes by project id, leaves the catalog out with ?nocatalog, and issues unscoped tokens', async () => {
    const scoped = await issueToken(url, 'admin', password, 'admin');
    const byId = await identityCall(url, 'POST', '/auth/tokens?nocatalog', {
      body: { auth: { identity: { methods: ['password'], password: { user: { id: scoped.body.token.user.id, password } } },
        scope: { project: { id: scoped.body.token.project.id } } } },
    });
    assert.equal(byId.status, 201);
    assert.equal(byId.body.token.project.id, scoped.body.token.project.id);
    assert.equal(byId.body.token.catalog, undefined);
    const unscoped = await issueToken(url, 'admin', password, 'unscoped');
    assert.equal(unscoped.body.token.project, undefined);
    assert.equal(unscoped.body.token.roles, undefined);
    assert.equal(unscoped.body.token.catalog, undefined);
  });

  it('validates with GET and HEAD, needs X-Auth-Token, and answers 404 for a bad subject', async () => {
    const admin = await issueToken(url, 'admin', password, 'admin');
    const other = await issueToken(url, 'admin', password, 'admin');
    const get = await identityCall(url, 'GET', '/auth/tokens', { token: admin.token, headers: { 'x-subject-token': other.token } });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('x-subject-token'), other.token);
    assert.equal(get.body.token.project.name, 'admin');
    assert.ok(get.body.token.catalog.length >= 1);
    const head = await fetch(`${url}/auth/tokens`, { method: 'HEAD', headers: { 'x-auth-token': admin.token, 'x-subject-token': other.token } });
    assert.equal(head.status, 200);
    const bad = await identityCall(url, 'GET', '/auth/tokens', { token: admin.token, headers: { 'x-subject-token': 'not-a-token' } });
    assert.equal(bad.status, 404);
    assert.deepEqual(bad.body, { error: { code: 404, title: 'Not Found', message: 'Could not find token: not-a-token.' } });
    const noAuth = await identityCall(url, 'GET', '/auth/tokens', { headers: { 'x-subject-token': other.token } });
    assert.equal(noAuth.status, 401);
    assert.deepEqual(noAuth.body, UNAUTHORIZED);
    assert.match(noAuth.headers.get('www-authenticate') ?? '', /^Keystone uri="http:\/\/127\.0\.0\.1:\d+"$/);
  });

  it('refuses wrong passwords, unknown users and malformed tokens with the same 401', async () => {
    for (const body of [passwordAuth('admin', 'wrong', 'admin'), passwordAuth('nobody', password, 'admin'), passwordAuth('admin', password, 'no-such-project')]) {
      const r = await identityCall(url, 'POST', '/auth/tokens', { body });
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, UNAUTHORIZED);
    }
    const malformed = await identityCall(url, 'GET', '/projects', { token: 'x'.repeat(5000) });
    assert.equal(malformed.status, 401);
    const missing = await identityCall(url, 'POST', '/auth/tokens', { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password } } } } } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /^Expecting to find domain in user/);
    const method = await identityCall(url, 'POST', '/auth/tokens', { body: { auth: { identity: { methods: ['totp'] } } } });
    assert.equal(method.status, 401);
    assert.equal(method.body.error.message, 'Attempted to authenticate with an unsupported method.');
  });

  it('rescopes with the token method: same user, same end of life, chained audit ids', async () => {
    const unscoped = await issueToken(url, 'admin', password, 'unscoped');
    const r = await identityCall(url, 'POST', '/auth/tokens', {
      body: { auth: { identity: { methods: ['token'], token: { id: unscoped.token } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } },
    });
    assert.equal(r.status, 201);
    const t = r.body.token;
    assert.equal(t.user.id, unscoped.body.token.user.id);
    assert.equal(t.project.name, 'admin');
    assert.equal(t.expires_at, unscoped.body.token.expires_at);
    assert.deepEqual(t.methods.sort(), ['password', 'token']);
    assert.equal(t.audit_ids[1], unscoped.body.token.audit_ids[0]);
  });

  it('revokes a token at once, and a revoked or expired token is refused everywhere', async () => {
    const admin = await issueToken(url, 'admin', password, 'admin');
    const victim = await issueToken(url, 'admin', password, 'admin');
    assert.equal((await identityCall(url, 'GET', '/projects', { token: victim.token })).status, 200);
    const del = await identityCall(url, 'DELETE', '/auth/tokens', { token: admin.token, headers: { 'x-subject-token': victim.token } });
    assert.equal(del.status, 204);
    assert.equal((await identityCall(url, 'GET', '/projects', { token: victim.token })).status, 401);
    const again = await identityCall(url, 'GET', '/auth/tokens', { token: admin.token, headers: { 'x-subject-token': victim.token } });
    assert.equal(again.status, 404);

    const old = await issueToken(url, 'admin', password, 'admin');
    await TokenRow.update({ expires_at: new Date(Date.now() - 1000) }, { where: { id: tokenDigest(old.token) } });
    const expired = await identityCall(url, 'GET', '/projects', { token: old.token });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, UNAUTHORIZED);
    const validateExpired = await identityCall(url, 'GET', '/auth/tokens', { token: admin.token, headers: { 'x-subject-token': old.token } });
    assert.equal(validateExpired.status, 404);
    const rescope = await identityCall(url, 'POST', '/auth/tokens', { body: { auth: { identity: { methods: ['token'], token: { id: old.token } } } } });
    assert.equal(rescope.status, 401);
  });

  it('serves the catalog and the caller\'s projects, and puts newly published endpoints in the catalog', async () => {
    await cloud.rt.publishEndpoint('compute', 'http://127.0.0.1:18774/v2.1');
    await cloud.rt.publishEndpoint('image', 'http://127.0.0.1:19292');
    const admin = await issueToken(url, 'admin', password, 'admin');
    const catalog = (await identityCall(url, 'GET', '/auth/catalog', { token: admin.token })).body.catalog;
    const byType = Object.fromEntries(catalog.map((s: { type: string }) => [s.type, s]));
    assert.equal(byType.compute.name, 'nova');
    assert.equal(byType.image.name, 'glance');
    assert.deepEqual(byType.compute.endpoints.map((e: { url: string }) => e.url), Array(3).fill('http://127.0.0.1:18774/v2.1'));
    // A new URL for the same type replaces the old one rather than adding a second endpoint.
    await cloud.rt.publishEndpoint('compute', 'http://127.0.0.1:28774/v2.1');
    const token = (await issueToken(url, 'admin', password, 'admin')).body.token;
    const compute = token.catalog.filter((s: { type: string }) => s.type === 'compute');
    assert.equal(compute.length, 1);
    assert.deepEqual(compute[0].endpoints.map((e: { url: string }) => e.url), Array(3).fill('http://127.0.0.1:28774/v2.1'));

    const projects = (await identityCall(url, 'GET', '/auth/projects', { token: admin.token })).body.projects;
    assert.deepEqual(projects.map((p: { name: string }) => p.name), ['admin']);
    const unscoped = await issueToken(url, 'admin', password, 'unscoped');
    const noCatalog = await identityCall(url, 'GET', '/auth/catalog', { token: unscoped.token });
    assert.equal(noCatalog.status, 403);
    assert.equal(noCatalog.body.error.message, 'A project-scoped token is required to produce a service catalog.');
  });
});
