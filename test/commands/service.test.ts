import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { nova, parseTable } from '../helpers/run_command';

describe('nova service-* against the embedded cloud', () => {
  let cloud: TestCloud;
  let auth: string[];
  before(async () => {
    cloud = await startCloud();
    auth = ['--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl];
  });
  after(async () => { await cloud.stop(); });

  const computeId = async () => (await nova(['service-list', '--binary', 'nova-compute', '--json', ...auth])).json()[0].id as string;

  it('lists the three services up, as a novaclient table and as --json', async () => {
    const out = await nova(['service-list', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    const lines = out.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^\+-+\+/);
    assert.match(lines[1], /^\| Id +\| Binary +\| Host +\| Zone +\| Status +\| State +\| Updated_at +\| Disabled Reason +\| Forced down \|$/);
    assert.equal(lines[2], lines[0]);
    assert.equal(lines[lines.length - 1], lines[0]);
    const rows = parseTable(out.stdout);
    assert.deepEqual(rows.map((r) => r.Binary).sort(), ['nova-compute', 'nova-conductor', 'nova-scheduler']);
    for (const r of rows) {
      assert.equal(r.State, 'up');
      assert.equal(r.Status, 'enabled');
      assert.equal(r['Disabled Reason'], '-');
      assert.equal(r['Forced down'], 'False');
      assert.match(r.Id, /^[0-9a-f-]{36}$/);
    }
    const json = (await nova(['service', 'list', '--json', ...auth])).json();
    assert.equal(json.length, 3);
    assert.ok(json.every((s: { state: string }) => s.state === 'up'));
  });

  it('filters by --host and --binary', async () => {
    const host = cloud.rt.host;
    const rows = parseTable((await nova(['service', 'list', '--host', host, '--binary', 'nova-scheduler', ...auth])).stdout);
    assert.deepEqual(rows.map((r) => [r.Binary, r.Host]), [['nova-scheduler', host]]);
    assert.deepEqual(parseTable((await nova(['service-list', '--host', 'elsewhere', ...auth])).stdout), []);
  });

  it('disables with a reason, enables, forces down and back, by UUID or host name', async () => {
    const id = await computeId();
    const off = await nova(['service-disable', id, '--reason', 'disk swap', ...auth]);
    assert.equal(off.exitCode, 0, off.stderr);
    assert.deepEqual(parseTable(off.stdout), [{ ID: id, Host: cloud.rt.host, Binary: 'nova-compute', Status: 'disabled', 'Disabled Reason': 'disk swap' }]);
    const listed = parseTable((await nova(['service-list', '--binary', 'nova-compute', ...auth])).stdout)[0];
    assert.equal(listed.Status, 'disabled');
    assert.equal(listed['Disabled Reason'], 'disk swap');

    const on = await nova(['service', 'enable', cloud.rt.host, ...auth]);
    assert.deepEqual(parseTable(on.stdout), [{ ID: id, Host: cloud.rt.host, Binary: 'nova-compute', Status: 'enabled' }]);

    const down = await nova(['service-force-down', id, '--json', ...auth]);
    assert.equal(down.json().forced_down, true);
    assert.equal(down.json().state, 'down');
    const again = parseTable((await nova(['service-list', '--binary', 'nova-compute', ...auth])).stdout)[0];
    assert.equal(again.State, 'down');
    assert.equal(again['Forced down'], 'True');
    const up = await nova(['service-force-down', '--unset', id, ...auth]);
    assert.deepEqual(parseTable(up.stdout), [{ ID: id, Host: cloud.rt.host, Binary: 'nova-compute', 'Forced down': 'False' }]);
  });

  it('uses host and binary before 2.53, with the older columns', async () => {
    const v = ['--os-compute-api-version', '2.11'];
    const list = parseTable((await nova(['service-list', ...v, ...auth])).stdout);
    assert.ok(list.every((r) => /^\d+$/.test(r.Id)));
    const off = await nova(['service-disable', cloud.rt.host, ...v, ...auth]);
    assert.deepEqual(parseTable(off.stdout), [{ Host: cloud.rt.host, Binary: 'nova-compute', Status: 'disabled' }]);
    const on = await nova(['service-enable', cloud.rt.host, ...v, ...auth]);
    assert.deepEqual(parseTable(on.stdout), [{ Host: cloud.rt.host, Binary: 'nova-compute', Status: 'enabled' }]);
    const old = await nova(['service-list', '--os-compute-api-version', '2.10', ...auth]);
    assert.ok(!old.stdout.includes('Forced down'));
    const refused = await nova(['service-force-down', cloud.rt.host, '--os-compute-api-version', '2.10', ...auth]);
    assert.equal(refused.exitCode, 1);
    assert.match(refused.stderr, /^ERROR \(CommandError\): Forcing a service down requires API version 2\.11/);
  });

  it('prints Nova faults like novaclient and exits 1', async () => {
    const missing = await nova(['service-enable', '0e6b0c2a-5a49-4e5e-9c1e-1b8a2b2c2d2e', ...auth]);
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stderr, /^ERROR \(NotFound\): .*could not be found\. \(HTTP 404\) \(Request-ID: req-[0-9a-f-]{36}\)\n$/);
    const member = await nova(['service-list', '--os-token', 'alice:proj', '--os-endpoint-override', cloud.computeUrl]);
    assert.equal(member.exitCode, 1);
    assert.equal(member.stderr.split(' (Request-ID')[0], "ERROR (Forbidden): Policy doesn't allow os_compute_api:os-services:list to be performed. (HTTP 403)");
    const json = await nova(['service-list', '--json', '--os-token', 'alice:proj', '--os-endpoint-override', cloud.computeUrl]);
    assert.equal(json.exitCode, 1);
    assert.equal(json.json().error.type, 'Forbidden');
    assert.equal(json.json().error.code, 403);
    assert.equal(json.json().error.message, "Policy doesn't allow os_compute_api:os-services:list to be performed.");
    assert.match(json.json().error.request_id, /^req-/);
  });

  it('names the URL and the fix when nothing listens', async () => {
    const out = await nova(['service-list', '--os-token', 'admin:admin', '--os-endpoint-override', 'http://127.0.0.1:9/v2.1']);
    assert.equal(out.exitCode, 1);
    assert.match(out.stderr, /^ERROR \(ConnectFailure\): Unable to establish connection to http:\/\/127\.0\.0\.1:9\/v2\.1: .*ECONNREFUSED.*OS_AUTH_URL.*npm start/);
  });

  it('deletes a service', async () => {
    const scheduler = (await nova(['service-list', '--binary', 'nova-scheduler', '--json', ...auth])).json()[0];
    const out = await nova(['service-delete', scheduler.id, '--json', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.deepEqual(out.json(), { deleted: scheduler.id });
    const left = (await nova(['service-list', '--json', ...auth])).json().map((s: { id: string }) => s.id);
    assert.ok(!left.includes(scheduler.id));
  });
});
