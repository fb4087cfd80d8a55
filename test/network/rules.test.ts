import { strict as assert } from 'node:assert';
import { loadConfig } from '../../src/conf/loader';
import { hostsFileText, optsFileText, parseLeases, DhcpNetwork, DnsmasqManager } from '../../src/network/linux_net/dnsmasq';
import { CommandRunner } from '../../src/network/linux_net/exec';
import { managerKind } from '../../src/network/managers';
import { guestChain, hostRules, ruleMatch } from '../../src/network/rules';
import { nullLogger } from '../../src/lib/log';

describe('network/managers selection', () => {
  it('picks the manager [DEFAULT] network_manager names, by class path or class name', () => {
    assert.equal(managerKind('nova.network.manager.FlatManager').name, 'FlatManager');
    assert.equal(managerKind('FlatDHCPManager').name, 'FlatDHCPManager');
    const vlan = managerKind(loadConfig({ overrides: { network_manager: 'nova.network.manager.VlanManager' } }).conf);
    assert.deepEqual([vlan.name, vlan.vlan, vlan.dhcp, vlan.projectNetworksOnly], ['VlanManager', true, true, true]);
    const flat = managerKind('FlatManager');
    assert.deepEqual([flat.dhcp, flat.floating, flat.requiredCreateArgs], [false, false, ['bridge']]);
    assert.equal(managerKind(loadConfig({}).conf).name, 'FlatDHCPManager', "Nova's default");
  });

  it('refuses a manager this build does not have, in the configuration and by name', () => {
    assert.throws(() => loadConfig({ overrides: { network_manager: 'nova.network.manager.NeutronManager' } }), /must be one of .*FlatManager/);
    assert.throws(() => managerKind('SomethingManager'), /network_manager 'SomethingManager' is not one of/);
  });
});

describe('network/rules firewall and NAT', () => {
  it("translates rules as Nova's IptablesFirewallDriver did", () => {
    assert.equal(ruleMatch({ protocol: 'TCP', from_port: 22, to_port: 22, sources: [] }), '-p tcp -m tcp --dport 22');
    assert.equal(ruleMatch({ protocol: 'udp', from_port: 1000, to_port: 2000, sources: [] }), '-p udp -m multiport --dports 1000:2000');
    assert.equal(ruleMatch({ protocol: 'icmp', from_port: -1, to_port: -1, sources: [] }), '-p icmp');
    assert.equal(ruleMatch({ protocol: 'icmp', from_port: 8, to_port: -1, sources: [] }), '-p icmp -m icmp --icmp-type 8');
    assert.equal(ruleMatch({ protocol: 'icmp', from_port: 3, to_port: 4, sources: [] }), '-p icmp -m icmp --icmp-type 3/4');
    assert.equal(ruleMatch({ protocol: null, from_port: null, to_port: null, sources: [] }), '');
  });

  it('builds a guest chain: state, DHCP, its network, its rules per source, then the fallback', () => {
    const g = {
      chain: '7', fixedIps: ['10.0.0.5'], dhcpServers: ['10.0.0.1'], sameNet: ['10.0.0.0/24'],
      rules: [
        { protocol: 'tcp', from_port: 80, to_port: 80, sources: ['0.0.0.0/0'] },
        { protocol: null, from_port: null, to_port: null, sources: ['10.1.0.7/32', '10.1.0.8/32'] },
      ],
    };
    assert.deepEqual(guestChain(g, true), [
      '-m conntrack --ctstate INVALID -j DROP', '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-s 10.0.0.1/32 -p udp -m udp --sport 67 --dport 68 -j ACCEPT', '-s 10.0.0.0/24 -j ACCEPT',
      '-p tcp -m tcp --dport 80 -j ACCEPT', '-s 10.1.0.7/32 -j ACCEPT', '-s 10.1.0.8/32 -j ACCEPT', '-j $sg-fallback',
    ]);
    assert.ok(!guestChain(g, false).includes('-s 10.0.0.0/24 -j ACCEPT'), 'allow_same_net_traffic off');
  });

  const base = { publicInterface: 'eth0', routingSourceIp: '192.0.2.1', metadataHost: '192.0.2.1', metadataPort: 8775 };

  it('has nothing of ours on a host serving nothing', () => {
    const r = hostRules({ ...base, networks: [], floating: [], guests: [], l3: true }, true);
    assert.deepEqual([...r.filter!.chains.keys(), ...r.nat!.chains.keys()], []);
  });

  it('forwards metadata, SNATs guests and maps floating addresses both ways', () => {
    const r = hostRules({
      ...base, l3: true, networks: [{ cidr: '10.0.0.0/24', bridge: 'br100', dhcp: true }], floating: [{ floating: '203.0.113.5', fixed: '10.0.0.5' }],
      guests: [{ chain: '1', fixedIps: ['10.0.0.5'], dhcpServers: [], sameNet: [], rules: [] }],
    }, true);
    const nat = r.nat!.chains;
    assert.deepEqual(nat.get('PREROUTING'), [
      '-d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.0.2.1:8775', '-d 203.0.113.5/32 -j DNAT --to-destination 10.0.0.5',
    ]);
    assert.deepEqual(nat.get('OUTPUT'), ['-d 203.0.113.5/32 -j DNAT --to-destination 10.0.0.5']);
    assert.deepEqual(nat.get('snat'), ['-s 10.0.0.0/24 -o eth0 -j SNAT --to-source 192.0.2.1']);
    assert.deepEqual(nat.get('float-snat'), ['-s 10.0.0.5/32 -d 10.0.0.5/32 -j SNAT --to-source 203.0.113.5', '-s 10.0.0.5/32 -o eth0 -j SNAT --to-source 203.0.113.5']);
    assert.deepEqual(r.filter!.chains.get('FORWARD'), ['-j $local', '-i br100 -j ACCEPT', '-o br100 -j ACCEPT']);
    assert.deepEqual(r.filter!.chains.get('local'), ['-d 10.0.0.5/32 -j $inst-1']);
    assert.ok(r.filter!.chains.get('INPUT')!.includes('-i br100 -p udp -m udp --dport 67 -j ACCEPT'));
    const local = hostRules({ ...base, metadataHost: '127.0.0.1', l3: true, networks: [{ cidr: '10.0.0.0/24', bridge: 'br100', dhcp: true }], floating: [], guests: [] }, true);
    assert.equal(local.nat!.chains.get('PREROUTING')![0], '-d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8775');
  });
});

describe('network/linux_net dnsmasq files', () => {
  const net: DhcpNetwork = {
    networkId: 1, bridge: 'br100', label: 'private net', listenAddress: '10.0.0.1', dhcpStart: '10.0.0.2', netmask: '255.255.255.0', router: '10.0.0.1',
    leaseTime: 120, leaseMax: 256, domain: 'novalocal', dnsServers: [], dhcpScript: '',
    hosts: [
      { mac: 'fa:16:3e:00:00:01', ip: '10.0.0.2', hostname: 'web' },
      { mac: 'fa:16:3e:00:00:01', ip: '10.0.0.9', hostname: 'dup' },
      { mac: 'fa:16:3e:00:00:02', ip: '10.0.0.3', hostname: 'x'.repeat(70) },
    ],
  };

  it('writes one host line per MAC (MAC,HOSTNAME.DOMAIN,IP), names cut to 63 characters', () => {
    assert.equal(hostsFileText(net), `fa:16:3e:00:00:01,web.novalocal,10.0.0.2\nfa:16:3e:00:00:02,xx-${'x'.repeat(60)}.novalocal,10.0.0.3\n`);
    assert.equal(hostsFileText({ ...net, hosts: [] }), '');
    assert.equal(optsFileText(net), '3,10.0.0.1\n');
    assert.equal(optsFileText({ ...net, router: null }), '3\n');
  });

  it('starts dnsmasq with a static range on the bridge, its files, and no upstream DNS but the ones named', () => {
    const args = new DnsmasqManager(new CommandRunner('', nullLogger), '/var/lib/nova/networks/h1', nullLogger).args({ ...net, dnsServers: ['192.0.2.53'] }, false);
    for (const a of ['--interface=br100', '--listen-address=10.0.0.1', '--bind-interfaces', '--conf-file=', '--no-resolv', '--server=192.0.2.53',
      '--dhcp-range=set:private_net,10.0.0.2,static,255.255.255.0,120s', '--dhcp-hostsfile=/var/lib/nova/networks/h1/nova-br100.conf',
      '--dhcp-leasefile=/var/lib/nova/networks/h1/nova-br100.leases', '--pid-file=/var/lib/nova/networks/h1/nova-br100.pid']) {
      assert.ok(args.includes(a), `${a} in ${args.join(' ')}`);
    }
    assert.ok(!args.includes('--user=root'));
  });

  it('reads the lease file', () => {
    assert.deepEqual(parseLeases('1764000000 fa:16:3e:00:00:01 10.0.0.2 web 01:fa:16:3e:00:00:01\n\ngarbage\n'), [
      { expiry: 1764000000, mac: 'fa:16:3e:00:00:01', ip: '10.0.0.2', hostname: 'web' },
    ]);
  });
});
