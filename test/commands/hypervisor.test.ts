import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { nova, parseDict, parseTable } from '../helpers/run_command';

describe('nova hypervisor-* and version-list against the embedded cloud', () => {
  let cloud: TestCloud;
  let auth: string[];
  before(async () => {
    cloud = await startCloud();
    auth = ['--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl];
  });
  after(async () => { await cloud.stop(); });

  it('lists the fake hypervisor, also with --matching', async () => {
    const rows = parseTable((await nova(['hypervisor-list', ...auth])).stdout);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]['Hypervisor hostname'], cloud.rt.host);
    assert.equal(rows[0].State, 'up');
    assert.equal(rows[0].Status, 'enabled');
    assert.match(rows[0].ID, /^[0-9a-f-]{36}$/);
    const matched = parseTable((await nova(['hypervisor', 'list', '--matching', cloud.rt.host.slice(0, 6), ...auth])).stdout);
    assert.deepEqual(matched, rows);
    const none = await nova(['hypervisor-list', '--matching', 'nothing-like-this', ...auth]);
    assert.equal(none.exitCode, 1);
    assert.match(none.stderr, /ERROR \(NotFound\): No hypervisor matching 'nothing-like-this' could be found\. \(HTTP 404\)/);
  });

  it('shows a hypervisor by hostname or id, flattened and wrapped like novaclient', async () => {
    const byName = await nova(['hypervisor-show', cloud.rt.host, ...auth]);
    assert.equal(byName.exitCode, 0, byName.stderr);
    const d = parseDict(byName.stdout);
    assert.equal(d.hypervisor_type, 'fake');
    assert.equal(d.service_host, cloud.rt.host);
    assert.match(d.id, /^[0-9a-f-]{36}$/);
    assert.ok(d.uptime, 'uptime is shown since 2.88');
    const byId = (await nova(['hypervisor', 'show', d.id, '--json', ...auth])).json();
    assert.equal(byId.hypervisor_hostname, cloud.rt.host);
    const old = parseDict((await nova(['hypervisor-show', cloud.rt.host, '--os-compute-api-version', '2.27', ...auth])).stdout);
    assert.equal(old.vcpus, '16');
    assert.equal(old.memory_mb, '32768');
    assert.equal(old.cpu_info_arch, 'x86_64', 'cpu_info, a JSON string before 2.28, is decoded and flattened');
    const missing = await nova(['hypervisor-show', 'no-such-host', ...auth]);
    assert.equal(missing.exitCode, 1);
    assert.equal(missing.stderr, "ERROR (CommandError): No hypervisor with a name or ID of 'no-such-host' exists.\n");
  });

  it('totals resources with hypervisor-stats (asked at 2.87), and refuses an explicit 2.88', async () => {
    const out = await nova(['hypervisor-stats', ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    const d = parseDict(out.stdout);
    assert.equal(d.count, '1');
    assert.equal(d.vcpus, '16');
    assert.equal(d.local_gb, '1024');
    assert.equal(d.memory_mb, '32768');
    const json = (await nova(['hypervisor', 'stats', '--json', ...auth])).json();
    assert.equal(json.memory_mb_used + json.free_ram_mb, json.memory_mb);
    const refused = await nova(['hypervisor-stats', '--os-compute-api-version', '2.88', ...auth]);
    assert.equal(refused.exitCode, 1);
    assert.equal(refused.stderr, 'ERROR (CommandError): The hypervisor-stats command is not supported in API version 2.88 or later.\n');
  });

  it('shows the uptime through the old route and through show', async () => {
    for (const v of ['2.87', '2.96']) {
      const d = parseDict((await nova(['hypervisor-uptime', cloud.rt.host, '--os-compute-api-version', v, ...auth])).stdout);
      assert.equal(d.hypervisor_hostname, cloud.rt.host, v);
      assert.ok(d.uptime && d.uptime !== '-', `uptime at ${v}`);
    }
  });

  it('lists servers of a hypervisor (none yet) with novaclient columns', async () => {
    const out = await nova(['hypervisor-servers', cloud.rt.host, ...auth]);
    assert.equal(out.exitCode, 0, out.stderr);
    assert.match(out.stdout, /^\+-+\+-+\+-+\+-+\+\n\| ID \| Name \| Hypervisor ID \| Hypervisor Hostname \|\n/);
    assert.deepEqual(parseTable(out.stdout), []);
  });

  it('lists the API versions of client and server', async () => {
    const out = await nova(['version-list', ...auth]);
    assert.match(out.stdout, /^Client supported API versions:\nMinimum version 2\.1\nMaximum version 2\.96\n\nServer supported API versions:\n/);
    assert.deepEqual(parseTable(out.stdout), [{ Id: 'v2.1', Status: 'CURRENT', Updated: '2013-07-23T11:33:21Z', 'Min Version': '2.1', Version: '2.96' }]);
  });
});
