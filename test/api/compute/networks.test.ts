import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { fixedIpAssociatePool } from '../../../src/db/api/fixed_ips';
import { networkGetByUuid } from '../../../src/db/api/networks';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { insertInstance } from '../../helpers/instances';

/** os-networks, os-tenant-networks and os-fixed-ips: shapes, policies, errors and microversions (no nova-network needed). */
describe('Compute API os-networks, os-tenant-networks and os-fixed-ips (to 2.35)', () => {
  let cloud: TestCloud;
  const admin = { token: 'admin:admin' };
  const alice = { token: 'alice:p1' };
  before(async () => { cloud = await startCloud({ daemons: ['conductor', 'api'] }); });
  after(async () => { await cloud.stop(); });

  it('creates a network as admin with Nova\'s fields, hiding the admin fields from others', async () => {
    const r = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'pub', cidr: '10.60.0.0/24', dns1: '192.0.2.53' } } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const n = r.body.network;
    assert.deepEqual(Object.keys(n).sort(), [
      'bridge', 'bridge_interface', 'broadcast', 'cidr', 'cidr_v6', 'created_at', 'deleted', 'deleted_at', 'dhcp_server', 'dhcp_start', 'dns1', 'dns2',
      'enable_dhcp', 'gateway', 'gateway_v6', 'host', 'id', 'injected', 'label', 'mtu', 'multi_host', 'netmask', 'netmask_v6', 'priority', 'project_id',
      'rxtx_base', 'share_address', 'updated_at', 'vlan', 'vpn_private_address', 'vpn_public_address', 'vpn_public_port',
    ]);
    assert.deepEqual([n.cidr, n.netmask, n.gateway, n.broadcast, n.dhcp_start, n.dhcp_server, n.bridge, n.dns1, n.multi_host, n.enable_dhcp],
      ['10.60.0.0/24', '255.255.255.0', '10.60.0.1', '10.60.0.255', '10.60.0.2', '10.60.0.1', 'br100', '192.0.2.53', false, true]);
    const mine = await cloud.request('GET', `/os-networks/${n.id}`, alice);
    assert.deepEqual(Object.keys(mine.body.network).sort(), ['broadcast', 'cidr', 'cidr_v6', 'dns1', 'dns2', 'gateway', 'gateway_v6', 'id', 'label', 'netmask', 'netmask_v6']);
    assert.ok((await cloud.request('GET', '/os-networks', alice)).body.networks.some((x: { id: string }) => x.id === n.id), 'flat networks are shared');
  });

  it('answers Nova\'s errors for bad networks, conflicts and missing rights', async () => {
    const bad = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'x', cidr: '10.0.0.300/24' } } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.badRequest.message, /^Invalid input for field\/attribute cidr\. Value: 10\.0\.0\.300\/24\./);
    assert.equal((await cloud.request('POST', '/os-networks', { ...admin, body: { network: { cidr: '10.0.0.0/24' } } })).body.badRequest.message, "'label' is a required property");
    const dup = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'again', cidr: '10.60.0.0/24', bridge: 'br7' } } });
    assert.deepEqual([dup.status, dup.body.conflictingRequest?.message], [409, 'Requested cidr (10.60.0.0/24) conflicts with existing cidr (10.60.0.0/24)']);
    const sameBridge = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'b', cidr: '10.61.0.0/24', bridge: 'br100' } } });
    assert.equal(sameBridge.status, 409, 'two DHCP networks cannot share bridge br100');
    assert.match(sameBridge.body.conflictingRequest.message, /Bridge br100 is already used by network pub/);
    const next = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'b', cidr: '10.61.0.0/24' } } });
    assert.equal(next.body.network.bridge, 'br101', 'the default bridge moves on to a free name');
    assert.equal((await cloud.request('DELETE', `/os-networks/${next.body.network.id}`, admin)).status, 202);
    const v6 = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'v6', cidr_v6: 'fd00::/64' } } });
    assert.equal(v6.status, 400);
    const denied = await cloud.request('POST', '/os-networks', { ...alice, body: { network: { label: 'mine', cidr: '10.62.0.0/24' } } });
    assert.deepEqual([denied.status, denied.body.forbidden.message], [403, "Policy doesn't allow os_compute_api:os-networks to be performed."]);
    assert.deepEqual((await cloud.request('GET', `/os-networks/${randomUUID()}`, admin)).body, { itemNotFound: { code: 404, message: 'Network not found' } });
    const gone = await cloud.request('GET', '/os-networks', { ...admin, version: '2.36' });
    assert.equal(gone.status, 404, 'proxy APIs end at 2.35');
  });

  it('associates and disassociates hosts and projects, and refuses to delete a network a project has', async () => {
    const n = (await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'assoc', cidr: '10.63.0.0/24', bridge: 'br63' } } })).body.network;
    assert.equal((await cloud.request('POST', `/os-networks/${n.id}/action`, { ...admin, body: { associate_host: 'h9' } })).status, 202);
    assert.equal((await networkGetByUuid(n.id))!.host, 'h9');
    assert.equal((await cloud.request('POST', `/os-networks/${n.id}/action`, { ...admin, body: { disassociate_host: null } })).status, 202);
    assert.equal((await networkGetByUuid(n.id))!.host, null);
    assert.equal((await cloud.request('POST', '/os-networks/add', { ...admin, body: { id: n.id } })).status, 202);
    assert.equal((await networkGetByUuid(n.id))!.project_id, 'admin');
    const inUse = await cloud.request('DELETE', `/os-networks/${n.id}`, admin);
    assert.deepEqual([inUse.status, inUse.body.conflictingRequest.message], [409, `Network ${n.id} is still in use.`]);
    assert.equal((await cloud.request('POST', `/os-networks/${n.id}/action`, { ...admin, body: { disassociate: null } })).status, 202);
    assert.equal((await cloud.request('DELETE', `/os-networks/${n.id}`, admin)).status, 202);
    assert.equal((await cloud.request('POST', `/os-networks/${randomUUID()}/action`, { ...admin, body: { disassociate: null } })).status, 404);
    const missing = randomUUID();
    const none = await cloud.request('POST', '/os-networks/add', { ...admin, body: { id: missing } });
    assert.deepEqual([none.status, none.body.badRequest.message], [400, `Network could not be found for uuid ${missing}`]);
  });

  it('lets a project make, see and delete its own networks in os-tenant-networks', async () => {
    const made = await cloud.request('POST', '/os-tenant-networks', { ...alice, body: { network: { label: 'alice-net', cidr: '10.70.0.0/24' } } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.deepEqual(made.body.network, { id: made.body.network.id, cidr: '10.70.0.0/24', label: 'alice-net' });
    assert.equal((await networkGetByUuid(made.body.network.id))!.project_id, 'p1');
    const tiny = await cloud.request('POST', '/os-tenant-networks', { ...alice, body: { network: { label: 't', cidr: '10.71.0.0/31' } } });
    assert.deepEqual([tiny.status, tiny.body.badRequest.message], [400, 'Requested network does not contain enough (2+) usable hosts']);
    const bob = await cloud.request('GET', `/os-tenant-networks/${made.body.network.id}`, { token: 'bob:p2' });
    assert.equal(bob.status, 404, "another project's network");
    assert.equal((await cloud.request('DELETE', `/os-tenant-networks/${made.body.network.id}`, alice)).status, 202);
    assert.equal((await cloud.request('GET', `/os-tenant-networks/${made.body.network.id}`, alice)).status, 404);
  });

  it('shows fixed IPs to admins, with `reserved` from 2.4, and reserves and unreserves them', async () => {
    const n = (await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'fx', cidr: '10.80.0.0/29', bridge: 'br80' } } })).body.network;
    const inst = await insertInstance({ project: 'p1', name: 'fixed-vm' });
    const ip = await fixedIpAssociatePool({ networkId: (await networkGetByUuid(n.id))!.id, instanceUuid: inst.uuid });
    const shown = await cloud.request('GET', `/os-fixed-ips/${ip!.address}`, admin);
    assert.deepEqual(shown.body, { fixed_ip: { cidr: '10.80.0.0/29', address: '10.80.0.2', hostname: inst.hostname, host: null } });
    assert.equal((await cloud.request('GET', '/os-fixed-ips/10.80.0.3', { ...admin, version: '2.4' })).body.fixed_ip.reserved, false);
    assert.equal((await cloud.request('POST', '/os-fixed-ips/10.80.0.3/action', { ...admin, body: { reserve: null } })).status, 202);
    assert.equal((await cloud.request('GET', '/os-fixed-ips/10.80.0.3', { ...admin, version: '2.4' })).body.fixed_ip.reserved, true);
    assert.equal((await cloud.request('POST', '/os-fixed-ips/10.80.0.3/action', { ...admin, body: { unreserve: null } })).status, 202);
    assert.deepEqual((await cloud.request('GET', '/os-fixed-ips/10.99.0.1', admin)).body.itemNotFound.message, 'Fixed IP not found for address 10.99.0.1.');
    assert.deepEqual((await cloud.request('GET', '/os-fixed-ips/not-an-ip', admin)).body.badRequest.message, 'Fixed IP address not-an-ip is invalid.');
    assert.equal((await cloud.request('POST', '/os-fixed-ips/10.99.0.1/action', { ...admin, body: { reserve: null } })).body.itemNotFound.message, 'Fixed IP 10.99.0.1 not found');
    assert.equal((await cloud.request('GET', `/os-fixed-ips/${ip!.address}`, alice)).status, 403);
  });
});

describe('Compute API os-networks with VlanManager and FlatManager', () => {
  const admin = { token: 'admin:admin' };

  it('VlanManager: gives each network a VLAN and its bridge, refusing a VLAN in use', async () => {
    const cloud = await startCloud({ daemons: ['conductor', 'api'], overrides: { network_manager: 'nova.network.manager.VlanManager', vlan_start: '300' } });
    try {
      const a = (await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'a', cidr: '10.81.0.0/24' } } })).body.network;
      assert.deepEqual([a.vlan, a.bridge, a.vpn_private_address, a.dhcp_start, a.vpn_public_port], [300, 'br300', '10.81.0.2', '10.81.0.3', 1000]);
      const b = (await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'b', cidr: '10.82.0.0/24', vlan: 42 } } })).body.network;
      assert.deepEqual([b.vlan, b.bridge], [42, 'br42']);
      const dup = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'c', cidr: '10.83.0.0/24', vlan: 42 } } });
      assert.deepEqual([dup.status, dup.body.conflictingRequest.message], [409, 'Detected existing vlan with id 42']);
      assert.deepEqual((await cloud.request('GET', '/os-networks', { token: 'alice:p1' })).body.networks, [], 'VLAN networks are not shared');
    } finally {
      await cloud.stop();
    }
  });

  it('FlatManager: a network needs a bridge', async () => {
    const cloud = await startCloud({ daemons: ['conductor', 'api'], overrides: { network_manager: 'nova.network.manager.FlatManager', flat_network_bridge: '' } });
    try {
      const r = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'a', cidr: '10.84.0.0/24' } } });
      assert.deepEqual([r.status, r.body.badRequest.message], [400, 'bridge is required to create a network.']);
      const ok = await cloud.request('POST', '/os-networks', { ...admin, body: { network: { label: 'a', cidr: '10.84.0.0/24', bridge: 'br-ex' } } });
      assert.deepEqual([ok.status, ok.body.network.bridge, ok.body.network.injected], [200, 'br-ex', false]);
    } finally {
      await cloud.stop();
    }
  });
});
