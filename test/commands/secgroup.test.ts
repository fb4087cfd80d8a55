import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { insertInstance } from '../helpers/instances';
import { nova, parseTable } from '../helpers/run_command';

/** nova secgroup-* and a server's add-/remove-/list-secgroup against the embedded cloud (no nova-network needed). */
describe('nova secgroup-* against the embedded cloud', () => {
  let cloud: TestCloud;
  let alice: string[];
  let admin: string[];
  before(async () => {
    cloud = await startCloud({ daemons: ['conductor', 'api'] });
    alice = ['--os-token', 'alice:p1', '--os-endpoint-override', cloud.computeUrl];
    admin = ['--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl];
  });
  after(async () => { await cloud.stop(); });

  it('creates, lists, updates and deletes groups by name, with the tenant column for --all-tenants', async () => {
    const made = await nova(['secgroup-create', 'web', 'web servers', ...alice]);
    assert.equal(made.exitCode, 0, made.stderr);
    const row = parseTable(made.stdout)[0];
    assert.deepEqual([row.Name, row.Description], ['web', 'web servers']);
    assert.match(row.Id, /^\d+$/);
    assert.deepEqual(parseTable((await nova(['secgroup-list', ...alice])).stdout).map((r) => [r.Name, r.Description]).sort(),
      [['default', 'default'], ['web', 'web servers']]);
    const all = parseTable((await nova(['secgroup-list', '--all-tenants', ...admin])).stdout);
    assert.ok(all.some((r) => r.Name === 'web' && r.Tenant_ID === 'p1'), JSON.stringify(all));

    const updated = await nova(['secgroup-update', 'web', 'www', 'public web', ...alice]);
    assert.deepEqual(parseTable(updated.stdout).map((r) => [r.Id, r.Name, r.Description]), [[row.Id, 'www', 'public web']]);
    const json = (await nova(['secgroup', 'list', '--json', ...alice])).json();
    assert.equal(json.find((g: { id: number }) => String(g.id) === row.Id).name, 'www');

    const deleted = await nova(['secgroup-delete', 'www', ...alice]);
    assert.deepEqual(parseTable(deleted.stdout).map((r) => r.Name), ['www']);
    assert.equal((await nova(['secgroup-delete', 'www', ...alice])).stderr.trim(), "ERROR (CommandError): Secgroup ID or name 'www' not found.");
    const sys = await nova(['secgroup-delete', 'default', ...alice]);
    assert.match(sys.stderr, /^ERROR \(BadRequest\): Unable to delete system group 'default' \(HTTP 400\)/);
  });

  it('adds, lists and deletes CIDR and source-group rules like novaclient', async () => {
    await nova(['secgroup-create', 'db', 'databases', ...alice]);
    await nova(['secgroup-create', 'app', 'app servers', ...alice]);
    const added = await nova(['secgroup-add-rule', 'db', 'tcp', '5432', '5432', '10.0.0.0/8', ...alice]);
    assert.equal(added.exitCode, 0, added.stderr);
    assert.deepEqual(parseTable(added.stdout), [{ 'IP Protocol': 'tcp', 'From Port': '5432', 'To Port': '5432', 'IP Range': '10.0.0.0/8', 'Source Group': '' }]);
    const group = await nova(['secgroup-add-group-rule', 'db', 'app', 'tcp', '3306', '3306', ...alice]);
    assert.equal(group.exitCode, 0, group.stderr);
    assert.deepEqual(parseTable(group.stdout), [{ 'IP Protocol': 'TCP', 'From Port': '3306', 'To Port': '3306', 'IP Range': '', 'Source Group': 'app' }]);
    const half = await nova(['secgroup-add-group-rule', 'db', 'app', 'tcp', ...alice]);
    assert.equal(half.stderr.trim(), 'ERROR (CommandError): ip_proto, from_port, and to_port must be specified together');

    const rules = parseTable((await nova(['secgroup-list-rules', 'db', ...alice])).stdout);
    assert.deepEqual(rules.map((r) => `${r['IP Protocol']} ${r['From Port']}-${r['To Port']} ${r['IP Range']}${r['Source Group']}`).sort(),
      ['TCP 3306-3306 app', 'tcp 5432-5432 10.0.0.0/8']);
    const dup = await nova(['secgroup-add-rule', 'db', 'tcp', '5432', '5432', '10.0.0.0/8', ...alice]);
    assert.match(dup.stderr, /^ERROR \(BadRequest\): .*already exists/);

    assert.equal((await nova(['secgroup-delete-group-rule', 'db', 'app', 'TCP', '3306', '3306', ...alice])).exitCode, 0);
    const gone = await nova(['secgroup-delete-group-rule', 'db', 'app', 'tcp', '3306', '3306', ...alice]);
    assert.equal(gone.stderr.trim(), 'ERROR (CommandError): Rule not found');
    const del = await nova(['secgroup-delete-rule', 'db', 'tcp', '5432', '5432', '10.0.0.0/8', ...alice]);
    assert.deepEqual(parseTable(del.stdout).map((r) => r['IP Range']), ['10.0.0.0/8']);
    assert.deepEqual((await nova(['secgroup-list-rules', 'db', '--json', ...alice])).json(), []);
    assert.equal((await nova(['secgroup-delete-rule', 'db', 'tcp', '5432', '5432', '10.0.0.0/8', ...alice])).stderr.trim(), 'ERROR (CommandError): Rule not found');
  });

  it('adds a group to a server, lists the server\'s groups and removes it', async () => {
    await nova(['secgroup-create', 'ssh', 'ssh in', ...alice]);
    const inst = await insertInstance({ project: 'p1', name: 'vm-sg' });
    const add = await nova(['add-secgroup', 'vm-sg', 'ssh', ...alice]);
    assert.equal(add.exitCode, 0, add.stderr);
    assert.deepEqual(parseTable((await nova(['list-secgroup', 'vm-sg', ...alice])).stdout).map((r) => [r.Name, r.Description]), [['ssh', 'ssh in']]);
    assert.deepEqual((await nova(['server', 'secgroup', 'remove', inst.uuid, 'ssh', '--json', ...alice])).json(), { server: inst.uuid, secgroup: 'ssh' });
    assert.deepEqual((await nova(['list-secgroup', 'vm-sg', '--json', ...alice])).json(), []);
    const missing = await nova(['add-secgroup', 'vm-sg', 'nope', ...alice]);
    assert.match(missing.stderr, /^ERROR \(NotFound\): .*nope.*\(HTTP 404\)/);
  });
});
