import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { nova, parseTable } from '../helpers/run_command';

describe('nova aggregate-* against the embedded cloud', () => {
  let cloud: TestCloud;
  let auth: string[];
  before(async () => {
    cloud = await startCloud();
    auth = ['--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl, '--os-compute-api-version', '2.41'];
  });
  after(async () => { await cloud.stop(); });

  it('creates, adds a host, sets and unsets metadata, renames, shows, removes the host and deletes by name', async () => {
    const host = cloud.rt.host;
    const created = await nova(['aggregate-create', 'rack1', 'zone-a', ...auth]);
    assert.equal(created.exitCode, 0, created.stderr);
    const row = parseTable(created.stdout)[0];
    assert.deepEqual([row.Name, row['Availability Zone'], row.Metadata], ['rack1', 'zone-a', "'availability_zone=zone-a'"]);
    assert.match(row.UUID, /^[0-9a-f-]{36}$/);

    const added = await nova(['aggregate-add-host', 'rack1', host, ...auth]);
    assert.equal(added.exitCode, 0, added.stderr);
    assert.match(added.stdout, new RegExp(`Host ${host} has been successfully added to aggregate ${row.Id}`));
    assert.equal(parseTable(added.stdout.split('\n').slice(1).join('\n'))[0].Hosts, `'${host}'`);

    await nova(['aggregate-set-metadata', 'rack1', 'ssd=true', 'color=red', ...auth]);
    const unset = await nova(['aggregate-set-metadata', row.Id, 'color', ...auth]);
    assert.match(unset.stdout, /'ssd=true'/);
    assert.doesNotMatch(unset.stdout, /color/);

    const renamed = await nova(['aggregate-update', 'rack1', '--name', 'rack2', ...auth]);
    assert.equal(renamed.exitCode, 0, renamed.stderr);
    const shown = parseTable((await nova(['aggregate-show', 'rack2', ...auth])).stdout)[0];
    assert.equal(shown.Name, 'rack2');
    assert.equal(parseTable((await nova(['aggregate-list', ...auth])).stdout).length, 1);

    const busy = await nova(['aggregate-delete', 'rack2', ...auth]);
    assert.notEqual(busy.exitCode, 0);
    assert.match(busy.stderr, /not empty/);
    assert.equal((await nova(['aggregate-remove-host', 'rack2', host, ...auth])).exitCode, 0);
    const deleted = await nova(['aggregate-delete', 'rack2', ...auth]);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    assert.deepEqual(parseTable((await nova(['aggregate-list', ...auth])).stdout), []);
    const missing = await nova(['aggregate-show', 'nope', ...auth]);
    assert.match(missing.stderr, /No aggregate with a name or ID of 'nope' exists/);
  });
});
