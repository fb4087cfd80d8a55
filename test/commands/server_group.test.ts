import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { glanceClient } from '../helpers/glance';
import { nova, parseTable } from '../helpers/run_command';

/** nova server-group-* and `nova boot --hint group=ID` against the embedded cloud. */
describe('nova server-group-* against the embedded cloud', () => {
  let cloud: TestCloud;
  let alice: string[];
  let admin: string[];
  before(async () => {
    cloud = await startCloud({ daemons: ['image', 'conductor', 'scheduler', 'compute', 'api'] });
    alice = ['--os-token', 'alice:p1', '--os-endpoint-override', cloud.computeUrl];
    admin = ['--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl];
  });
  after(async () => { await cloud.stop(); });

  it('creates a group with a rule, boots a member into it with --hint, lists, gets and deletes it', async () => {
    const made = await nova(['server-group-create', 'spread', 'anti-affinity', '--rule', 'max_server_per_host=2', ...alice]);
    assert.equal(made.exitCode, 0, made.stderr);
    const row = parseTable(made.stdout)[0];
    assert.deepEqual(Object.keys(row), ['Id', 'Name', 'Project Id', 'User Id', 'Policy', 'Rules', 'Members']);
    assert.deepEqual([row.Name, row['Project Id'], row['User Id'], row.Policy, row.Rules, row.Members],
      ['spread', 'p1', 'alice', 'anti-affinity', "{'max_server_per_host': 2}", '[]']);

    const g = glanceClient(cloud.rt.endpoints.image);
    const img = await g('POST', '/v2/images', { body: { name: 'sg-img', disk_format: 'raw', container_format: 'bare', visibility: 'public' } });
    await g('PUT', `/v2/images/${img.body.id}/file`, { raw: Buffer.alloc(1024, 1) });
    const boot = await nova(['boot', '--flavor', '1', '--image', img.body.id, '--nic', 'none', '--hint', `group=${row.Id}`,
      '--poll', '--poll-interval', '0', 'member-1', '--json', ...alice]);
    assert.equal(boot.exitCode, 0, boot.stderr);
    const serverId = boot.json().id;

    const got = await nova(['server-group-get', row.Id, ...alice]);
    assert.deepEqual(parseTable(got.stdout).map((r) => r.Members), [`['${serverId}']`]);
    const old = parseTable((await nova(['server-group-get', row.Id, '--os-compute-api-version', '2.13', ...alice])).stdout)[0];
    assert.deepEqual(old, { Id: row.Id, Name: 'spread', 'Project Id': 'p1', 'User Id': 'alice', Policies: "['anti-affinity']", Members: `['${serverId}']`, Metadata: '{}' });
    const v21 = parseTable((await nova(['server-group-list', '--os-compute-api-version', '2.1', ...alice])).stdout);
    assert.deepEqual(Object.keys(v21[0]), ['Id', 'Name', 'Policies', 'Members', 'Metadata']);

    await nova(['server-group-create', 'together', 'affinity', ...admin]);
    assert.deepEqual(parseTable((await nova(['server-group-list', ...alice])).stdout).map((r) => r.Name), ['spread']);
    const all = (await nova(['server-group', 'list', '--all-projects', '--json', ...admin])).json();
    assert.deepEqual(all.map((x: { name: string }) => x.name).sort(), ['spread', 'together']);
    assert.equal(parseTable((await nova(['server-group-list', '--all-projects', '--limit', '1', ...admin])).stdout).length, 1);

    const del = await nova(['server-group-delete', row.Id, 'no-such-group', ...alice]);
    assert.equal(del.exitCode, 1);
    assert.match(del.stdout, new RegExp(`^Server group ${row.Id} has been successfully deleted\\.\\nInstance group no-such-group could not be found\\. \\(HTTP 404\\)`, 's'));
    assert.match(del.stderr, /Unable to delete the specified server group\(s\)\./);
    assert.deepEqual((await nova(['server-group-list', '--json', ...alice])).json(), []);
  });

  it('refuses a rule before 2.64 and a rule for another policy', async () => {
    const early = await nova(['server-group-create', 'x', 'anti-affinity', '--rule', 'max_server_per_host=2', '--os-compute-api-version', '2.63', ...alice]);
    assert.match(early.stderr, /requires API version 2\.64 or later/);
    const bad = await nova(['server-group-create', 'x', 'affinity', '--rule', 'max_server_per_host=2', ...alice]);
    assert.match(bad.stderr, /^ERROR \(BadRequest\): Only anti-affinity policy supports rules\./);
    const notInt = await nova(['server-group-create', 'x', 'anti-affinity', '--rule', 'max_server_per_host=two', ...alice]);
    assert.match(notInt.stderr, /Invalid rule 'max_server_per_host=two'/);
  });
});
