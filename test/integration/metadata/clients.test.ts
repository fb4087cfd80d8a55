import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Instance } from '../../../src/objects/instance';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { insertGuest, oneNic } from '../../helpers/metadata';
import { MetadataNamespace, requireClients, run, runPythonJson } from './harness';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3Qta2V5LWZvci1tZXRhZGF0YS1jbGllbnRzAA guest@test';
const USER_DATA = '#cloud-config\nruncmd:\n  - [touch, /tmp/from-user-data]\n';
const VENDOR = { 'cloud-init': '#cloud-config\npackages: [htop]\n', other: 'not for cloud-init' };
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * Real metadata clients against nova-api-metadata: cloud-init's DataSourceOpenStack and
 * DataSourceEc2, botocore's IMDS fetchers, and Debian's ec2metadata. The guest's fixed IP is
 * 127.0.0.1, so requests over loopback are the guest's. Clients that only talk to 169.254.169.254
 * run in a network namespace where that address leads to the service.
 */
describe('metadata clients: cloud-init, botocore, ec2metadata', function () {
  this.timeout(180_000);
  let cloud: TestCloud;
  let url: string;
  let guest: Instance;
  let ns: MetadataNamespace;
  let work: string;

  before(async () => {
    requireClients();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-clients-'));
    fs.writeFileSync(path.join(work, 'vendor.json'), JSON.stringify(VENDOR));
    cloud = await startCloud({ daemons: ['api-metadata'], overrides: { 'api.vendordata_jsonfile_path': path.join(work, 'vendor.json') } });
    url = cloud.rt.endpoints.metadata;
    guest = await insertGuest({
      project: 'p1', name: 'guest-1',
      updates: {
        network_info: oneNic('127.0.0.1', { cidr: '127.0.0.0/8', gateway: '127.0.0.254', dns: ['127.0.0.53'] }), key_name: 'guestkey', key_data: KEY,
        user_data: Buffer.from(USER_DATA).toString('base64'), availability_zone: 'zone-1a', image_ref: '0b0e0f00-0000-4000-8000-000000000001',
      },
    });
    ns = await MetadataNamespace.create(url);
  });
  after(async () => {
    await ns?.destroy();
    await cloud?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
    const left = (await run('/usr/sbin/ip', ['netns', 'list'])).stdout;
    assert.ok(!left.includes(`nova-md-${process.pid}`), `network namespace left behind: ${left}`);
  });

  it("cloud-init's DataSourceEc2 crawls the EC2 tree at the service URL", async () => {
    const ds = await runPythonJson('cloudinit_datasource.py', ['ec2', url]);
    assert.equal(ds.found, true, JSON.stringify(ds));
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.instance_id, `i-${hex8(guest.id)}`);
    assert.deepEqual(ds.public_ssh_keys, [KEY]);
    assert.equal(Buffer.from(ds.userdata_b64, 'base64').toString(), USER_DATA);
    assert.equal(ds.availability_zone, 'zone-1a');
    assert.equal(ds.local_ipv4, '127.0.0.1');
    assert.equal(ds.instance_type, 'm1.tiny');
    assert.equal(ds.hostname, 'guest-1');
    for (const k of ['ami-id', 'block-device-mapping', 'hostname', 'instance-id', 'placement', 'public-keys', 'reservation-id', 'security-groups']) {
      assert.ok(ds.metadata_keys.includes(k), `${k} in ${ds.metadata_keys}`);
    }
  });

  it("cloud-init's DataSourceOpenStack reads meta_data, user data, vendor data (the \"cloud-init\" key), network data and EC2 data", async () => {
    // It also fetches the EC2 tree, always from 169.254.169.254: run it where that address is the service.
    const ds = await runPythonJson('cloudinit_datasource.py', ['openstack', 'http://169.254.169.254'], { netns: ns.name });
    assert.equal(ds.found, true, JSON.stringify(ds));
    assert.deepEqual(ds.warnings, []);
    assert.equal(ds.instance_id, guest.uuid);
    assert.deepEqual(ds.public_ssh_keys, [KEY]);
    assert.equal(Buffer.from(ds.userdata_b64, 'base64').toString(), USER_DATA);
    assert.equal(ds.vendordata_raw, VENDOR['cloud-init']);
    assert.equal(ds.availability_zone, 'zone-1a');
    assert.equal(ds.hostname, 'guest-1');
    assert.equal(ds.ec2_instance_id, `i-${hex8(guest.id)}`);
    assert.equal(ds.version, 2);
    const nic = ds.network_config.config.find((c: { type: string }) => c.type === 'physical');
    assert.equal(nic.mac_address, 'fa:16:3e:00:00:01');
    assert.equal(nic.name, 'eth0');
    assert.equal(nic.mtu, 1450);
    assert.deepEqual(nic.subnets.map((s: { type: string; address: string; netmask: string }) => [s.type, s.address, s.netmask]), [['static', '127.0.0.1', '255.0.0.0']]);
    assert.ok(ds.network_config.config.some((c: { type: string; address: string }) => c.type === 'nameserver' && c.address === '127.0.0.53'), JSON.stringify(ds.network_config));
    // It picked the newest version it knows from our /openstack listing.
    assert.ok(ns.seen.some((r) => r.path === '/openstack/2018-08-27/meta_data.json' && r.status === 200), JSON.stringify(ns.seen.map((r) => r.path)));
  });

  it("botocore's IMDS fetchers use the endpoint in AWS_EC2_METADATA_SERVICE_ENDPOINT, with an IMDSv2 token", async () => {
    const got = await runPythonJson('botocore_imds.py', [], { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: `${url}/`, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
    assert.equal(got.endpoint, `${url}/`);
    assert.equal(got.token_obtained, true);
    assert.equal(got.instance_id, `i-${hex8(guest.id)}`);
    // botocore drops the zone's last character to get the region.
    assert.equal(got.region, 'zone-1');
    // No IAM role here: botocore finds no credentials and says so with an empty answer, not an error.
    assert.deepEqual(got.credentials, {});
  });

  it("Debian's ec2metadata (169.254.169.254 only) gets a session token and reads keys and user data with it", async () => {
    const before = ns.seen.length;
    const out = await ns.exec('/usr/bin/ec2metadata', ['--instance-id', '--public-keys', '--availability-zone', '--local-ipv4', '--instance-type', '--ami-id']);
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.equal(lines[0], `i-${hex8(guest.id)}`);
    assert.equal(lines[1], `['${KEY}']`);
    assert.deepEqual(lines.slice(2, 5), ['zone-1a', '127.0.0.1', 'm1.tiny']);
    assert.match(lines[5], /^ami-[0-9a-f]{8}$/);
    const userData = await ns.exec('/usr/bin/ec2metadata', ['--user-data']);
    assert.equal(userData.stdout, USER_DATA);
    const mine = ns.seen.slice(before);
    const tokenPut = mine.find((r) => r.method === 'PUT' && r.path === '/latest/api/token');
    assert.ok(tokenPut && tokenPut.status === 200 && tokenPut.ttl === '21600', JSON.stringify(mine));
    const gets = mine.filter((r) => r.method === 'GET');
    assert.ok(gets.length >= 7 && gets.every((r) => r.token && r.status === 200), JSON.stringify(gets));
  });
});
