import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixedIpGetByAddress } from '../../../src/db/api/fixed_ips';
import { waitFor } from '../../helpers/cloud';
import { attachGuest, attachOutside, connect, dhcp, Guest, removeGuest, serve } from '../../helpers/guests';
import {
  deleteNamespace, dnsmasqProcesses, kernelHasVlans, links, listNamespaces, makeNamespace, networkTestsUnavailable, ourRules,
} from '../../helpers/netns';
import { NetworkCloud, startNetworkCloud } from '../../helpers/network';

/**
 * nova-network doing real work inside network namespaces: "guest" namespaces plugged into its bridges
 * get their addresses from its dnsmasq (busybox udhcpc), an "outside" namespace reaches a guest through
 * its floating IP (DNAT), a security group rule opens and closes a TCP port, and two tenants on
 * VlanManager get separate VLANs and cannot reach each other.
 */
describe('nova-network in network namespaces (guests, DHCP, floating IPs, security groups)', function () {
  this.timeout(180000);
  let hostNs = '';
  let outNs = '';
  let cloud: NetworkCloud | undefined;
  const guests: Guest[] = [];
  const alice = { token: 'alice:p1', version: '2.35' };
  const admin = { token: 'admin:admin', version: '2.35' };

  before(function () {
    if (networkTestsUnavailable()) this.skip();
  });

  async function start(manager: string, extra: Record<string, string> = {}): Promise<NetworkCloud> {
    hostNs = makeNamespace('h');
    outNs = attachOutside(hostNs, 'pub0', '192.0.2.1/24', '192.0.2.2/24', ['203.0.113.0/28']);
    cloud = await startNetworkCloud({
      network_manager: `nova.network.manager.${manager}`, network_namespace: hostNs, public_interface: 'pub0', routing_source_ip: '192.0.2.1',
      metadata_host: '192.0.2.1', floating_range: '203.0.113.0/28', dhcp_lease_time: '120', ...extra,
    });
    return cloud;
  }

  /** Plugs a guest for the instance into its bridge and has it ask dnsmasq for an address. */
  function plug(c: NetworkCloud, inst: { network_info: Array<{ address: string; network: { bridge: string | null } }> }, tag: string): { guest: Guest; ip: string | null } {
    const vif = inst.network_info[0];
    const guest = attachGuest(hostNs, vif.network.bridge!, vif.address, tag);
    guests.push(guest);
    void c;
    return { guest, ip: dhcp(guest) };
  }

  afterEach(async () => {
    const statePath = cloud?.statePath ?? '';
    for (const g of guests.splice(0)) removeGuest(g);
    await cloud?.stop();
    cloud = undefined;
    try {
      assert.deepEqual(ourRules(hostNs), []);
      assert.deepEqual(links(hostNs).filter((l) => l.kind === 'bridge' || l.kind === 'vlan'), []);
      assert.deepEqual(dnsmasqProcesses(statePath), []);
    } finally {
      deleteNamespace(outNs);
      deleteNamespace(hostNs);
    }
    assert.ok(!listNamespaces().some((n) => n === hostNs || n === outNs));
  });

  it('FlatDHCPManager: guests get their addresses by DHCP; a floating IP and a security group rule open a port from outside', async () => {
    const c = await start('FlatDHCPManager');
    const net = (await c.request('POST', '/os-networks', { ...admin, body: { network: { label: 'private', cidr: '10.50.0.0/24' } } })).body.network;
    const vm1 = await c.boot('p1', { name: 'vm1' });
    const vm2 = await c.boot('p1', { name: 'vm2' });
    const ip1 = vm1.network_info[0].network.subnets[0].ips[0].address;
    const ip2 = vm2.network_info[0].network.subnets[0].ips[0].address;
    const g1 = plug(c, vm1, 'g1');
    const g2 = plug(c, vm2, 'g2');
    assert.deepEqual([g1.ip, g2.ip], [ip1, ip2], 'each guest got its own fixed IP from dnsmasq');
    await waitFor(async () => (await fixedIpGetByAddress(ip1))?.leased, 10000, 'the lease to be recorded');
    await serve(g1.guest, 8080, 'vm1');
    assert.equal(connect(g2.guest.ns, ip1, 8080), 'hello from vm1', 'guests of one network reach each other (allow_same_net_traffic)');

    const float = (await c.request('POST', '/os-floating-ips', { ...alice, body: { pool: 'nova' } })).body.floating_ip;
    assert.equal((await c.request('POST', `/servers/${vm1.uuid}/action`, { ...alice, body: { addFloatingIp: { address: float.ip } } })).status, 202);
    assert.equal(connect(outNs, float.ip, 8080), null, 'the default group lets nothing in from outside');
    const group = (await c.request('GET', `/servers/${vm1.uuid}/os-security-groups`, alice)).body.security_groups[0];
    const rule = (await c.request('POST', '/os-security-group-rules', { ...alice, body: { security_group_rule: {
      parent_group_id: group.id, ip_protocol: 'tcp', from_port: 8080, to_port: 8080, cidr: '0.0.0.0/0',
    } } })).body.security_group_rule;
    assert.equal(connect(outNs, float.ip, 8080), 'hello from vm1', 'reached through the floating IP once the rule opens the port');
    assert.equal((await c.request('DELETE', `/os-security-group-rules/${rule.id}`, alice)).status, 202);
    assert.equal(connect(outNs, float.ip, 8080), null, 'closed again when the rule goes');
    assert.equal(connect(outNs, ip1, 8080), null, 'the fixed address is not reachable from outside');

    // Deleting the instance ends its lease (dhcp_release) and frees the address for the next one.
    assert.equal((await c.request('POST', `/servers/${vm1.uuid}/action`, { ...alice, body: { removeFloatingIp: { address: float.ip } } })).status, 202);
    await c.destroy(vm1);
    const leases = fs.readFileSync(path.join(c.statePath, 'networks', c.rt.host, 'nova-br100.leases'), 'utf8');
    assert.ok(!leases.includes(` ${ip1} `), `lease of ${ip1} released: ${leases}`);
    assert.ok(leases.includes(` ${ip2} `));
    await c.destroy(vm2);
    assert.equal((await c.request('DELETE', `/os-networks/${net.id}`, admin)).status, 202);
  });

  it('VlanManager: two tenants get separate VLANs and cannot reach each other', async () => {
    const vlans = kernelHasVlans();
    const c = await start('VlanManager', vlans ? { vlan_interface: 'trunk0' } : {});
    if (vlans) {
      const { inNs } = await import('../../helpers/netns');
      inNs(hostNs, 'ip', 'link', 'add', 'trunk0', 'type', 'veth', 'peer', 'name', 'trunk0p');
      inNs(hostNs, 'ip', 'link', 'set', 'trunk0', 'up');
    }
    for (const cidr of ['10.60.0.0/24', '10.61.0.0/24']) {
      assert.equal((await c.request('POST', '/os-networks', { ...admin, body: { network: { label: `net-${cidr}`, cidr } } })).status, 200);
    }
    const a1 = await c.boot('tenant-a', { name: 'a1' });
    const a2 = await c.boot('tenant-a', { name: 'a2' });
    const b1 = await c.boot('tenant-b', { name: 'b1' });
    const vlanOf = (i: typeof a1) => i.network_info[0].vlan;
    assert.deepEqual([vlanOf(a1), vlanOf(a2), vlanOf(b1)], [100, 100, 101]);
    assert.deepEqual([a1.network_info[0].network.bridge, b1.network_info[0].network.bridge], ['br100', 'br101']);
    if (vlans) assert.deepEqual(links(hostNs).filter((l) => l.kind === 'vlan').map((l) => [l.name, l.master]).sort(), [['vlan100', 'br100'], ['vlan101', 'br101']]);

    const ga1 = plug(c, a1, 'a1');
    const ga2 = plug(c, a2, 'a2');
    const gb1 = plug(c, b1, 'b1');
    assert.match(ga1.ip ?? '', /^10\.60\.0\./);
    assert.match(ga2.ip ?? '', /^10\.60\.0\./);
    assert.match(gb1.ip ?? '', /^10\.61\.0\./);
    await serve(ga1.guest, 8080, 'a1');
    await serve(gb1.guest, 8080, 'b1');
    assert.equal(connect(ga2.guest.ns, ga1.ip!, 8080), 'hello from a1', 'a tenant reaches its own guests');
    assert.equal(connect(ga2.guest.ns, gb1.ip!, 8080), null, 'tenant A cannot reach tenant B');
    assert.equal(connect(gb1.guest.ns, ga1.ip!, 8080), null, 'tenant B cannot reach tenant A');
    for (const i of [a1, a2, b1]) await c.destroy(i);
  });
});
