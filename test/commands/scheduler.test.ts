import { strict as assert } from 'node:assert';
import { addCompute, ServerCloud, startServerCloud } from '../helpers/servers';
import { nova, parseTable } from '../helpers/run_command';

describe('nova scheduler-dry-run against the embedded cloud', () => {
  let cloud: ServerCloud;
  const auth = (token = 'admin:admin') => ['--os-token', token, '--os-endpoint-override', cloud.computeUrl];
  before(async () => {
    cloud = await startServerCloud();
    await addCompute(cloud, 'cli-dry-2');
  });
  after(async () => { await cloud.stop(); });

  it('shows the chosen hosts, then each filter with its host counts; --json gives the API answer', async () => {
    const out = await nova(['scheduler-dry-run', '--flavor', 'm1.tiny', '--min-count', '2', '--hint', 'different_host=00000000-0000-4000-8000-000000000000', ...auth()]);
    assert.equal(out.exitCode, 0, out.stderr);
    const [placed, filters] = out.stdout.split(/\n(?=\+-+\+-+\+-+\+-+\+\n\| Filter)/);
    const rows = parseTable(placed);
    assert.deepEqual(rows.map((r) => r.Instance), ['1', '2']);
    for (const r of rows) assert.ok([cloud.rt.host, 'cli-dry-2'].includes(r.Host), r.Host);
    const ram = parseTable(filters).find((r) => r.Filter === 'RamFilter')!;
    assert.deepEqual([ram['Hosts Before'], ram['Hosts After']], ['2', '2']);
    assert.match(out.stdout, /Hosts considered: 2/);

    const json = await nova(['scheduler-dry-run', '--flavor', '1', '--availability-zone', 'nova:cli-dry-2', '--json', ...auth()]);
    assert.equal(json.exitCode, 0, json.stderr);
    const d = json.json();
    assert.equal(d.valid, true);
    assert.equal(d.instances[0].host, 'cli-dry-2');
  });

  it('prints the "No valid host" reason, and names the policy for members', async () => {
    const none = await nova(['scheduler-dry-run', '--flavor', '1', '--availability-zone', 'no-such-zone', ...auth()]);
    assert.equal(none.exitCode, 0, none.stderr);
    assert.match(none.stdout, /No valid host was found\. There are not enough hosts available\. AvailabilityZoneFilter removed 2 of 2 host\(s\)/);
    const member = await nova(['scheduler-dry-run', '--flavor', '1', ...auth('alice:p1')]);
    assert.notEqual(member.exitCode, 0);
    assert.match(member.stderr, /os_compute_api:os-scheduler:dry-run/);
  });
});
