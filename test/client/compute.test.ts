import { strict as assert } from 'node:assert';
import { StaticTokenAuth } from '../../src/client/auth';
import { ComputeClient } from '../../src/client/compute/client';
import { ApiError, CommandError, ConnectFailure, UnsupportedVersion } from '../../src/client/errors';
import { HttpTransport } from '../../src/client/http';
import { ApiSession } from '../../src/client/session';
import { FakeComputeApi } from '../helpers/fake_api';

describe('ComputeClient: microversions, headers, faults', () => {
  let api: FakeComputeApi;
  const connect = (version?: string, url = api.url) => {
    const http = new HttpTransport();
    return ComputeClient.connect(new ApiSession(new StaticTokenAuth({ token: 'admin:admin', endpointOverride: url }), http), version);
  };

  before(async () => { api = await new FakeComputeApi().start(); });
  after(async () => { await api.stop(); });
  beforeEach(() => { api.clear(); api.maxVersion = '2.96'; });

  it('negotiates min(server max, 2.96) from the version document and sends it on every call', async () => {
    api.on('GET', '/os-services', { body: { services: [] } });
    api.maxVersion = '2.100';
    const high = await connect();
    assert.equal(high.version.toString(), '2.96');
    assert.equal(high.explicitVersion, false);
    api.maxVersion = '2.60';
    const low = await connect('latest');
    assert.equal(low.version.toString(), '2.60');
    await low.services.list();
    assert.equal(api.requests[api.requests.length - 2].path, '', 'the version document is read from the endpoint itself');
    assert.equal(api.requests[api.requests.length - 2].headers['x-auth-token'], undefined, 'without a token');
    assert.equal(api.last().headers['openstack-api-version'], 'compute 2.60');
    assert.equal(api.last().headers['x-openstack-nova-api-version'], '2.60');
    assert.equal(api.last().headers['x-auth-token'], 'admin:admin');
  });

  it('uses an explicit version after checking it against client and server, and 2.0 sends no header', async () => {
    api.on('GET', '/os-services', { body: { services: [] } });
    const c = await connect('2.53');
    assert.equal(c.explicitVersion, true);
    await c.services.list();
    assert.equal(api.last().headers['openstack-api-version'], 'compute 2.53');
    await assert.rejects(connect('2.97'), (e: Error) => e instanceof CommandError &&
      e.message === "The specified version isn't supported by client. The valid version range is '2.1' to '2.96'");
    api.maxVersion = '2.40';
    await assert.rejects(connect('2.53'), (e: Error) => e instanceof UnsupportedVersion &&
      e.message === "The specified version isn't supported by server. The valid version range is '2.1' to '2.40'");
    await assert.rejects(connect('two'), /Invalid API version 'two'/);
    const legacy = await connect('2');
    await legacy.services.list();
    assert.equal(api.last().headers['openstack-api-version'], undefined);
  });

  it('finds the version document under a project-scoped endpoint', async () => {
    api.on('GET', '/p1/os-services', { body: { services: [] } });
    const c = await connect(undefined, `${api.url}/p1`);
    assert.equal(c.version.toString(), '2.96');
    assert.equal(api.requests[0].path, '');
  });

  it('caps a call at a removed API unless the user asked for a later version', async () => {
    const c = await connect();
    assert.equal(c.atMost('2.87', 'no').version.toString(), '2.87');
    const explicit = await connect('2.90');
    assert.throws(() => explicit.atMost('2.87', 'The hypervisor-stats command is not supported in API version 2.88 or later.'), CommandError);
    assert.equal((await connect('2.60')).atMost('2.87', 'no').version.toString(), '2.60');
    assert.throws(() => c.at('2.10').requireAtLeast('2.26', 'Server tags'), (e: Error) => e instanceof CommandError &&
      e.message === 'Server tags requires API version 2.26 or later (this session uses 2.10).');
  });

  it('raises Nova faults with novaclient names, message, status and request id', async () => {
    api.on('GET', '/servers/missing', { status: 404, body: { itemNotFound: { code: 404, message: 'Instance missing could not be found.' } } });
    api.on('POST', '/servers/locked/action', { status: 409, body: { conflictingRequest: { code: 409, message: 'Instance locked is locked' } } });
    api.on('GET', '/servers/boom', { status: 500, body: { computeFault: { code: 500, message: 'Unexpected API Error.' } } });
    api.on('GET', '/servers/bare', { status: 403, body: '' });
    const c = await connect();
    await assert.rejects(c.servers.get('missing'), (e: Error) => e instanceof ApiError && e.name === 'NotFound' && e.status === 404 &&
      e.message === 'Instance missing could not be found. (HTTP 404) (Request-ID: req-00000000-0000-4000-8000-000000000001)');
    await assert.rejects(c.serverActions.pause('locked'), (e: Error) => e.name === 'Conflict' && /Instance locked is locked \(HTTP 409\)/.test(e.message));
    await assert.rejects(c.servers.get('boom'), (e: Error) => e.name === 'ClientException' && /\(HTTP 500\)/.test(e.message));
    await assert.rejects(c.servers.get('bare'), (e: Error) => e.name === 'Forbidden' && e.message.startsWith('Forbidden (HTTP 403)'));
  });

  it('names the URL when nothing listens', async () => {
    await assert.rejects(connect(undefined, 'http://127.0.0.1:9/v2.1'), (e: Error) => e instanceof ConnectFailure &&
      e.message.startsWith('Unable to establish connection to http://127.0.0.1:9/v2.1: connect ECONNREFUSED'));
  });
});
