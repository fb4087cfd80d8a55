import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { TokenRow } from '../../../src/db/models/identity';
import { tokenDigest } from '../../../src/identity/ids';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { adminPassword, identityCall, issueToken } from '../../helpers/identity';

const DB = 'nova_identity_it';

/** Servers of this host (see scripts/ci/setup-host.sh), each test run in a database of its own. */
const SERVERS = [
  {
    name: 'MariaDB', url: `mysql+pymysql://nova:nova@127.0.0.1:3306/${DB}`,
    reset: () => execFileSync('/usr/bin/mysql', ['-unova', '-pnova', '-h127.0.0.1', '-e',
      `DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB} CHARACTER SET utf8mb4;`]),
    drop: () => execFileSync('/usr/bin/mysql', ['-unova', '-pnova', '-h127.0.0.1', '-e', `DROP DATABASE IF EXISTS ${DB}`]),
  },
  {
    name: 'PostgreSQL', url: `postgresql://nova:nova@127.0.0.1:5432/${DB}`,
    reset: () => {
      execFileSync('/usr/bin/psql', ['-U', 'nova', '-h', '127.0.0.1', '-d', 'postgres', '-qc', `DROP DATABASE IF EXISTS ${DB}`], { env: { PGPASSWORD: 'nova' }, stdio: 'ignore' });
      execFileSync('/usr/bin/psql', ['-U', 'nova', '-h', '127.0.0.1', '-d', 'postgres', '-qc', `CREATE DATABASE ${DB}`], { env: { PGPASSWORD: 'nova' } });
    },
    drop: () => execFileSync('/usr/bin/psql', ['-U', 'nova', '-h', '127.0.0.1', '-d', 'postgres', '-qc', `DROP DATABASE IF EXISTS ${DB}`], { env: { PGPASSWORD: 'nova' }, stdio: 'ignore' }),
  },
];

for (const server of SERVERS) {
  describe(`Identity service on ${server.name}`, function () {
    this.timeout(120_000);
    let cloud: TestCloud;
    before(async () => {
      server.reset();
      cloud = await startCloud({ auth: 'keystone', daemons: ['conductor', 'api'], overrides: { 'database.connection': server.url } });
    });
    after(async () => {
      await cloud?.stop();
      server.drop();
    });

    it('bootstraps, issues and expires tokens, refuses duplicates, grants roles and keeps EC2 credentials', async () => {
      const { token: admin } = await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin');
      const call = (method: string, p: string, body?: unknown) => identityCall(cloud.identityUrl, method, p, { token: admin, body });
      const project = (await call('POST', '/projects', { project: { name: 'demo', tags: ['x'] } })).body.project;
      assert.equal((await call('POST', '/projects', { project: { name: 'demo' } })).status, 409);
      const user = (await call('POST', '/users', { user: { name: 'alice', password: 'pw', email: 'a@example.org' } })).body.user;
      assert.equal((await call('POST', '/users', { user: { name: 'alice' } })).status, 409);
      const member = (await call('GET', '/roles?name=member')).body.roles[0];
      assert.equal((await call('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`)).status, 204);
      assert.equal((await call('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`)).status, 204);
      const effective = (await call('GET', `/role_assignments?user.id=${user.id}&effective&include_names`)).body.role_assignments;
      assert.deepEqual(effective.map((a: { role: { name: string } }) => a.role.name).sort(), ['member', 'reader']);

      const alice = await issueToken(cloud.identityUrl, 'alice', 'pw', 'demo');
      assert.equal((await cloud.request('GET', '/os-services', { token: alice.token })).status, 403);
      assert.equal((await cloud.request('GET', '/os-services', { token: admin })).status, 200);
      await TokenRow.update({ expires_at: new Date(Date.now() - 1000) }, { where: { id: tokenDigest(alice.token) } });
      assert.equal((await cloud.request('GET', '/os-services', { token: alice.token })).status, 401);

      const cred = (await call('POST', `/users/${user.id}/credentials/OS-EC2`, { tenant_id: project.id })).body.credential;
      assert.deepEqual((await call('GET', `/users/${user.id}/credentials/OS-EC2`)).body.credentials.map((c: { access: string }) => c.access), [cred.access]);
      assert.equal((await call('DELETE', `/projects/${project.id}`)).status, 204);
      assert.equal((await call('GET', `/users/${user.id}/credentials/OS-EC2`)).body.credentials.length, 0);
    });
  });
}
