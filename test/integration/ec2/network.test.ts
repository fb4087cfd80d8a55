import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { waitFor } from '../../helpers/cloud';
import { addDummy, deleteNamespace, makeNamespace, networkTestsUnavailable, ourRules } from '../../helpers/netns';
import { awsRunner, Ec2Cloud, PYTHON, requireClients, run, startEc2Cloud } from './harness';

const BOTO3_FLOW = path.join(__dirname, '..', '..', '..', '..', 'test', 'integration', 'ec2', 'clients', 'boto3_network.py');

/**
 * EC2 security groups and addresses with Debian's aws CLI and boto3, on nova-network working inside a
 * namespace the test made (FlatDHCPManager, floating range 203.0.113.0/29 on a stand-in public
 * interface). What the EC2 API answers is checked against what the Compute API shows.
 */
describe('EC2 security groups and addresses (aws CLI, boto3) on nova-network', function () {
  this.timeout(300000);
  let c: Ec2Cloud;
  let aws: ReturnType<typeof awsRunner>;
  let ns = '';
  let amiId = '';
  let webId = '';
  let defaultId = '';
  let instanceId = '';
  let instanceUuid = '';

  before(async function () {
    if (networkTestsUnavailable()) this.skip();
    requireClients();
    ns = makeNamespace('ec2');
    addDummy(ns, 'pub0', '192.0.2.1/24');
    c = await startEc2Cloud({
      network: {
        network_namespace: ns, public_interface: 'pub0', routing_source_ip: '192.0.2.1', metadata_host: '192.0.2.1', floating_range: '203.0.113.0/29',
      },
    });
    aws = awsRunner(c);
    const net = await compute('POST', '/os-networks', { network: { label: 'ec2-net', cidr: '10.77.0.0/24' } });
    assert.equal(net.status, 200, JSON.stringify(net.body));
    amiId = (await aws.json('describe-images')).Images.find((i: any) => i.Name === 'ec2-image').ImageId;
  });
  after(async () => {
    await c?.cloud.stop();
    if (ns) {
      // nova-network took its chains away when it stopped.
      assert.deepEqual(ourRules(ns), []);
      deleteNamespace(ns);
    }
  });

  /** The Compute API (proxy APIs end at 2.35) with the same admin token. */
  async function compute(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
    const r = await fetch(`${c.cloud.computeUrl}${url}`, {
      method, headers: { 'x-auth-token': c.token, 'openstack-api-version': 'compute 2.35', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }
  const computeGroup = async (name: string) => (await compute('GET', '/os-security-groups')).body.security_groups.find((g: any) => g.name === name);
  const stateOf = async (id: string) => (await aws.json('describe-instances', '--instance-ids', id)).Reservations[0].Instances[0].State.Name as string;

  it('creates a group and describes it by name, id and filter', async () => {
    const made = await aws.json('create-security-group', '--group-name', 'web', '--description', 'web servers');
    webId = made.GroupId;
    assert.match(webId, /^sg-[0-9a-f]{8}$/);
    const byName = await aws.json('describe-security-groups', '--group-names', 'web');
    assert.deepEqual(byName.SecurityGroups.map((g: any) => [g.GroupId, g.GroupName, g.Description, g.IpPermissions]), [[webId, 'web', 'web servers', []]]);
    const all = await aws.json('describe-security-groups');
    assert.deepEqual(all.SecurityGroups.map((g: any) => g.GroupName).sort(), ['default', 'web']);
    defaultId = all.SecurityGroups.find((g: any) => g.GroupName === 'default').GroupId;
    const byId = await aws.json('describe-security-groups', '--filters', `Name=group-id,Values=${webId}`);
    assert.deepEqual(byId.SecurityGroups.map((g: any) => g.GroupName), ['web']);
    const byFilterName = await aws.json('describe-security-groups', '--filters', 'Name=group-name,Values=def*');
    assert.deepEqual(byFilterName.SecurityGroups.map((g: any) => g.GroupId), [defaultId]);
    // The Compute API sees the same group, and its integer id is inside the EC2 id.
    const seen = await computeGroup('web');
    assert.equal(seen.description, 'web servers');
    assert.equal(parseInt(webId.slice(3), 16), seen.id);
  });

  it('authorizes CIDR and source-group ingress and shows it through both APIs', async () => {
    await aws.json('authorize-security-group-ingress', '--group-name', 'web', '--protocol', 'tcp', '--port', '80-81', '--cidr', '10.0.0.0/8');
    await aws.json('authorize-security-group-ingress', '--group-id', webId, '--ip-permissions',
      JSON.stringify([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: defaultId }] }, { IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '192.0.2.0/24' }] }]));
    const perms = (await aws.json('describe-security-groups', '--group-ids', webId)).SecurityGroups[0].IpPermissions;
    const simple = perms.map((p: any) => [p.IpProtocol, p.FromPort, p.ToPort, p.IpRanges.map((r: any) => r.CidrIp), p.UserIdGroupPairs.map((g: any) => [g.GroupId, g.GroupName])]);
    assert.deepEqual(simple, [
      ['tcp', 80, 81, ['10.0.0.0/8'], []],
      ['tcp', 22, 22, [], [[defaultId, 'default']]],
      ['icmp', -1, -1, ['192.0.2.0/24'], []],
    ]);
    const rules = (await computeGroup('web')).rules.map((r: any) => [r.ip_protocol, r.from_port, r.to_port, r.ip_range.cidr ?? null, r.group.name ?? null]);
    assert.deepEqual(rules, [['tcp', 80, 81, '10.0.0.0/8', null], ['tcp', 22, 22, null, 'default'], ['icmp', -1, -1, '192.0.2.0/24', null]]);
    const dup = await aws.call('authorize-security-group-ingress', '--group-name', 'web', '--protocol', 'tcp', '--port', '80-81', '--cidr', '10.0.0.0/8');
    assert.equal(dup.code, 254);
    assert.match(dup.stderr, /InvalidPermission\.Duplicate/);
    const badProto = await aws.call('authorize-security-group-ingress', '--group-name', 'web', '--protocol', '47', '--port', '1', '--cidr', '10.0.0.0/8');
    assert.match(badProto.stderr, /InvalidParameterValue/);
  });

  it('runs an instance in the group; the group cannot go while it is used', async () => {
    const ran = await aws.json('run-instances', '--image-id', amiId, '--instance-type', 'm1.tiny', '--security-groups', 'web');
    instanceId = ran.Instances[0].InstanceId;
    assert.deepEqual(ran.Instances[0].SecurityGroups, [{ GroupId: webId, GroupName: 'web' }]);
    await waitFor(async () => (await stateOf(instanceId)) === 'running', 60000, 'instance running');
    const inst = (await aws.json('describe-instances', '--instance-ids', instanceId)).Reservations[0];
    assert.deepEqual(inst.Groups, [{ GroupId: webId, GroupName: 'web' }]);
    assert.match(inst.Instances[0].PrivateIpAddress, /^10\.77\.0\.\d+$/);
    instanceUuid = (await compute('GET', '/servers/detail')).body.servers.find((s: any) => s.addresses['ec2-net']?.[0]?.addr === inst.Instances[0].PrivateIpAddress).id;
    const groups = await compute('GET', `/servers/${instanceUuid}/os-security-groups`);
    assert.deepEqual(groups.body.security_groups.map((g: any) => g.name), ['web']);
    // nova-network's firewall for the instance has the group's rules.
    const chain = `nova-network-inst-${parseInt(instanceId.slice(2), 16)}`;
    await waitFor(async () => ourRules(ns).some((r) => r.startsWith(`-A ${chain} `) && r.includes('-s 10.0.0.0/8') && r.includes('--dports 80:81')), 30000, 'the web rule in the instance chain');
    const inUse = await aws.call('delete-security-group', '--group-name', 'web');
    assert.match(inUse.stderr, /InvalidGroup\.InUse/);
  });

  let publicIp = '';
  it('allocates, associates, describes, disassociates and releases an address', async () => {
    const made = await aws.json('allocate-address', '--domain', 'standard');
    publicIp = made.PublicIp;
    assert.equal(made.Domain, 'standard');
    assert.match(publicIp, /^203\.0\.113\.[1-6]$/);
    const fips = (await compute('GET', '/os-floating-ips')).body.floating_ips;
    assert.deepEqual(fips.map((f: any) => [f.ip, f.pool, f.instance_id]), [[publicIp, 'nova', null]]);

    await aws.json('associate-address', '--instance-id', instanceId, '--public-ip', publicIp);
    const described = await aws.json('describe-addresses');
    assert.deepEqual(described.Addresses.map((a: any) => [a.PublicIp, a.Domain, a.InstanceId]), [[publicIp, 'standard', instanceId]]);
    const seen = (await compute('GET', '/os-floating-ips')).body.floating_ips[0];
    assert.equal(seen.instance_id, instanceUuid);
    assert.match(seen.fixed_ip, /^10\.77\.0\.\d+$/);
    assert.equal(described.Addresses[0].PrivateIpAddress, seen.fixed_ip);
    // The instance's cached network info has it: describe-instances and the server's addresses show it.
    assert.equal((await aws.json('describe-instances', '--instance-ids', instanceId)).Reservations[0].Instances[0].PublicIpAddress, publicIp);
    const server = (await compute('GET', `/servers/${instanceUuid}`)).body.server;
    assert.ok(server.addresses['ec2-net'].some((a: any) => a.addr === publicIp && a['OS-EXT-IPS:type'] === 'floating'));
    // The host forwards the address to the instance.
    await waitFor(async () => ourRules(ns).includes(`-A nova-network-PREROUTING -d ${publicIp}/32 -j DNAT --to-destination ${seen.fixed_ip}`), 30000, 'the DNAT of the address');
    const byInstance = await aws.json('describe-addresses', '--filters', `Name=instance-id,Values=${instanceId}`);
    assert.deepEqual(byInstance.Addresses.map((a: any) => a.PublicIp), [publicIp]);

    await aws.json('disassociate-address', '--public-ip', publicIp);
    assert.equal((await aws.json('describe-addresses', '--public-ips', publicIp)).Addresses[0].InstanceId, undefined);
    assert.equal((await compute('GET', '/os-floating-ips')).body.floating_ips[0].instance_id, null);
    await waitFor(async () => !ourRules(ns).some((r) => r.includes(publicIp)), 30000, 'the DNAT of the address to go');
    const again = await aws.call('disassociate-address', '--public-ip', publicIp);
    assert.match(again.stderr, /InvalidAssociationID\.NotFound/);

    await aws.json('release-address', '--public-ip', publicIp);
    assert.deepEqual((await aws.json('describe-addresses')).Addresses, []);
    assert.deepEqual((await compute('GET', '/os-floating-ips')).body.floating_ips, []);
    const unknown = await aws.call('release-address', '--public-ip', publicIp);
    assert.match(unknown.stderr, /InvalidAddress\.NotFound/);
  });

  it('revokes rules through both request forms', async () => {
    await aws.json('revoke-security-group-ingress', '--group-name', 'web', '--protocol', 'tcp', '--port', '80-81', '--cidr', '10.0.0.0/8');
    await aws.json('revoke-security-group-ingress', '--group-id', webId, '--ip-permissions',
      JSON.stringify([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [{ GroupId: defaultId }] }]));
    const perms = (await aws.json('describe-security-groups', '--group-names', 'web')).SecurityGroups[0].IpPermissions;
    assert.deepEqual(perms.map((p: any) => [p.IpProtocol, p.IpRanges.map((r: any) => r.CidrIp)]), [['icmp', ['192.0.2.0/24']]]);
    assert.deepEqual((await computeGroup('web')).rules.map((r: any) => r.ip_protocol), ['icmp']);
    await waitFor(async () => !ourRules(ns).some((r) => r.includes('--dports 80:81')), 30000, 'the revoked rule to leave the firewall');
    const gone = await aws.call('revoke-security-group-ingress', '--group-name', 'web', '--protocol', 'tcp', '--port', '80-81', '--cidr', '10.0.0.0/8');
    assert.match(gone.stderr, /InvalidPermission\.NotFound/);
  });

  it('deletes the group once its instance is terminated, never default', async () => {
    await aws.json('terminate-instances', '--instance-ids', instanceId);
    await waitFor(async () => (await stateOf(instanceId)) === 'terminated', 60000, 'instance terminated');
    await aws.json('delete-security-group', '--group-id', webId);
    assert.equal(await computeGroup('web'), undefined);
    const missing = await aws.call('describe-security-groups', '--group-names', 'web');
    assert.match(missing.stderr, /InvalidGroup\.NotFound/);
    const malformed = await aws.call('describe-security-groups', '--group-ids', 'sg-zz');
    assert.match(malformed.stderr, /InvalidGroupId\.Malformed/);
    const dflt = await aws.call('delete-security-group', '--group-name', 'default');
    assert.match(dflt.stderr, /CannotDelete/);
  });

  it('drives groups and addresses with boto3', async () => {
    const r = await run(PYTHON, [BOTO3_FLOW, c.ec2Url, c.access, c.secret, amiId], {});
    const steps = new Map(r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((s) => [s.step, s]));
    if (r.code !== 0) throw new Error(`boto3 flow exited ${r.code}: ${r.stderr}\n${r.stdout}`);
    const groupId = steps.get('create_group').group_id;
    assert.match(groupId, /^sg-[0-9a-f]{8}$/);
    assert.deepEqual(steps.get('described_group').permissions, [
      { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.77.0.0/24' }], UserIdGroupPairs: [] },
      { IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [], UserIdGroupPairs: [{ GroupId: groupId, GroupName: 'boto-db' }] },
    ]);
    assert.deepEqual(steps.get('duplicate_group').error, 'InvalidGroup.Duplicate');
    assert.deepEqual(steps.get('run').groups, [{ GroupId: groupId, GroupName: 'boto-db' }]);
    const ip = steps.get('allocate').public_ip;
    assert.deepEqual(steps.get('associated').addresses, [{ PublicIp: ip, Domain: 'standard', InstanceId: steps.get('run').id }]);
    assert.equal(steps.get('public_ip').ip, ip);
    assert.deepEqual(steps.get('disassociated').addresses, [{ PublicIp: ip, Domain: 'standard' }]);
    assert.deepEqual(steps.get('released').addresses, []);
    assert.deepEqual(steps.get('revoked').permissions, [['udp', 53, 53]]);
    assert.deepEqual(steps.get('deleted_groups').names, ['default']);
    // Nothing of the flow is left in the Compute API.
    assert.deepEqual((await compute('GET', '/os-floating-ips')).body.floating_ips, []);
    assert.deepEqual((await compute('GET', '/os-security-groups')).body.security_groups.map((g: any) => g.name), ['default']);
  });
});
