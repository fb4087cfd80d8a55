import { strict as assert } from 'node:assert';
import { fixedIpAssociatePool } from '../../src/db/api/fixed_ips';
import { floatingIpsBulkCreate } from '../../src/db/api/floating_ips';
import { networkGetByUuid } from '../../src/db/api/networks';
import { startCloud, TestCloud } from '../helpers/cloud';
import { insertInstance } from '../helpers/instances';
import { nova, parseDict, parseTable } from '../helpers/run_command';

/**
 * nova network-*, fixed-ip-* and floating-ip-* against the embedded cloud's Compute API, without a
 * nova-network service (the database changes are made; no host is there to plumb them, nothing on Linux).
 */
describe('nova network-*, fixed-ip-*, floating-ip-* against the embedded cloud', () => {
  let cloud: TestCloud;
  let admin: string[];
  let alice: string[];
  before(async () => {
    cloud = await startCloud({ daemons: ['conductor', 'api'] });
    admin = ['--os-token', 'admin:admin', '--os-endpoint-override', cloud.computeUrl];
    alice = ['--os-token', 'alice:p1', '--os-endpoint-override', cloud.computeUrl];
  });
  after(async () => { await cloud.stop(); });

  it('creates a network with novaclient\'s flags, lists, shows, associates, disassociates and deletes it by label', async () => {
    const created = await nova(['network-create', 'pub', '--fixed-range-v4', '10.70.0.0/24', '--bridge', 'br70', '--dns1', '192.0.2.53',
      '--multi-host', 'T', '--mtu', '1400', '--debug', ...admin]);
    assert.equal(created.exitCode, 0, created.stderr);
    assert.match(created.stderr, /REQ: POST \S+\/os-networks .*"network":\{"label":"pub","cidr":"10\.70\.0\.0\/24","bridge":"br70","multi_host":true,"dns1":"192\.0\.2\.53","mtu":1400\}/);
    const shown = parseDict(created.stdout);
    assert.deepEqual([shown.label, shown.cidr, shown.bridge, shown.dns1, shown.multi_host, shown.mtu, shown.gateway], ['pub', '10.70.0.0/24', 'br70', '192.0.2.53', 'True', '1400', '10.70.0.1']);
    const id = shown.id;

    const list = parseTable((await nova(['network-list', '--fields', 'bridge,dns1', ...admin])).stdout);
    assert.deepEqual(list, [{ ID: id, Label: 'pub', Cidr: '10.70.0.0/24', Bridge: 'br70', Dns1: '192.0.2.53' }]);
    const json = (await nova(['network', 'show', 'pub', '--json', ...admin])).json();
    assert.deepEqual([json.id, json.netmask], [id, '255.255.255.0']);

    assert.equal((await nova(['network-associate-host', id, 'h7', ...admin])).exitCode, 0);
    assert.equal((await networkGetByUuid(id))!.host, 'h7');
    assert.equal((await nova(['network-disassociate', '--host-only', id, ...admin])).exitCode, 0);
    assert.equal((await networkGetByUuid(id))!.host, null);
    // associate-project gives the network to the project of the session (admin here).
    assert.equal((await nova(['network-associate-project', id, ...admin])).exitCode, 0);
    assert.equal((await networkGetByUuid(id))!.project_id, 'admin');
    const busy = await nova(['network-delete', 'pub', ...admin]);
    assert.equal(busy.exitCode, 1);
    assert.match(busy.stderr, /^ERROR \(Conflict\): .*\(HTTP 409\)/);
    assert.deepEqual((await nova(['network-disassociate', id, '--project-only', '--json', ...admin])).json(), { network: id, host: false, project: true });
    assert.equal((await networkGetByUuid(id))!.project_id, null);
    const deleted = await nova(['network-delete', 'pub', ...admin]);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    assert.deepEqual(parseTable((await nova(['network-list', ...admin])).stdout), []);
  });

  it('refuses a network without a range, unknown networks, non-admins, and versions past 2.35', async () => {
    const norange = await nova(['network-create', 'x', ...admin]);
    assert.deepEqual([norange.exitCode, norange.stderr.trim()], [1, 'ERROR (CommandError): Must specify either fixed_range_v4 or fixed_range_v6']);
    assert.match((await nova(['network-show', 'nope', ...admin])).stderr, /No network with a name or ID of 'nope' exists/);
    const denied = await nova(['network-create', 'mine', '--fixed-range-v4', '10.71.0.0/24', ...alice]);
    assert.match(denied.stderr, /^ERROR \(Forbidden\): Policy doesn't allow os_compute_api:os-networks to be performed\. \(HTTP 403\)/);
    const late = await nova(['network-list', '--os-compute-api-version', '2.36', ...admin]);
    assert.equal(late.exitCode, 1);
    assert.match(late.stderr, /os-networks only up to microversion 2\.35/);
    const sent = await nova(['network-list', '--debug', ...admin]);
    assert.match(sent.stderr, /compute 2\.35/, 'the negotiated version is capped at 2.35');
  });

  it('gets, reserves and unreserves a fixed IP', async () => {
    const net = (await nova(['network-create', 'fx', '--fixed-range-v4', '10.72.0.0/29', '--bridge', 'br72', '--enable-dhcp', 'F',
      '--share-address', 'true', '--vpn', '1000', '--gateway', '10.72.0.1', '--dns2', '192.0.2.54', '--json', ...admin])).json();
    assert.deepEqual([net.enable_dhcp, net.share_address, net.gateway, net.dns2], [false, true, '10.72.0.1', '192.0.2.54']);
    const inst = await insertInstance({ project: 'p1', name: 'fixed-vm' });
    const ip = await fixedIpAssociatePool({ networkId: (await networkGetByUuid(net.id))!.id, instanceUuid: inst.uuid });
    const got = await nova(['fixed-ip-get', ip!.address, ...admin]);
    assert.equal(got.exitCode, 0, got.stderr);
    assert.deepEqual(parseTable(got.stdout), [{ address: ip!.address, cidr: '10.72.0.0/29', hostname: inst.hostname ?? '-', host: '-' }]);
    assert.deepEqual((await nova(['fixed-ip-reserve', '10.72.0.3', '--json', ...admin])).json(), { address: '10.72.0.3', reserved: true });
    assert.equal((await nova(['fixed-ip', 'get', '10.72.0.3', '--os-compute-api-version', '2.4', '--json', ...admin])).json().reserved, true);
    assert.equal((await nova(['fixed-ip-unreserve', '10.72.0.3', ...admin])).stdout, '');
    assert.equal((await nova(['fixed-ip-get', '10.72.0.3', '--os-compute-api-version', '2.4', '--json', ...admin])).json().reserved, false);
    const missing = await nova(['fixed-ip-reserve', '10.99.0.3', ...admin]);
    assert.match(missing.stderr, /^ERROR \(NotFound\): Fixed IP 10\.99\.0\.3 not found \(HTTP 404\)/);
  });

  it('lists pools, allocates, associates with a server and back, lists and releases floating IPs', async () => {
    await floatingIpsBulkCreate([{ address: '203.0.113.20', pool: 'nova', interface: 'eth0' }, { address: '198.51.100.20', pool: 'ext', interface: 'eth1' }]);
    assert.deepEqual(parseTable((await nova(['floating-ip-pool-list', ...alice])).stdout), [{ name: 'ext' }, { name: 'nova' }]);
    const made = await nova(['floating-ip-create', 'ext', ...alice]);
    assert.equal(made.exitCode, 0, made.stderr);
    const row = parseTable(made.stdout)[0];
    assert.deepEqual({ ...row, Id: '' }, { Id: '', IP: '198.51.100.20', 'Server Id': '-', 'Fixed IP': '-', Pool: 'ext' });
    const dflt = (await nova(['floating-ip', 'create', '--json', ...alice])).json();
    assert.deepEqual([dflt.ip, dflt.pool], ['203.0.113.20', 'nova']);

    const net = (await nova(['network-create', 'fl', '--fixed-range-v4', '10.73.0.0/29', '--bridge', 'br73', '--json', ...admin])).json();
    const inst = await insertInstance({ project: 'p1', name: 'web' });
    const fixed = await fixedIpAssociatePool({ networkId: (await networkGetByUuid(net.id))!.id, instanceUuid: inst.uuid });
    const assoc = await nova(['floating-ip-associate', 'web', '198.51.100.20', ...alice]);
    assert.equal(assoc.exitCode, 0, assoc.stderr);
    const listed = parseTable((await nova(['floating-ip-list', ...alice])).stdout);
    assert.deepEqual(listed.map((r) => [r.IP, r['Server Id'], r['Fixed IP'], r.Pool]).sort(),
      [['198.51.100.20', inst.uuid, fixed!.address, 'ext'], ['203.0.113.20', '-', '-', 'nova']]);
    const again = await nova(['add-floating-ip', inst.uuid, '198.51.100.20', '--fixed-address', '10.73.0.6', ...alice]);
    assert.match(again.stderr, /^ERROR \(BadRequest\): Specified fixed address not assigned to instance \(HTTP 400\)/);
    const removed = await nova(['remove-floating-ip', 'web', '198.51.100.20', '--json', ...alice]);
    assert.deepEqual(removed.json(), { server: inst.uuid, address: '198.51.100.20' });
    const notThere = await nova(['floating-ip-disassociate', 'web', '198.51.100.20', ...alice]);
    assert.match(notThere.stderr, /^ERROR \(Conflict\): Floating IP 198\.51\.100\.20 is not associated with instance/);
    assert.equal((await nova(['floating-ip-list', '--json', ...alice])).json().find((f: { ip: string }) => f.ip === '198.51.100.20').instance_id, null);

    assert.equal((await nova(['floating-ip-delete', '198.51.100.20', ...alice])).exitCode, 0);
    assert.deepEqual(parseTable((await nova(['floating-ip-list', ...alice])).stdout).map((r) => r.IP), ['203.0.113.20']);
    const gone = await nova(['floating-ip-delete', '198.51.100.20', ...alice]);
    assert.equal(gone.stderr.trim(), 'ERROR (CommandError): Floating IP 198.51.100.20 not found.');
    const late = await nova(['floating-ip-associate', 'web', '203.0.113.20', '--os-compute-api-version', '2.44', ...alice]);
    assert.match(late.stderr, /only up to microversion 2\.43/);
  });
});
