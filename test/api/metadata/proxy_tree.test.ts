import { strict as assert } from 'node:assert';
import { ec2IdToGlanceId } from '../../../src/db/api/ec2_ids';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { extraMetadataService, insertGuest, mdRequest, oneNic, proxyHeaders } from '../../helpers/metadata';

const SECRET = 'proxy-secret';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests web@example';
// Not valid UTF-8 on purpose: user data is served as the bytes that were base64-encoded.
const USER_DATA = Buffer.concat([Buffer.from('#cloud-config\nruncmd: [echo hi]\n'), Buffer.from([0xff, 0x00, 0xfe])]);
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

const ALL_KEYS_LATEST = ['ami-id', 'ami-launch-index', 'ami-manifest-path', 'block-device-mapping/', 'hostname', 'instance-action',
  'instance-id', 'instance-type', 'kernel-id', 'local-hostname', 'local-ipv4', 'placement/', 'public-hostname', 'public-ipv4',
  'public-keys/', 'ramdisk-id', 'reservation-id', 'security-groups'];

/** Keys each EC2 version adds (Nova's get_ec2_metadata). */
const ADDED: Record<string, string[]> = {
  '1.0': ['ami-id', 'ami-launch-index', 'ami-manifest-path', 'hostname', 'instance-id', 'local-ipv4', 'public-keys/', 'reservation-id', 'security-groups'],
  '2007-01-19': ['local-hostname', 'public-hostname', 'public-ipv4'],
  '2007-08-29': ['instance-type'],
  '2007-12-15': ['block-device-mapping/', 'kernel-id', 'ramdisk-id'],
  '2008-02-01': ['placement/'],
  '2008-09-01': ['instance-action'],
};

describe('nova-api-metadata behind a metadata proxy (signed X-Instance-ID)', function () {
  this.timeout(60000);
  let cloud: TestCloud;
  let url: string;
  let web: Instance;
  let bare: Instance;
  const get = (inst: Instance, p: string, extra: Record<string, string> = {}) => mdRequest(url, p, { headers: { ...proxyHeaders(SECRET, inst.uuid, inst.project_id), ...extra } });
  const text = async (inst: Instance, p: string) => {
    const r = await get(inst, p);
    assert.equal(r.status, 200, `${p}: ${r.status} ${r.text}`);
    return r.text;
  };

  before(async () => {
    cloud = await startCloud({
      daemons: ['api-metadata'],
      overrides: { 'neutron.service_metadata_proxy': 'true', 'neutron.metadata_proxy_shared_secret': SECRET, 'api.metadata_cache_expiration': '0' },
    });
    url = cloud.rt.endpoints.metadata;
    web = await insertGuest({
      project: 'p1', name: 'web-1',
      updates: {
        network_info: oneNic('10.0.0.5', { floating: '172.24.4.5', v6: 'fd00::5' }), key_name: 'mykey', key_data: KEY,
        user_data: USER_DATA.toString('base64'), availability_zone: 'az1', image_ref: '6f0a0a1c-0000-4000-8000-00000000000a',
        kernel_id: '6f0a0a1c-0000-4000-8000-00000000000b', ramdisk_id: '6f0a0a1c-0000-4000-8000-00000000000c', root_device_name: '/dev/vda',
        launch_index: 2, system_metadata: { security_groups: 'default,web' },
      },
      metadata: { role: 'web', tier: 'front' },
    });
    bare = await insertGuest({ project: 'p2', name: 'bare', updates: { image_ref: '6f0a0a1c-0000-4000-8000-00000000000a' } });
  });
  after(async () => { await cloud?.stop(); });

  it('publishes its endpoint and lists the EC2 versions at / to anyone', async () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await mdRequest(url, '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(r.text, '1.0\n2007-01-19\n2007-03-01\n2007-08-29\n2007-10-10\n2007-12-15\n2008-02-01\n2008-09-01\n2009-04-04\nlatest');
  });

  it('shows every meta-data key at latest, and only the keys of older versions at older versions', async () => {
    assert.equal(await text(web, '/latest/meta-data/'), ALL_KEYS_LATEST.join('\n'));
    assert.equal(await text(web, '/ec2/latest/meta-data'), ALL_KEYS_LATEST.join('\n'), '/ec2 prefix is the same tree');
    const versions = ['1.0', '2007-01-19', '2007-03-01', '2007-08-29', '2007-10-10', '2007-12-15', '2008-02-01', '2008-09-01', '2009-04-04'];
    const expected: string[] = [];
    for (const v of versions) {
      expected.push(...(ADDED[v] ?? []));
      assert.equal(await text(web, `/${v}/meta-data/`), [...expected].sort().join('\n'), `keys of ${v}`);
      assert.equal(await text(web, `/${v}`), 'meta-data/\nuser-data');
    }
    assert.equal((await get(web, '/2007-10-10/meta-data/instance-action')).status, 404);
    assert.equal((await get(web, '/2007-12-15/meta-data/placement/availability-zone')).status, 404);
  });

  it('gives each key its value', async () => {
    const md = async (k: string) => text(web, `/latest/meta-data/${k}`);
    assert.equal(await md('instance-id'), `i-${hex8(web.id)}`);
    const ami = await md('ami-id');
    assert.match(ami, /^ami-[0-9a-f]{8}$/);
    assert.equal(await ec2IdToGlanceId(ami), '6f0a0a1c-0000-4000-8000-00000000000a');
    assert.equal(await text(bare, '/latest/meta-data/ami-id'), ami, 'the same image has the same EC2 id');
    const aki = await md('kernel-id');
    const ari = await md('ramdisk-id');
    assert.match(aki, /^aki-[0-9a-f]{8}$/);
    assert.match(ari, /^ari-[0-9a-f]{8}$/);
    assert.equal(await ec2IdToGlanceId(aki), '6f0a0a1c-0000-4000-8000-00000000000b');
    assert.equal(await ec2IdToGlanceId(ari), '6f0a0a1c-0000-4000-8000-00000000000c');
    assert.equal(await md('ami-launch-index'), '2');
    assert.equal(await md('ami-manifest-path'), 'FIXME');
    assert.equal(await md('hostname'), 'web-1.novalocal');
    assert.equal(await md('local-hostname'), 'web-1.novalocal');
    assert.equal(await md('public-hostname'), 'web-1.novalocal');
    assert.equal(await md('local-ipv4'), '10.0.0.5');
    assert.equal(await md('public-ipv4'), '172.24.4.5');
    assert.equal(await md('reservation-id'), web.reservation_id);
    assert.equal(await md('security-groups'), 'default\nweb');
    assert.equal(await md('instance-type'), 'm1.tiny');
    assert.equal(await md('instance-action'), 'none');
    assert.equal(await md('placement'), 'availability-zone');
    assert.equal(await md('placement/availability-zone'), 'az1');
    assert.equal(await md('block-device-mapping'), 'ami\nroot');
    assert.equal(await md('block-device-mapping/ami'), 'vda');
    assert.equal(await md('block-device-mapping/root'), '/dev/vda');
    assert.equal(await md('public-keys'), '0=mykey');
    assert.equal(await md('public-keys/0'), 'openssh-key');
    assert.equal(await md('public-keys/0/openssh-key'), KEY);
  });

  it('fills in what an instance without keys, networks, zone or root device lacks as Nova does', async () => {
    const keys = (await text(bare, '/latest/meta-data/')).split('\n');
    assert.ok(!keys.includes('public-keys/') && !keys.includes('kernel-id') && !keys.includes('ramdisk-id'), keys.join(','));
    // No fixed IP: local-ipv4 is the address the proxy forwarded for.
    assert.equal(await text(bare, '/latest/meta-data/local-ipv4'), '10.0.0.9');
    assert.equal(await text(bare, '/latest/meta-data/public-ipv4'), '');
    assert.equal(await text(bare, '/latest/meta-data/security-groups'), 'default');
    assert.equal(await text(bare, '/latest/meta-data/placement/availability-zone'), 'nova');
    assert.equal(await text(bare, '/latest/meta-data/block-device-mapping'), 'ami\nephemeral0\nroot\nswap');
    assert.equal(await text(bare, '/latest/meta-data/block-device-mapping/root'), '/dev/sda1');
    assert.equal(await text(bare, '/latest'), 'meta-data/');
  });

  it('serves user data as the decoded bytes, and 404 when there is none', async () => {
    for (const p of ['/latest/user-data', '/2009-04-04/user-data/', '/openstack/latest/user_data', '/openstack/2012-08-10/user_data']) {
      const r = await get(web, p);
      assert.equal(r.status, 200, p);
      assert.deepEqual(r.body, USER_DATA, p);
    }
    for (const p of ['/latest/user-data', '/openstack/latest/user_data']) {
      const r = await get(bare, p);
      assert.equal(r.status, 404, p);
      assert.match(r.text, /^404 Not Found/);
    }
  });

  it('accepts trailing slashes on leaves and /openstack without one', async () => {
    assert.equal(await text(web, '/latest/meta-data/instance-id/'), `i-${hex8(web.id)}`);
    assert.equal(await text(web, '/latest/meta-data/placement/availability-zone/'), 'az1');
    assert.equal(await text(web, '/openstack'), await text(web, '/openstack/'));
    assert.equal(JSON.parse(await text(web, '/openstack/latest/meta_data.json/')).uuid, web.uuid);
  });

  it('answers 404 for unknown paths and versions', async () => {
    for (const p of ['/latest/meta-data/nope', '/latest/meta-data/instance-id/more', '/2010-01-01/meta-data/', '/latest/nope',
      '/openstack/2011-01-01/meta_data.json', '/openstack/latest/nope.json', '/openstack/content/0000', '/openstack/latest/meta_data.json/x',
      '/latest/meta-data/public-keys/0/_name', '/latest/meta-data/security-groups/0', '/openstack/2012-08-10/password', '/openstack/2013-04-04/vendor_data2.json']) {
      assert.equal((await get(web, p)).status, 404, p);
    }
  });

  it('hides OpenStack versions dated after today from the listing, but still serves them', async () => {
    const svc = await extraMetadataService(cloud.rt, { proxy: true, secret: SECRET, now: () => Date.parse('2016-07-01T12:00:00Z') });
    try {
      const h = { headers: proxyHeaders(SECRET, web.uuid, 'p1') };
      assert.equal((await mdRequest(svc.url, '/openstack', h)).text, '2012-08-10\n2013-04-04\n2013-10-17\n2015-10-15\n2016-06-30\nlatest');
      const later = await mdRequest(svc.url, '/openstack/2018-08-27/meta_data.json', h);
      assert.equal(later.status, 200);
      assert.equal(JSON.parse(later.text).uuid, web.uuid);
    } finally { await svc.close(); }
  });

  it('answers HEAD like GET, without a body', async () => {
    const r = await mdRequest(url, '/latest/meta-data/instance-id', { method: 'HEAD', headers: proxyHeaders(SECRET, web.uuid, 'p1') });
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.equal(r.headers['content-length'], String(`i-${hex8(web.id)}`.length));
  });

  it('lists the OpenStack versions and the files of each', async () => {
    assert.equal(await text(web, '/openstack'), '2012-08-10\n2013-04-04\n2013-10-17\n2015-10-15\n2016-06-30\n2016-10-06\n2017-02-22\n2018-08-27\n2020-10-14\n2025-04-04\nlatest');
    assert.equal(await text(web, '/openstack/2012-08-10'), 'meta_data.json\nuser_data');
    assert.equal(await text(web, '/openstack/2013-04-04'), 'meta_data.json\nuser_data\npassword');
    assert.equal(await text(web, '/openstack/2013-10-17'), 'meta_data.json\nuser_data\npassword\nvendor_data.json');
    assert.equal(await text(web, '/openstack/2015-10-15'), 'meta_data.json\nuser_data\npassword\nvendor_data.json\nnetwork_data.json');
    assert.equal(await text(web, '/openstack/latest'), 'meta_data.json\nuser_data\npassword\nvendor_data.json\nnetwork_data.json\nvendor_data2.json');
    assert.equal(await text(bare, '/openstack/latest'), 'meta_data.json\npassword\nvendor_data.json\nnetwork_data.json\nvendor_data2.json');
  });

  it('serves meta_data.json with the fields of each version', async () => {
    const r = await get(web, '/openstack/latest/meta_data.json');
    assert.match(String(r.headers['content-type']), /^application\/json/);
    const doc = JSON.parse(r.text);
    const seed = Buffer.from(doc.random_seed, 'base64');
    assert.equal(seed.length, 512);
    delete doc.random_seed;
    assert.deepEqual(doc, {
      uuid: web.uuid, meta: { role: 'web', tier: 'front' }, public_keys: { mykey: KEY }, keys: [{ name: 'mykey', type: 'ssh', data: KEY }],
      hostname: 'web-1.novalocal', name: 'web-1', launch_index: 2, availability_zone: 'az1', project_id: 'p1', devices: [], dedicated_cpus: [],
    });
    assert.notEqual(JSON.parse(await text(web, '/openstack/latest/meta_data.json')).random_seed, seed.toString('base64'), 'a new seed each time');
    assert.deepEqual(Object.keys(JSON.parse(await text(web, '/openstack/2012-08-10/meta_data.json'))),
      ['uuid', 'meta', 'public_keys', 'keys', 'hostname', 'name', 'launch_index', 'availability_zone']);
    assert.deepEqual(Object.keys(JSON.parse(await text(web, '/openstack/2015-10-15/meta_data.json'))).slice(-2), ['random_seed', 'project_id']);
    assert.deepEqual(Object.keys(JSON.parse(await text(web, '/openstack/2018-08-27/meta_data.json'))).slice(-2), ['project_id', 'devices']);
    const plain = JSON.parse(await text(bare, '/openstack/latest/meta_data.json'));
    assert.ok(!('meta' in plain) && !('public_keys' in plain) && !('keys' in plain) && !('admin_pass' in plain), Object.keys(plain).join(','));
  });

  it('serves network_data.json from network_info, empty lists without networks', async () => {
    const doc = JSON.parse(await text(web, '/openstack/latest/network_data.json'));
    assert.deepEqual(doc.links, [{ id: 'tap0', vif_id: 'vif-10.0.0.5', type: 'bridge', mtu: 1450, ethernet_mac_address: 'fa:16:3e:00:00:01' }]);
    assert.deepEqual(doc.networks.map((n: { type: string; ip_address: string }) => [n.type, n.ip_address]), [['ipv4', '10.0.0.5'], ['ipv6', 'fd00::5']]);
    assert.deepEqual(doc.services, [{ type: 'dns', address: '8.8.8.8' }]);
    assert.deepEqual(JSON.parse(await text(bare, '/openstack/latest/network_data.json')), { links: [], networks: [], services: [] });
  });

  it('serves empty vendor data when no file is configured', async () => {
    assert.deepEqual(JSON.parse(await text(web, '/openstack/latest/vendor_data.json')), {});
    assert.deepEqual(JSON.parse(await text(web, '/openstack/latest/vendor_data2.json')), { static: {} });
  });

  describe('proxy headers', () => {
    it('refuses a missing or wrong signature with 403, missing headers with 400', async () => {
      const good = proxyHeaders(SECRET, web.uuid, 'p1');
      const bad = await mdRequest(url, '/latest/meta-data/instance-id', { headers: { ...good, 'x-instance-id-signature': good['x-instance-id-signature'].replace(/^./, (c) => (c === '0' ? '1' : '0')) } });
      assert.equal(bad.status, 403);
      assert.match(bad.text, /Invalid proxy request signature\./);
      const other = await mdRequest(url, '/latest/meta-data/instance-id', { headers: { ...good, 'x-instance-id-signature': proxyHeaders('wrong-secret', web.uuid, 'p1')['x-instance-id-signature'] } });
      assert.equal(other.status, 403);
      const empty = await mdRequest(url, '/latest/meta-data/instance-id', { headers: { ...good, 'x-instance-id-signature': '' } });
      assert.equal(empty.status, 403);
      const { 'x-instance-id-signature': _s, ...unsigned } = good;
      const missing = await mdRequest(url, '/latest/meta-data/instance-id', { headers: unsigned });
      assert.equal(missing.status, 400);
      assert.match(missing.text, /X-Instance-ID-Signature header is missing from request\./);
      const { 'x-tenant-id': _t, ...noTenant } = good;
      assert.match((await mdRequest(url, '/latest/meta-data/instance-id', { headers: noTenant })).text, /X-Tenant-ID header is missing/);
      const none = await mdRequest(url, '/latest/meta-data/instance-id');
      assert.equal(none.status, 400, 'behind a proxy, no source-address fallback');
      assert.match(none.text, /X-Instance-ID header is missing from request\./);
    });

    it('refuses X-Metadata-Provider requests, which need Neutron, naming the headers to send instead', async () => {
      const r = await mdRequest(url, '/latest/meta-data/instance-id', { headers: { 'x-metadata-provider': 'edge-1', 'x-forwarded-for': '10.0.0.5' } });
      assert.equal(r.status, 400);
      assert.match(r.text, /X-Metadata-Provider requests are not supported.*X-Instance-ID, X-Tenant-ID and X-Instance-ID-Signature/);
    });

    it("never shows one instance another's metadata", async () => {
      // web's valid signature with bare's id: the signature is over the id, so it fails.
      const swapped = await mdRequest(url, '/latest/meta-data/instance-id', { headers: { ...proxyHeaders(SECRET, web.uuid, 'p1'), 'x-instance-id': bare.uuid } });
      assert.equal(swapped.status, 403);
      // A correctly signed id with another project's tenant: 404, nothing shown.
      const tenant = await mdRequest(url, '/openstack/latest/meta_data.json', { headers: proxyHeaders(SECRET, bare.uuid, 'p1') });
      assert.equal(tenant.status, 404);
      assert.ok(!tenant.text.includes(bare.uuid));
      const unknown = await mdRequest(url, '/latest/meta-data/instance-id', { headers: proxyHeaders(SECRET, '00000000-0000-4000-8000-000000000000', 'p1') });
      assert.equal(unknown.status, 404);
      assert.equal(await text(bare, '/latest/meta-data/instance-id'), `i-${hex8(bare.id)}`);
    });
  });

  describe('IMDSv2 session tokens', () => {
    const put = (inst: Instance, ttl?: string) => mdRequest(url, '/latest/api/token', {
      method: 'PUT', headers: { ...proxyHeaders(SECRET, inst.uuid, inst.project_id), ...(ttl === undefined ? {} : { 'x-aws-ec2-metadata-token-ttl-seconds': ttl }) },
    });

    it('issues a token on PUT /latest/api/token and accepts it on later requests of the same instance only', async () => {
      const issued = await put(web, '300');
      assert.equal(issued.status, 200);
      assert.equal(issued.headers['x-aws-ec2-metadata-token-ttl-seconds'], '300');
      const token = issued.text;
      assert.equal((await get(web, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': token })).text, `i-${hex8(web.id)}`);
      assert.equal((await get(bare, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': token })).status, 401);
      assert.equal((await get(web, '/latest/meta-data/instance-id', { 'x-aws-ec2-metadata-token': 'forged' })).status, 401);
      assert.equal((await get(web, '/latest/meta-data/instance-id')).status, 200, 'IMDSv1 (no token) still works');
    });

    it('refuses a PUT without a valid TTL header with 400', async () => {
      assert.equal((await put(web)).status, 400);
      assert.equal((await put(web, '0')).status, 400);
      assert.equal((await put(web, '21601')).status, 400);
    });
  });
});
