import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../src/conf/loader';
import { createAuthProvider } from '../../src/identity/provider';
import { nullLogger } from '../../src/lib/log';
import { Runtime } from '../../src/service/runtime';
import { startCloud, TestCloud } from '../helpers/cloud';
import { adminPassword, identityCall, issueToken } from '../helpers/identity';

/**
 * nova-api in one runtime validating over HTTP against the Identity service of another, as with a
 * real Keystone ([keystone_authtoken] auth_url set). Both share one SQLite file, since the models of
 * one process bind to one database.
 */
describe('Token validation over HTTP with [keystone_authtoken]', () => {
  let identity: TestCloud;
  let api: TestCloud;
  let admin: string;

  before(async () => {
    identity = await startCloud({ daemons: ['identity'] });
    const servicePassword = fs.readFileSync(path.join(identity.statePath, 'service_password'), 'utf8').trim();
    api = await startCloud({
      auth: 'keystone',
      overrides: {
        'database.connection': `sqlite:///${path.join(identity.statePath, 'nova.sqlite')}`,
        'keystone_authtoken.auth_url': identity.identityUrl.replace(/\/v3$/, ''), 'keystone_authtoken.password': servicePassword,
        'keystone_authtoken.token_cache_time': '0',
      },
    });
    admin = (await issueToken(identity.identityUrl, 'admin', adminPassword(identity.statePath), 'admin')).token;
  });
  after(async () => {
    await api?.stop();
    await identity?.stop();
  });

  it('leaves the built-in identity idle when auth_url names another Keystone', () => {
    assert.equal(api.identityUrl, '');
    assert.ok(!fs.existsSync(path.join(api.statePath, 'openrc')));
  });

  it('validates tokens with the service user\'s token: 200 for the admin, 401 for a bad token', async () => {
    assert.equal((await api.request('GET', '/os-services', { token: admin })).status, 200);
    const bad = await api.request('GET', '/os-services', { token: 'nope' });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('www-authenticate'), `Keystone uri="${identity.identityUrl.replace(/\/v3$/, '')}"`);
    const service = await api.rt.serviceToken();
    const seen = await identityCall(identity.identityUrl, 'GET', '/auth/tokens', { token: admin, headers: { 'x-subject-token': service } });
    assert.equal(seen.body.token.user.name, 'nova');
  });

  it('sees a revocation at once when token_cache_time is 0, and renews its own revoked token', async () => {
    const { token } = await issueToken(identity.identityUrl, 'admin', adminPassword(identity.statePath), 'admin');
    assert.equal((await api.request('GET', '/os-services', { token })).status, 200);
    await identityCall(identity.identityUrl, 'DELETE', '/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    assert.equal((await api.request('GET', '/os-services', { token })).status, 401);

    const service = await api.rt.serviceToken();
    await identityCall(identity.identityUrl, 'DELETE', '/auth/tokens', { token: admin, headers: { 'x-subject-token': service } });
    assert.equal((await api.request('GET', '/os-services', { token: admin })).status, 200);
    assert.notEqual(await api.rt.serviceToken(), service);
  });

  it('keeps a valid answer for token_cache_time seconds, as keystonemiddleware does', async () => {
    const rt = new Runtime(loadConfig({ overrides: {
      state_path: identity.statePath, 'keystone_authtoken.auth_url': identity.identityUrl, 'keystone_authtoken.token_cache_time': '300',
      'keystone_authtoken.password': fs.readFileSync(path.join(identity.statePath, 'service_password'), 'utf8').trim(),
    } }), nullLogger);
    const provider = await createAuthProvider(rt);
    const { token, body } = await issueToken(identity.identityUrl, 'admin', adminPassword(identity.statePath), 'admin');
    const info = await provider.validateToken(token);
    assert.equal(info.user_name, 'admin');
    assert.equal(info.project_id, body.token.project.id);
    assert.deepEqual([...info.roles].sort(), ['admin', 'manager', 'member', 'reader']);
    await identityCall(identity.identityUrl, 'DELETE', '/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    assert.equal((await provider.validateToken(token)).user_id, info.user_id, 'answered from the cache');
    await assert.rejects(provider.validateToken('unknown-token'), { name: 'NotAuthenticated' });
    await rt.close();
  });

  it('finds the built-in service of this host at my_ip:[identity] port, with the service password from state_path', async () => {
    const port = new URL(identity.identityUrl).port;
    const rt = new Runtime(loadConfig({ overrides: { state_path: identity.statePath, my_ip: '127.0.0.1', 'identity.port': port } }), nullLogger);
    const provider = await createAuthProvider(rt);
    assert.equal(provider.wwwAuthenticateUri, identity.identityUrl.replace(/\/v3$/, ''));
    assert.equal((await provider.validateToken(admin)).user_name, 'admin');
    await rt.close();
  });

  it('names the options to set when there is no Identity service to ask', async () => {
    const rt = new Runtime(loadConfig({ overrides: { state_path: identity.statePath, 'identity.port': '0' } }), nullLogger);
    await assert.rejects(createAuthProvider(rt), /set \[keystone_authtoken\] auth_url, or run the identity daemon in this process/);
    const empty = new Runtime(loadConfig({ overrides: { state_path: api.statePath, 'keystone_authtoken.auth_url': identity.identityUrl } }), nullLogger);
    await assert.rejects((await createAuthProvider(empty)).validateToken(admin), /\[keystone_authtoken\] password is not set/);
  });
});
