import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssignmentRow, ProjectRow, RoleRow, UserRow } from '../../src/db/models/identity';
import { bootstrap } from '../../src/identity/bootstrap';
import { nullLogger } from '../../src/lib/log';
import { startCloud, TestCloud } from '../helpers/cloud';
import { adminPassword, identityCall, issueToken } from '../helpers/identity';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** The variables a shell gets from sourcing `file`. */
function sourced(file: string): Record<string, string> {
  const out = execFileSync('/bin/sh', ['-c', '. "$1" && env', 'sh', file], { env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
  return Object.fromEntries(out.split('\n').filter((l) => l.startsWith('OS_')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('Identity bootstrap and openrc', () => {
  let cloud: TestCloud;
  before(async () => { cloud = await startCloud({ daemons: ['identity'], overrides: { 'identity.region_id': 'RegionX' } }); });
  after(async () => { await cloud.stop(); });

  it('generates the admin and service passwords once, readable by their owner only', () => {
    for (const f of ['admin_password', 'service_password']) {
      const file = path.join(cloud.statePath, f);
      assert.equal(mode(file), 0o600, `${f} mode`);
      assert.match(fs.readFileSync(file, 'utf8').trim(), /^[A-Za-z0-9_-]{24}$/);
    }
  });

  it('writes an openrc that a shell can source, mode 0600', async () => {
    const file = path.join(cloud.statePath, 'openrc');
    assert.equal(mode(file), 0o600);
    assert.deepEqual(sourced(file), {
      OS_AUTH_URL: cloud.identityUrl, OS_AUTH_TYPE: 'password', OS_USERNAME: 'admin', OS_PASSWORD: adminPassword(cloud.statePath),
      OS_PROJECT_NAME: 'admin', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_IDENTITY_API_VERSION: '3',
      OS_REGION_NAME: 'RegionX',
    });
    assert.match(cloud.identityUrl, /^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    const token = (await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin')).body.token;
    assert.ok(token.catalog[0].endpoints.every((e: { region_id: string }) => e.region_id === 'RegionX'));
  });

  it('makes the roles, implications, projects, users and grants, and running it again changes nothing', async () => {
    const count = async () => [await UserRow.count(), await ProjectRow.count(), await RoleRow.count(), await AssignmentRow.count()];
    const before = await count();
    assert.deepEqual(before, [2, 2, 5, 3]);
    const again = await bootstrap(cloud.rt.conf, cloud.statePath, nullLogger);
    assert.deepEqual(await count(), before);
    assert.equal(again.adminPassword, adminPassword(cloud.statePath));
    const service = await issueToken(cloud.identityUrl, 'nova', again.servicePassword, 'service');
    assert.deepEqual(service.body.token.roles.map((r: { name: string }) => r.name).sort(), ['admin', 'manager', 'member', 'reader', 'service']);
  });

  it('takes a configured admin password, resetting the stored one and revoking the old tokens', async () => {
    const old = await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin');
    const conf = { ...cloud.rt.conf, identity: { ...cloud.rt.conf.identity, admin_password: 'Configured-1' } };
    await bootstrap(conf, cloud.statePath, nullLogger);
    await assert.rejects(issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin'), /401/);
    const fresh = await issueToken(cloud.identityUrl, 'admin', 'Configured-1', 'admin');
    assert.equal((await identityCall(cloud.identityUrl, 'GET', '/projects', { token: old.token })).status, 401);
    assert.equal((await identityCall(cloud.identityUrl, 'GET', '/projects', { token: fresh.token })).status, 200);
    await bootstrap(cloud.rt.conf, cloud.statePath, nullLogger);
    await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin');
  });

  it('refuses service-user domains it does not keep, naming the options to fix', async () => {
    const conf = { ...cloud.rt.conf, keystone_authtoken: { ...cloud.rt.conf.keystone_authtoken, user_domain_name: 'Elsewhere' } };
    await assert.rejects(bootstrap(conf, cloud.statePath, nullLogger), /\[keystone_authtoken\] user_domain_name is 'Elsewhere'.*auth_url/);
  });
});
