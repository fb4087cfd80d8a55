import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startCloud, TestCloud, waitFor } from '../../helpers/cloud';
import { adminPassword, identityCall, issueToken } from '../../helpers/identity';

describe('Compute API with tokens of the built-in Identity service', () => {
  let cloud: TestCloud;
  let admin: string;
  let member: string;

  before(async () => {
    cloud = await startCloud({ auth: 'keystone' });
    admin = (await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin')).token;
    const call = (method: string, p: string, body?: unknown) => identityCall(cloud.identityUrl, method, p, { token: admin, body });
    const project = (await call('POST', '/projects', { project: { name: 'demo' } })).body.project;
    const user = (await call('POST', '/users', { user: { name: 'alice', password: 'alice-pw', default_project_id: project.id } })).body.user;
    const role = (await call('GET', '/roles?name=member')).body.roles[0];
    assert.equal((await call('PUT', `/projects/${project.id}/users/${user.id}/roles/${role.id}`)).status, 204);
    member = (await issueToken(cloud.identityUrl, 'alice', 'alice-pw', 'demo')).token;
  });
  after(async () => { await cloud.stop(); });

  it('answers 401 without a token or with a bad one, naming the Identity endpoint', async () => {
    const none = await fetch(`${cloud.computeUrl}/os-services`);
    assert.equal(none.status, 401);
    assert.deepEqual(await none.json(), { error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    assert.equal(none.headers.get('www-authenticate'), `Keystone uri="${cloud.identityUrl.replace(/\/v3$/, '')}"`);
    const bad = await cloud.request('GET', '/os-services', { token: 'gAAAAA-not-a-token' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, 401);
    const noauth2Style = await cloud.request('GET', '/os-services', { token: 'admin:admin' });
    assert.equal(noauth2Style.status, 401);
  });

  it('gives a member Nova\'s 403 on an admin API and the admin a 200', async () => {
    const r = await cloud.request('GET', '/os-services', { token: member });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-services:list to be performed." } });
    const ok = await cloud.request('GET', '/os-services', { token: admin });
    assert.equal(ok.status, 200);
    assert.ok(ok.body.services.some((s: { binary: string }) => s.binary === 'nova-compute'));
  });

  it('follows a policy.yaml override in state_path without a restart', async () => {
    const file = path.join(cloud.statePath, 'policy.yaml');
    fs.writeFileSync(file, '"os_compute_api:os-services:list": "role:reader"\n');
    try {
      await waitFor(async () => (await cloud.request('GET', '/os-services', { token: member })).status === 200, 10000, 'the policy override');
    } finally {
      fs.rmSync(file);
    }
    await waitFor(async () => (await cloud.request('GET', '/os-services', { token: member })).status === 403, 10000, 'the default policy again');
  });

  it('refuses a token as soon as it is revoked', async () => {
    const { token } = await issueToken(cloud.identityUrl, 'alice', 'alice-pw', 'demo');
    assert.equal((await cloud.request('GET', '/os-hypervisors', { token })).status, 403);
    const del = await identityCall(cloud.identityUrl, 'DELETE', '/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    assert.equal(del.status, 204);
    assert.equal((await cloud.request('GET', '/os-hypervisors', { token })).status, 401);
  });

  it('lists the Compute API in the catalog, and serves the nova service user a token with the service role', async () => {
    const token = (await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin')).body.token;
    const compute = token.catalog.find((s: { type: string }) => s.type === 'compute');
    assert.equal(compute.name, 'nova');
    assert.ok(compute.endpoints.every((e: { url: string }) => e.url === cloud.computeUrl));
    const service = await cloud.rt.serviceToken();
    assert.equal(await cloud.rt.serviceToken(), service, 'the service token is reused while fresh');
    const seen = await identityCall(cloud.identityUrl, 'GET', '/auth/tokens', { token: admin, headers: { 'x-subject-token': service } });
    assert.equal(seen.body.token.user.name, 'nova');
    assert.equal(seen.body.token.project.name, 'service');
    assert.ok(seen.body.token.roles.some((r: { name: string }) => r.name === 'service'));
    assert.equal((await cloud.request('GET', '/os-services', { token: service })).status, 200);
  });
});
