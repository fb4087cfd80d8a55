import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nullLogger } from '../../src/lib/log';
import { HostSync } from '../../src/network/host_sync';
import { managerKind } from '../../src/network/managers';
import { NetworkAPIClient } from '../../src/network/rpcapi';
import {
  addDummy, addresses, deleteNamespace, dnsmasqProcesses, kernelHasVlans, links, listNamespaces, makeNamespace, networkTestsUnavailable, ourRules,
} from '../helpers/netns';
import { NetworkCloud, startNetworkCloud } from '../helpers/network';

/**
 * The same Compute API scenario for each of Nova's three network managers, with nova-network doing its
 * Linux work inside a namespace the test made: a network, an instance with an address served by
 * dnsmasq, its firewall chain, a floating IP, a security group rule, restart from the database, and
 * nothing left once the instance, the network and the service are gone.
 */
const MANAGERS = ['FlatManager', 'FlatDHCPManager', 'VlanManager'] as const;

for (const manager of MANAGERS) {
  describe(`nova-network ${manager} (functional, in a network namespace)`, function () {
    this.timeout(120000);
    const kind = managerKind(manager);
    let ns = '';
    let cloud: NetworkCloud | undefined;
    // This machine's kernel may lack 802.1Q: VLAN networks then stay on their bridges (no trunk).
    let vlans = false;
    const admin = { token: 'admin:admin', version: '2.35' };
    const alice = { token: 'alice:p1', version: '2.35' };

    before(function () {
      const why = networkTestsUnavailable();
      if (why) this.skip();
      vlans = kernelHasVlans();
    });

    beforeEach(async () => {
      ns = makeNamespace(manager.slice(0, 2).toLowerCase());
      addDummy(ns, 'pub0', '192.0.2.1/24');
      addDummy(ns, 'trunk0');
      cloud = await startNetworkCloud({
        network_manager: `nova.network.manager.${manager}`, network_namespace: ns, public_interface: 'pub0',
        vlan_interface: vlans ? 'trunk0' : '',
        routing_source_ip: '192.0.2.1', metadata_host: '192.0.2.1', floating_range: '203.0.113.0/29', force_dhcp_release: 'true',
      });
    });

    afterEach(async () => {
      const statePath = cloud?.statePath ?? '';
      await cloud?.stop();
      cloud = undefined;
      try {
        // The service took everything of its own away when it stopped: nothing is left to the namespace.
        assert.deepEqual(ourRules(ns), [], 'iptables rules of nova-network left');
        assert.deepEqual(links(ns).filter((l) => l.kind === 'bridge' || l.kind === 'vlan'), [], 'bridges or VLANs left');
        assert.deepEqual(addresses(ns, 'pub0'), ['192.0.2.1/24'], 'floating addresses left on pub0');
        assert.deepEqual(dnsmasqProcesses(statePath), [], 'dnsmasq left running');
      } finally {
        deleteNamespace(ns);
      }
      assert.ok(!listNamespaces().includes(ns), `namespace ${ns} left`);
      assert.deepEqual(dnsmasqProcesses(statePath), []);
    });

    it('serves a network, an instance, floating IPs and security groups, and rebuilds them from the database', async () => {
      const c = cloud!;
      const created = await c.request('POST', '/os-networks', { ...admin, body: { network: { label: 'net1', cidr: '10.20.0.0/24' } } });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const net = created.body.network;
      assert.equal(net.cidr, '10.20.0.0/24');
      assert.equal(net.gateway, '10.20.0.1');
      assert.equal(net.bridge, kind.vlan ? 'br100' : 'br100');
      assert.equal(net.vlan, kind.vlan ? 100 : null);
      assert.equal(net.dhcp_start, kind.vlan ? '10.20.0.3' : '10.20.0.2');
      assert.deepEqual((await c.request('GET', '/os-networks', alice)).body.networks.map((n: { id: string }) => n.id), kind.vlan ? [] : [net.id]);

      const inst = await c.boot('p1');
      assert.equal(inst.network_info.length, 1);
      const vif = inst.network_info[0];
      assert.equal(vif.network.bridge, 'br100');
      assert.equal(vif.network.id, net.id);
      assert.match(vif.address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
      const fixed = vif.network.subnets[0].ips[0].address;
      assert.equal(fixed, kind.vlan ? '10.20.0.3' : '10.20.0.2', 'the first address after the reserved ones (network, gateway, VLAN: VPN)');
      assert.equal(vif.vlan, kind.vlan ? 100 : null);
      if (kind.vlan) {
        const shown = (await c.request('GET', `/os-networks/${net.id}`, admin)).body.network;
        assert.equal(shown.project_id, 'p1', 'VlanManager gave the free network to the project on its first boot');
      }

      const groups = (await c.request('GET', `/servers/${inst.uuid}/os-security-groups`, alice)).body.security_groups;
      assert.deepEqual(groups.map((g: { name: string }) => g.name), ['default']);
      const fip = (await c.request('GET', `/os-fixed-ips/${fixed}`, admin)).body.fixed_ip;
      assert.deepEqual(fip, { cidr: '10.20.0.0/24', address: fixed, hostname: 'vm', host: c.rt.host, reserved: false });

      // The host: bridge, gateway and dnsmasq for the DHCP managers; the guest's firewall chain for all.
      const rules = ourRules(ns);
      assert.ok(rules.includes(`-A nova-network-local -d ${fixed}/32 -j nova-network-inst-${inst.id}`), rules.join('\n'));
      assert.ok(rules.includes('-A FORWARD -j nova-network-FORWARD'));
      if (kind.dhcp) {
        assert.deepEqual(addresses(ns, 'br100'), ['10.20.0.1/24']);
        const hostsFile = path.join(c.statePath, 'networks', c.rt.host, 'nova-br100.conf');
        assert.equal(fs.readFileSync(hostsFile, 'utf8'), `${vif.address},vm.novalocal,${fixed}\n`);
        assert.equal(dnsmasqProcesses(c.statePath).length, 1);
        assert.ok(rules.some((r) => r.includes('-d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.0.2.1:8775')));
        assert.ok(rules.includes('-A nova-network-snat -s 10.20.0.0/24 -o pub0 -j SNAT --to-source 192.0.2.1'));
      } else {
        assert.deepEqual(links(ns).filter((l) => l.kind === 'bridge'), [], 'FlatManager makes no bridge');
      }
      if (kind.vlan && vlans) assert.deepEqual(links(ns).find((l) => l.name === 'vlan100'), { name: 'vlan100', kind: 'vlan', master: 'br100' });

      // A rule opens TCP 22 in the guest's chain; deleting it closes it again.
      const defaultGroup = groups[0];
      const rule = await c.request('POST', '/os-security-group-rules', { ...alice, body: { security_group_rule: {
        parent_group_id: defaultGroup.id, ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr: '0.0.0.0/0',
      } } });
      assert.equal(rule.status, 200, JSON.stringify(rule.body));
      assert.ok(ourRules(ns).includes(`-A nova-network-inst-${inst.id} -p tcp -m tcp --dport 22 -j ACCEPT`));
      assert.equal((await c.request('DELETE', `/os-security-group-rules/${rule.body.security_group_rule.id}`, alice)).status, 202);
      assert.ok(!ourRules(ns).some((r) => r.includes('--dport 22')));

      // Floating IPs: the DHCP managers forward them; FlatManager has none, as in Nova.
      const pools = (await c.request('GET', '/os-floating-ip-pools', alice)).body.floating_ip_pools;
      if (!kind.floating) {
        assert.deepEqual(pools, []);
        assert.equal((await c.request('POST', '/os-floating-ips', { ...alice, body: { pool: 'nova' } })).status, 404);
      } else {
        assert.deepEqual(pools, [{ name: 'nova' }]);
        const alloc = await c.request('POST', '/os-floating-ips', { ...alice, body: { pool: 'nova' } });
        assert.equal(alloc.status, 200, JSON.stringify(alloc.body));
        const float = alloc.body.floating_ip;
        assert.deepEqual(float, { id: float.id, ip: '203.0.113.1', pool: 'nova', fixed_ip: null, instance_id: null });
        const add = await c.request('POST', `/servers/${inst.uuid}/action`, { ...alice, body: { addFloatingIp: { address: float.ip } } });
        assert.equal(add.status, 202, JSON.stringify(add.body));
        assert.ok(ourRules(ns).includes(`-A nova-network-PREROUTING -d ${float.ip}/32 -j DNAT --to-destination ${fixed}`));
        assert.ok(addresses(ns, 'pub0').includes(`${float.ip}/32`));
        const shown = (await c.request('GET', `/os-floating-ips/${float.id}`, alice)).body.floating_ip;
        assert.deepEqual([shown.fixed_ip, shown.instance_id], [fixed, inst.uuid]);
        const server = (await c.request('GET', `/servers/${inst.uuid}`, alice)).body.server;
        const mac = { 'OS-EXT-IPS-MAC:mac_addr': vif.address };
        assert.deepEqual(server.addresses, { net1: [
          { version: 4, addr: fixed, 'OS-EXT-IPS:type': 'fixed', ...mac }, { version: 4, addr: float.ip, 'OS-EXT-IPS:type': 'floating', ...mac },
        ] }, 'the cached network_info follows');

        // Restart: everything on the host is gone, then rebuilt from the database by refresh_host.
        await new HostSync(c.rt.conf, kind, c.rt.host, nullLogger).teardown();
        assert.deepEqual(ourRules(ns), []);
        assert.deepEqual(dnsmasqProcesses(c.statePath), []);
        await new NetworkAPIClient(await c.rt.transport(), 10000).to(c.rt.host).refresh_host(c.rt.adminContext(), { reason: 'test' });
        assert.ok(ourRules(ns).includes(`-A nova-network-PREROUTING -d ${float.ip}/32 -j DNAT --to-destination ${fixed}`));
        assert.ok(addresses(ns, 'pub0').includes(`${float.ip}/32`));
        assert.equal(dnsmasqProcesses(c.statePath).length, 1);

        const remove = await c.request('POST', `/servers/${inst.uuid}/action`, { ...alice, body: { removeFloatingIp: { address: float.ip } } });
        assert.equal(remove.status, 202, JSON.stringify(remove.body));
        assert.ok(!ourRules(ns).some((r) => r.includes(float.ip)));
        assert.ok(!addresses(ns, 'pub0').includes(`${float.ip}/32`));
        assert.equal((await c.request('DELETE', `/os-floating-ips/${float.id}`, alice)).status, 202);
        assert.deepEqual((await c.request('GET', '/os-floating-ips', alice)).body.floating_ips, []);
      }

      // The instance goes: its address, DHCP entry and chain go with it; then the network itself.
      await c.destroy(inst);
      assert.deepEqual((await c.request('GET', `/os-fixed-ips/${fixed}`, admin)).body.fixed_ip.host, null);
      assert.ok(!ourRules(ns).some((r) => r.includes(`inst-${inst.id}`)));
      if (kind.dhcp) assert.equal(fs.readFileSync(path.join(c.statePath, 'networks', c.rt.host, 'nova-br100.conf'), 'utf8'), '');
      if (kind.vlan) {
        assert.equal((await c.request('DELETE', `/os-networks/${net.id}`, admin)).status, 409, 'a network given to a project is in use');
        assert.equal((await c.request('POST', `/os-networks/${net.id}/action`, { ...admin, body: { disassociate: null } })).status, 202);
      }
      assert.equal((await c.request('DELETE', `/os-networks/${net.id}`, admin)).status, 202);
      assert.deepEqual(links(ns).filter((l) => l.kind === 'bridge' || l.kind === 'vlan'), []);
      assert.deepEqual(dnsmasqProcesses(c.statePath), []);
      assert.equal((await c.request('GET', `/os-networks/${net.id}`, admin)).status, 404);
    });
  });
}
