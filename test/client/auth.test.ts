import { strict as assert } from 'node:assert';
import { clearTokenCache, createAuthenticator, KeystoneAuth, selectEndpoint, StaticTokenAuth, tokensUrl } from '../../src/client/auth';
import { ComputeClient } from '../../src/client/compute/client';
import { ApiError, CommandError } from '../../src/client/errors';
import { HttpTransport } from '../../src/client/http';
import { ApiSession } from '../../src/client/session';
import { FakeComputeApi } from '../helpers/fake_api';
import { FakeKeystone } from '../helpers/fake_keystone';
import { nova, parseTable } from '../helpers/run_command';

describe('client auth: Keystone v3 password, catalog, token cache', () => {
  let compute: FakeComputeApi;
  let keystone: FakeKeystone;
  /** A token the compute API answers 401 to (as if revoked). */
  let refused: string | undefined;
  const http = new HttpTransport();

  before(async () => {
    compute = await new FakeComputeApi().start();
    compute.on('GET', '/os-services', (req) => (req.headers['x-auth-token'] === refused
      ? { status: 401, body: { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } } }
      : { body: { services: [{ id: 'a9b1', binary: 'nova-compute', host: 'h1', zone: 'nova', status: 'enabled', state: 'up', updated_at: null, disabled_reason: null, forced_down: false }] } }));
    keystone = await new FakeKeystone(() => [
      { type: 'compute', endpoints: [
        { interface: 'internal', region_id: 'RegionOne', url: 'http://127.0.0.1:1/internal' },
        { interface: 'public', region_id: 'RegionTwo', url: 'http://127.0.0.1:1/two' },
        { interface: 'public', region_id: 'RegionOne', url: compute.url },
      ] },
      { type: 'identity', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: keystone.url }] },
    ]).start();
  });
  after(async () => { await compute.stop(); await keystone.stop(); });
  beforeEach(() => { clearTokenCache(); keystone.tokenRequests.length = 0; keystone.issued = 0; compute.clear(); refused = undefined; });

  const password = { authUrl: '', username: 'admin', password: 'secret', projectName: 'admin' };

  it('posts the password method scoped to the project, domains defaulting to the id "default"', async () => {
    const auth = new KeystoneAuth({ ...password, authUrl: keystone.url }, http);
    const state = await auth.authenticate();
    assert.equal(state.token, 'tok-1');
    assert.equal(state.projectId, 'p-admin');
    assert.deepEqual(keystone.tokenRequests[0], {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'secret' } } },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    });
  });

  it('scopes by project id and names the domains when given', async () => {
    const auth = new KeystoneAuth({ authUrl: keystone.url, username: 'admin', password: 'secret', projectId: 'p-admin', userDomainName: 'Users' }, http);
    await auth.authenticate();
    assert.deepEqual(keystone.tokenRequests[0].auth.scope, { project: { id: 'p-admin' } });
    assert.deepEqual(keystone.tokenRequests[0].auth.identity.password.user.domain, { name: 'Users' });
  });

  it('caches the token for the process and re-authenticates once on a 401', async () => {
    const opts = { ...password, authUrl: keystone.url, regionName: 'RegionOne' };
    const auth = new KeystoneAuth(opts, http);
    assert.equal((await auth.authenticate()).token, 'tok-1');
    assert.equal((await new KeystoneAuth(opts, http).authenticate()).token, 'tok-1');
    assert.equal(keystone.tokenRequests.length, 1, 'the second authenticator used the cached token');
    // The compute API refuses tok-1 (say it was revoked): the session fetches a new token and retries once.
    refused = 'tok-1';
    const session = new ApiSession(auth, http);
    const res = await session.request<{ services: unknown[] }>('compute', { method: 'GET', path: '/os-services' });
    assert.equal(res.body.services.length, 1);
    assert.deepEqual(compute.calls.map((c) => c.headers['x-auth-token']), ['tok-1', 'tok-2']);
    assert.equal(keystone.tokenRequests.length, 2);
  });

  it('picks the endpoint by interface and region, and says what the catalog has when nothing fits', () => {
    const catalog = [{ type: 'compute', endpoints: [
      { interface: 'public', region_id: 'R1', url: 'http://a/v2.1/' }, { interface: 'internal', region_id: 'R1', url: 'http://b/v2.1' },
      { interface: 'public', region_id: 'R2', url: 'http://c/v2.1' },
    ] }];
    assert.equal(selectEndpoint(catalog, 'compute'), 'http://a/v2.1');
    assert.equal(selectEndpoint(catalog, 'compute', 'internalURL', 'R1'), 'http://b/v2.1');
    assert.equal(selectEndpoint(catalog, 'compute', 'public', 'R2'), 'http://c/v2.1');
    assert.equal(selectEndpoint(catalog, 'image'), undefined);
    assert.throws(() => selectEndpoint(catalog, 'compute', 'admin'), (e: Error) => e instanceof CommandError &&
      /No compute endpoint for interface 'admin' in the service catalog \(it has: public@R1, internal@R1, public@R2\)/.test(e.message));
    assert.throws(() => selectEndpoint(catalog, 'compute', 'sideways'), /Unknown interface 'sideways'/);
  });

  it('chooses no identity call for a token with an endpoint, and says what is missing otherwise', () => {
    assert.ok(createAuthenticator({ token: 't', endpointOverride: 'http://x/v2.1' }, http) instanceof StaticTokenAuth);
    assert.ok(createAuthenticator({ ...password, authUrl: 'http://k/v3' }, http) instanceof KeystoneAuth);
    assert.throws(() => createAuthenticator({}, http), /You must provide a user name\/id .* or an auth token/);
    assert.throws(() => createAuthenticator({ username: 'a', password: 'b' }, http), /You must provide a project name or project ID/);
    assert.throws(() => createAuthenticator({ username: 'a', password: 'b', projectName: 'p' }, http), /You must provide an auth url/);
    assert.equal(tokensUrl('http://k:5000'), 'http://k:5000/v3/auth/tokens');
    assert.equal(tokensUrl('http://k:5000/v3/'), 'http://k:5000/v3/auth/tokens');
  });

  it('turns a refused password into Keystone\'s 401 message', async () => {
    const auth = new KeystoneAuth({ ...password, password: 'wrong', authUrl: keystone.url }, http);
    await assert.rejects(auth.authenticate(), (e: Error) => e instanceof ApiError && e.name === 'Unauthorized' &&
      e.message === 'The request you have made requires authentication. (HTTP 401) (Request-ID: req-11111111-2222-4333-8444-555555555555)');
  });

  it('runs a command end to end with OS_* variables: Keystone, then the catalog\'s compute endpoint', async () => {
    const out = await nova(['service-list'], { OS_AUTH_URL: keystone.url, OS_USERNAME: 'admin', OS_PASSWORD: 'secret', OS_PROJECT_NAME: 'admin', OS_REGION_NAME: 'RegionOne' });
    assert.equal(out.exitCode, 0, out.stderr);
    assert.equal(parseTable(out.stdout)[0].Host, 'h1');
    assert.equal(compute.last().headers['x-auth-token'], 'tok-1');
    assert.equal(compute.last().headers['openstack-api-version'], 'compute 2.96');
    const bad = await nova(['service-list', '--os-auth-url', keystone.url, '--os-username', 'admin', '--os-password', 'nope', '--os-project-name', 'admin']);
    assert.equal(bad.exitCode, 1);
    assert.match(bad.stderr, /^ERROR \(Unauthorized\): The request you have made requires authentication\. \(HTTP 401\)/);
  });

  it('scopes a given token through Keystone when there is no endpoint override', async () => {
    const client = await ComputeClient.connect(new ApiSession(createAuthenticator({ authUrl: keystone.url, token: 'good-token', projectName: 'admin', regionName: 'RegionOne' }, http), http));
    await client.services.list();
    assert.deepEqual(keystone.tokenRequests[0].auth.identity, { methods: ['token'], token: { id: 'good-token' } });
    assert.equal(compute.last().headers['x-auth-token'], 'tok-1');
  });
});
