import { strict as assert } from 'node:assert';
import { TtlCache } from '../../../src/api/metadata/cache';
import { ec2Print, findPath, MdDict } from '../../../src/api/metadata/ec2_tree';
import { ImdsTokens } from '../../../src/api/metadata/imds_token';
import { netmaskOf, networkData } from '../../../src/api/metadata/network_data';
import { normalizePath } from '../../../src/api/metadata/paths';
import { signatureMatches, signInstanceId } from '../../../src/api/metadata/requester';
import { parseTarget } from '../../../src/api/metadata/vendor_data';
import { atLeast, EC2_VERSIONS, listedOpenstackVersions, OPENSTACK_VERSIONS } from '../../../src/api/metadata/versions';
import { ec2Id, ec2IdToInt, imagePrefix } from '../../../src/db/api/ec2_ids';
import { extractPassword, passwordChunks } from '../../../src/db/api/instance_password';
import { NetworkInfo } from '../../../src/drivers/driver';
import { oneNic } from '../../helpers/metadata';

describe('metadata formats', () => {
  it('normalises paths as posixpath.normpath does', () => {
    assert.equal(normalizePath('/latest/meta-data/'), '/latest/meta-data');
    assert.equal(normalizePath('//openstack//latest/./meta_data.json'), '/openstack/latest/meta_data.json');
    assert.equal(normalizePath('/openstack/latest/../../latest/user-data'), '/latest/user-data');
    assert.equal(normalizePath('/../..'), '/');
    assert.equal(normalizePath(''), '/');
  });

  it('prints EC2 trees as ec2_md_print: sorted keys, sub-dicts with a slash or their _name, lists by line', () => {
    const tree: MdDict = { b: 'x', a: { c: '1' }, 'public-keys': { 0: { _name: '0=k', 'openssh-key': 'ssh-rsa A' } }, l: ['g1', 'g2'], n: 3 };
    assert.equal(ec2Print(tree), 'a/\nb\nl\nn\npublic-keys/');
    assert.equal(ec2Print(findPath(tree, ['public-keys'])!), '0=k');
    assert.equal(ec2Print(findPath(tree, ['public-keys', '0'])!), 'openssh-key');
    assert.equal(ec2Print(findPath(tree, ['l'])!), 'g1\ng2');
    assert.equal(ec2Print(findPath(tree, ['n'])!), '3');
    assert.equal(findPath(tree, ['public-keys', '0', '_name']), undefined);
    assert.equal(findPath(tree, ['b', 'deeper']), undefined);
    assert.equal(findPath(tree, ['l', '0']), undefined);
    assert.equal(findPath(tree, ['toString']), undefined);
  });

  it('orders versions, and lists OpenStack versions up to today only', () => {
    assert.equal(EC2_VERSIONS.length, 9);
    assert.ok(atLeast('2007-12-15', '2008-02-01', EC2_VERSIONS));
    assert.ok(!atLeast('2007-12-15', '2007-10-10', EC2_VERSIONS));
    assert.deepEqual(listedOpenstackVersions(new Date('2016-07-01T00:00:00Z')),
      ['2012-08-10', '2013-04-04', '2013-10-17', '2015-10-15', '2016-06-30', 'latest']);
    assert.deepEqual(listedOpenstackVersions(new Date('2016-06-30T23:59:59Z')).slice(-2), ['2016-06-30', 'latest']);
    assert.deepEqual(listedOpenstackVersions(new Date('2030-01-01T00:00:00Z')), [...OPENSTACK_VERSIONS, 'latest']);
  });

  it('makes and reads EC2 ids', () => {
    assert.equal(ec2Id('i', 42), 'i-0000002a');
    assert.equal(ec2Id('ami', 0x1234abcd), 'ami-1234abcd');
    assert.equal(ec2Id('vol', 2 ** 32 + 1), 'vol-100000001');
    assert.equal(ec2IdToInt('ami-0000002a'), 42);
    assert.throws(() => ec2IdToInt('ami-xyz'), { name: 'InvalidEc2Id', message: 'Ec2 id ami-xyz is unacceptable.' });
    assert.throws(() => ec2IdToInt('0000002a'), { name: 'InvalidEc2Id' });
    assert.deepEqual(['kernel', 'ramdisk', 'aki', 'ari', 'ami', 'bare', null].map(imagePrefix), ['aki', 'ari', 'aki', 'ari', 'ami', 'ami', 'ami']);
  });

  it('splits passwords into four chunks of 255 characters and joins them back', () => {
    const pw = 'x'.repeat(255) + 'y'.repeat(255) + 'z'.repeat(10);
    const chunks = passwordChunks(pw);
    assert.deepEqual(Object.keys(chunks), ['password_0', 'password_1', 'password_2', 'password_3']);
    assert.deepEqual(Object.values(chunks).map((c) => c.length), [255, 255, 10, 0]);
    assert.equal(extractPassword({ ...chunks, other: 'ignored' }), pw);
    assert.equal(extractPassword(passwordChunks(null)), null);
    assert.equal(extractPassword({}), null);
  });

  it('signs instance ids with HMAC-SHA256 and compares signatures whatever their length', () => {
    // Neutron's metadata agent signs the same way: hmac.new(b's3cret', b'abc', hashlib.sha256).hexdigest()
    const sig = signInstanceId('s3cret', 'abc');
    assert.equal(sig, '4f2f30aaf4a57bd60ab473c8e9c2cdfefc186723d4727ed6f31f04353c91389a');
    assert.ok(signatureMatches('s3cret', 'abc', sig));
    assert.ok(!signatureMatches('s3cret', 'abd', sig));
    assert.ok(!signatureMatches('other', 'abc', sig));
    assert.ok(!signatureMatches('s3cret', 'abc', sig.slice(0, 63)));
    assert.ok(!signatureMatches('s3cret', 'abc', `${sig}0`));
    assert.ok(!signatureMatches('s3cret', 'abc', undefined));
    assert.ok(!signatureMatches('s3cret', 'abc', ''));
  });

  it('issues IMDSv2 tokens bound to one instance, valid until their TTL ends', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const tokens = new ImdsTokens(() => now);
    assert.throws(() => tokens.issue(undefined, 'a'), { status: 400 });
    assert.throws(() => tokens.issue('0', 'a'), { status: 400 });
    assert.throws(() => tokens.issue('21601', 'a'), { status: 400 });
    assert.throws(() => tokens.issue('1.5', 'a'), { status: 400 });
    const { token, ttl } = tokens.issue('60', 'a');
    assert.equal(ttl, 60);
    assert.ok(tokens.valid(token, 'a'));
    assert.ok(!tokens.valid(token, 'b'));
    assert.ok(!tokens.valid(`${token}x`, 'a'));
    assert.ok(!new ImdsTokens(() => now).valid(token, 'a'), 'another process (key) does not accept it');
    now += 59_000;
    assert.ok(tokens.valid(token, 'a'));
    now += 1_000;
    assert.ok(!tokens.valid(token, 'a'));
  });

  it('caches for the TTL only, caches nothing at TTL 0, and drops the oldest past its size', async () => {
    let now = 0;
    const c = new TtlCache<string>(15_000, () => now, 2);
    c.set('a', '1');
    now = 14_999;
    assert.equal(c.get('a'), '1');
    now = 15_000;
    assert.equal(c.get('a'), undefined);
    c.set('a', '1'); c.set('b', '2'); c.set('c', '3');
    assert.equal(c.size, 2);
    assert.equal(c.get('a'), undefined);
    const off = new TtlCache<string>(0, () => now);
    off.set('a', '1');
    assert.equal(off.get('a'), undefined);
    let made = 0;
    const make = async () => String(++made);
    assert.equal(await c.getOrMake('d', make), '1');
    assert.equal(await c.getOrMake('d', make), '1');
    await assert.rejects(c.getOrMake('e', async () => { throw new Error('boom'); }));
    assert.equal(await c.getOrMake('e', make), '2', 'a failure is not cached');
  });

  it('parses vendordata targets as name@URL', () => {
    assert.deepEqual(parseTarget('hello@http://127.0.0.1:9/x'), { name: 'hello', url: 'http://127.0.0.1:9/x' });
    assert.deepEqual(parseTarget('a@http://user@host/'), { name: 'a', url: 'http://user@host/' });
    assert.equal(parseTarget('http://127.0.0.1/'), null);
  });

  describe('network_data.json', () => {
    it('computes netmasks', () => {
      assert.equal(netmaskOf('10.0.0.0/24'), '255.255.255.0');
      assert.equal(netmaskOf('10.0.0.0/20'), '255.255.240.0');
      assert.equal(netmaskOf('0.0.0.0/0'), '0.0.0.0');
      assert.equal(netmaskOf('10.0.0.1/32'), '255.255.255.255');
      assert.equal(netmaskOf('fd00::/64'), 'ffff:ffff:ffff:ffff::');
      assert.equal(netmaskOf('fd00::/56'), 'ffff:ffff:ffff:ff00::');
      assert.equal(netmaskOf('::/0'), '::');
      assert.equal(netmaskOf('fd00::1/128'), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    });

    it('is empty lists without networks', () => {
      assert.deepEqual(networkData([]), { links: [], networks: [], services: [] });
      assert.deepEqual(networkData(null), { links: [], networks: [], services: [] });
    });

    it('has a link per NIC, the first IPv4 and IPv6 subnet as networks, and DNS servers once', () => {
      const nw = [...oneNic('10.0.0.5', { v6: 'fd00::5', dns: ['8.8.8.8', '9.9.9.9'] }), ...oneNic('10.1.0.7', { mac: 'fa:16:3e:00:00:02', dns: ['8.8.8.8'] })];
      nw[1].devname = undefined;
      nw[1].type = 'midonet';
      nw[1].network.meta = {};
      const doc = networkData(nw);
      assert.deepEqual(doc.links, [
        { id: 'tap0', vif_id: 'vif-10.0.0.5', type: 'bridge', mtu: 1450, ethernet_mac_address: 'fa:16:3e:00:00:01' },
        { id: 'interface1', vif_id: 'vif-10.1.0.7', type: 'phy', mtu: null, ethernet_mac_address: 'fa:16:3e:00:00:02' },
      ]);
      assert.deepEqual(doc.networks, [
        { id: 'network0', type: 'ipv4', link: 'tap0', ip_address: '10.0.0.5', netmask: '255.255.255.0', network_id: 'net-1',
          routes: [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.0.0.1' }],
          services: [{ type: 'dns', address: '8.8.8.8' }, { type: 'dns', address: '9.9.9.9' }] },
        { id: 'network1', type: 'ipv6', link: 'tap0', ip_address: 'fd00::5', netmask: 'ffff:ffff:ffff:ffff::', network_id: 'net-1',
          routes: [{ network: '::', netmask: '::', gateway: 'fd00::1' }], services: [] },
        { id: 'network2', type: 'ipv4', link: 'interface1', ip_address: '10.1.0.7', netmask: '255.255.255.0', network_id: 'net-1',
          routes: [{ network: '0.0.0.0', netmask: '0.0.0.0', gateway: '10.1.0.1' }], services: [{ type: 'dns', address: '8.8.8.8' }] },
      ]);
      assert.deepEqual(doc.services, [{ type: 'dns', address: '8.8.8.8' }, { type: 'dns', address: '9.9.9.9' }]);
    });

    it("reads Nova's nested model too: {address} gateways and DNS, DHCP subnets, extra routes", () => {
      const nw = [{
        id: 'p1', address: 'fa:16:3e:aa:bb:cc', type: 'ovs',
        network: { id: 'n1', bridge: 'br-int', label: 'l', meta: { mtu: 1500 }, subnets: [
          { cidr: '192.168.1.0/24', gateway: { address: '192.168.1.1' }, dns: [{ address: '1.1.1.1' }], ips: [{ address: '192.168.1.10', type: 'fixed' }],
            routes: [{ cidr: '10.20.0.0/16', gateway: { address: '192.168.1.254' } }], meta: {} },
          { cidr: 'fd01::/64', ips: [{ address: 'fd01::10', type: 'fixed' }], meta: { dhcp_server: 'fd01::2' } },
        ] },
      }] as unknown as NetworkInfo;
      const doc = networkData(nw);
      assert.equal(doc.links[0].mtu, null, 'a DHCP-served subnet leaves the MTU to DHCP');
      assert.deepEqual(doc.networks[0].routes, [
        { network: '0.0.0.0', netmask: '0.0.0.0', gateway: '192.168.1.1' },
        { network: '10.20.0.0', netmask: '255.255.0.0', gateway: '192.168.1.254' },
      ]);
      assert.deepEqual(doc.networks[1], { id: 'network1', type: 'ipv6_dhcp', link: 'interface0', network_id: 'n1' });
      assert.deepEqual(doc.services, [{ type: 'dns', address: '1.1.1.1' }]);
    });
  });
});
