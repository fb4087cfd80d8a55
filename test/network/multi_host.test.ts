import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  addDummy, addresses, deleteNamespace, dnsmasqProcesses, links, listNamespaces, makeNamespace, networkTestsUnavailable, ourRules,
} from '../helpers/netns';
import { NetworkCloud, startNetworkCloud } from '../helpers/network';

/**
 * multi_host FlatDHCP: every compute host runs nova-network (each in its own namespace here) and is
 * the gateway, DHCP server and firewall of its own guests only, with a DHCP address of its own.
 */
describe('nova-network multi_host (two hosts, functional)', function () {
  this.timeout(120000);
  let ns1 = '';
  let ns2 = '';
  let cloud: NetworkCloud | undefined;
  const admin = { token: 'admin:admin', version: '2.35' };
  const alice = { token: 'alice:p1', version: '2.35' };

  before(function () {
    if (networkTestsUnavailable()) this.skip();
  });

  afterEach(async () => {
    const statePath = cloud?.statePath ?? '';
    await cloud?.stop();
    try {
      for (const ns of [ns1, ns2]) {
        assert.deepEqual(ourRules(ns), []);
        assert.deepEqual(links(ns).filter((l) => l.kind === 'bridge'), []);
      }
      assert.deepEqual(dnsmasqProcesses(statePath), []);
    } finally {
      deleteNamespace(ns1);
      deleteNamespace(ns2);
    }
    assert.ok(!listNamespaces().some((n) => n === ns1 || n === ns2));
  });

  it('serves each guest from its own host', async () => {
    ns1 = makeNamespace('m1');
    ns2 = makeNamespace('m2');
    for (const ns of [ns1, ns2]) addDummy(ns, 'pub0', '192.0.2.1/24');
    const common = { multi_host: 'true', public_interface: 'pub0', routing_source_ip: '192.0.2.1', metadata_host: '192.0.2.1', floating_range: '203.0.113.0/29' };
    const c = cloud = await startNetworkCloud({ ...common, network_namespace: ns1 });
    await c.addHost('host-two', { network_namespace: ns2 });
    const net = (await c.request('POST', '/os-networks', { ...admin, body: { network: { label: 'mh', cidr: '10.70.0.0/24' } } })).body.network;
    assert.equal(net.multi_host, true);
    assert.equal(net.host, null, 'a multi_host network has no network host');

    const vm1 = await c.boot('p1', { name: 'one', host: c.rt.host });
    const vm2 = await c.boot('p1', { name: 'two', host: 'host-two' });
    assert.deepEqual([vm1.host, vm2.host], [c.rt.host, 'host-two']);
    const ip = (i: typeof vm1) => i.network_info[0].network.subnets[0].ips[0].address;

    // Each host: the bridge with an address of its own (not the gateway), dnsmasq for its own guest only.
    const gw1 = addresses(ns1, 'br100');
    const gw2 = addresses(ns2, 'br100');
    assert.equal(gw1.length, 1);
    assert.equal(gw2.length, 1);
    assert.notDeepEqual(gw1, gw2);
    assert.ok(![...gw1, ...gw2].includes('10.70.0.1/24'), 'multi_host hosts serve DHCP from addresses of their own');
    const hostsFile = (host: string) => fs.readFileSync(path.join(c.statePath, 'networks', host, 'nova-br100.conf'), 'utf8');
    assert.equal(hostsFile(c.rt.host), `${vm1.network_info[0].address},one.novalocal,${ip(vm1)}\n`);
    assert.equal(hostsFile('host-two'), `${vm2.network_info[0].address},two.novalocal,${ip(vm2)}\n`);
    assert.ok(fs.readFileSync(path.join(c.statePath, 'networks', c.rt.host, 'nova-br100.opts'), 'utf8').startsWith(`3,${gw1[0].split('/')[0]}`), 'each host is its guests\' router');
    assert.ok(ourRules(ns1).some((r) => r.includes(`-d ${ip(vm1)}/32 -j nova-network-inst-${vm1.id}`)));
    assert.ok(!ourRules(ns1).some((r) => r.includes(`inst-${vm2.id}`)));
    assert.ok(ourRules(ns2).some((r) => r.includes(`-d ${ip(vm2)}/32 -j nova-network-inst-${vm2.id}`)));

    // A floating IP of the guest on host-two is forwarded there.
    const float = (await c.request('POST', '/os-floating-ips', { ...alice, body: {} })).body.floating_ip;
    assert.equal((await c.request('POST', `/servers/${vm2.uuid}/action`, { ...alice, body: { addFloatingIp: { address: float.ip } } })).status, 202);
    assert.ok(ourRules(ns2).includes(`-A nova-network-PREROUTING -d ${float.ip}/32 -j DNAT --to-destination ${ip(vm2)}`));
    assert.ok(!ourRules(ns1).some((r) => r.includes(float.ip)));

    await c.destroy(vm2);
    assert.ok(!ourRules(ns2).some((r) => r.includes(float.ip) || r.includes(`inst-${vm2.id}`)), 'the floating IP and chain went with the guest');
    assert.equal(hostsFile('host-two'), '');
    await c.destroy(vm1);
    assert.equal((await c.request('DELETE', `/os-networks/${net.id}`, admin)).status, 202);
    for (const ns of [ns1, ns2]) assert.deepEqual(links(ns).filter((l) => l.kind === 'bridge'), [], 'the bridges go with the network');
  });
});
