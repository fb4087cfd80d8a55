import { strict as assert } from 'node:assert';
import { chooseSubnets, subnetLayout } from '../../src/network/create_networks';
import { CidrConflict } from '../../src/network/errors';
import * as ip from '../../src/network/ipv4';
import { managerKind } from '../../src/network/managers';

const c = (text: string) => ip.parseCidr(text)!;
const txt = (list: ip.Cidr[]) => list.map(ip.formatCidr);

describe('network/ipv4 address arithmetic', () => {
  it('parses and formats dotted addresses, refusing what is not one', () => {
    assert.equal(ip.parseIPv4('10.0.0.1'), 0x0a000001);
    assert.equal(ip.formatIPv4(0xc0a80aff), '192.168.10.255');
    assert.equal(ip.parseIPv4('255.255.255.255'), 0xffffffff);
    for (const bad of ['10.0.0', '10.0.0.256', '01.2.3.4', 'a.b.c.d', '10.0.0.1/24', '']) assert.equal(ip.parseIPv4(bad), null, bad);
  });

  it('reads CIDR blocks, dropping host bits as netaddr does', () => {
    assert.deepEqual(c('10.0.0.5/24'), { network: 0x0a000000, prefix: 24, size: 256 });
    assert.equal(ip.formatCidr(c('172.16.7.9/12')), '172.16.0.0/12');
    assert.equal(ip.netmask(c('10.0.0.0/22')), '255.255.252.0');
    assert.equal(ip.formatIPv4(ip.broadcast(c('10.0.4.0/22'))), '10.0.7.255');
    assert.equal(ip.parseCidr('10.0.0.0/33'), null);
    assert.equal(ip.parseCidr('10.0.0.0/2a'), null);
    assert.equal(ip.parseCidr('fd00::/64'), null);
  });

  it('carves a range into equal subnets and sizes them to powers of two', () => {
    assert.deepEqual(txt(ip.subnets(c('10.0.0.0/8'), 24, 3)), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    assert.deepEqual(txt(ip.subnets(c('10.0.0.0/25'), 24, 1)), [], 'a subnet larger than the range does not fit');
    assert.equal(ip.subnets(c('10.0.0.0/24'), 26, 10).length, 4);
    assert.equal(ip.prefixForSize(256), 24);
    assert.equal(ip.prefixForSize(200), 24);
    assert.equal(ip.prefixForSize(4), 30);
    assert.ok(ip.overlaps(c('10.0.0.0/16'), c('10.0.3.0/24')));
    assert.ok(!ip.overlaps(c('10.0.0.0/24'), c('10.0.1.0/24')));
  });

  it('lays out a flat subnet: network and gateway reserved, DHCP from the next address, broadcast reserved', () => {
    const l = subnetLayout(c('10.20.0.0/24'), managerKind('FlatDHCPManager'), {});
    assert.equal(ip.formatIPv4(l.gateway), '10.20.0.1');
    assert.equal(ip.formatIPv4(l.dhcpServer), '10.20.0.1');
    assert.equal(ip.formatIPv4(l.dhcpStart), '10.20.0.2');
    assert.deepEqual([l.bottom, l.top, l.vpnPrivate], [2, 1, null]);
  });

  it('lays out a VLAN subnet with the VPN address reserved before DHCP starts', () => {
    const l = subnetLayout(c('10.20.0.0/24'), managerKind('VlanManager'), {});
    assert.equal(ip.formatIPv4(l.vpnPrivate!), '10.20.0.2');
    assert.equal(ip.formatIPv4(l.dhcpStart), '10.20.0.3');
    assert.equal(l.bottom, 3);
  });

  it('honours a given gateway, DHCP server and allowed range', () => {
    const l = subnetLayout(c('10.20.0.0/24'), managerKind('FlatDHCPManager'), {
      gateway: '10.20.0.254', dhcp_server: '10.20.0.253', allowed_start: '10.20.0.10', allowed_end: '10.20.0.100',
    });
    assert.equal(ip.formatIPv4(l.gateway), '10.20.0.254');
    assert.equal(ip.formatIPv4(l.dhcpServer), '10.20.0.253');
    assert.equal(ip.formatIPv4(l.dhcpStart), '10.20.0.10');
    assert.deepEqual([l.bottom, l.top], [10, 155]);
    assert.throws(() => subnetLayout(c('10.20.0.0/24'), managerKind('FlatManager'), { allowed_start: '10.30.0.1' }), /10.30.0.1 is not within 10.20.0.0\/24/);
  });

  it('moves a carved subnet past networks in use, or refuses with CidrConflict', () => {
    const range = c('10.0.0.0/22');
    assert.deepEqual(txt(chooseSubnets(range, ip.subnets(range, 24, 2), [c('10.0.0.0/24')])), ['10.0.1.0/24', '10.0.2.0/24']);
    assert.throws(() => chooseSubnets(c('10.0.0.0/24'), [c('10.0.0.0/24')], [c('10.0.0.0/24')]), (e: unknown) =>
      e instanceof CidrConflict && e.message === 'Requested cidr (10.0.0.0/24) conflicts with existing cidr (10.0.0.0/24)');
    assert.throws(() => chooseSubnets(c('10.0.0.0/25'), [c('10.0.0.0/25')], [c('10.0.0.0/16')]), CidrConflict, 'a subnet inside a used one');
  });
});
