import { strict as assert } from 'node:assert';
import { startCloud, TestCloud } from '../helpers/cloud';
import { ec2GetV2, ec2PostV4 } from '../helpers/ec2';
import { adminPassword, identityCall, issueToken } from '../helpers/identity';

/** nova-api-ec2 in process with the built-in Identity: signatures, access keys, actions and EC2's errors. */
describe('EC2 API daemon', function () {
  this.timeout(60000);
  let cloud: TestCloud;
  let url = '';
  let access = '';
  let secret = '';
  let token = '';
  let userId = '';
  let projectId = '';
  const v4 = (params: Record<string, string>) => ec2PostV4(url, access, secret, params);

  before(async () => {
    cloud = await startCloud({ auth: 'keystone', daemons: ['identity', 'conductor', 'scheduler', 'compute', 'api', 'ec2'] });
    url = cloud.rt.endpoints.ec2!;
    const issued = await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin');
    token = issued.token;
    userId = issued.body.token.user.id;
    projectId = issued.body.token.project.id;
    const made = await identityCall(cloud.identityUrl, 'POST', `/users/${userId}/credentials/OS-EC2`, { token, body: { tenant_id: projectId } });
    ({ access, secret } = made.body.credential);
  });
  after(async () => { await cloud?.stop(); });

  it('answers a SigV4 POST in EC2 XML', async () => {
    const r = await v4({ Action: 'DescribeRegions' });
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /^<\?xml[^>]*>\n<DescribeRegionsResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId>/);
    assert.match(r.body, new RegExp(`<regionInfo><item><regionName>nova</regionName><regionEndpoint>${url}</regionEndpoint></item></regionInfo>`));
  });

  it('answers a SigV2 GET', async () => {
    const r = await ec2GetV2(url, access, secret, { Action: 'DescribeInstances' });
    assert.equal(r.status, 200, r.body);
    assert.match(r.body, /<reservationSet><\/reservationSet>/);
  });

  it('refuses a wrong secret (SignatureDoesNotMatch), an unknown key and an unsigned request (AuthFailure)', async () => {
    assert.deepEqual(await ec2PostV4(url, access, 'wrong', { Action: 'DescribeRegions' }).then((r) => [r.status, r.code]), [403, 'SignatureDoesNotMatch']);
    assert.deepEqual(await ec2GetV2(url, 'nobody', secret, { Action: 'DescribeRegions' }).then((r) => [r.status, r.code]), [401, 'AuthFailure']);
    const unsigned = await fetch(`${url}/?Action=DescribeRegions&Version=2016-11-15`);
    assert.equal(unsigned.status, 401);
    assert.match(await unsigned.text(), /<Response><Errors><Error><Code>AuthFailure<\/Code>/);
  });

  it('stops accepting a key once its credential is deleted', async () => {
    const made = await identityCall(cloud.identityUrl, 'POST', `/users/${userId}/credentials/OS-EC2`, { token, body: { tenant_id: projectId } });
    const c = made.body.credential;
    assert.equal((await ec2PostV4(url, c.access, c.secret, { Action: 'DescribeRegions' })).status, 200);
    assert.equal((await identityCall(cloud.identityUrl, 'DELETE', `/users/${userId}/credentials/OS-EC2/${c.access}`, { token })).status, 204);
    assert.equal((await ec2PostV4(url, c.access, c.secret, { Action: 'DescribeRegions' })).code, 'AuthFailure');
  });

  it('answers InvalidAction and MissingParameter', async () => {
    assert.deepEqual(await v4({ Action: 'LaunchRocket' }).then((r) => [r.status, r.code]), [400, 'InvalidAction']);
    assert.equal((await v4({ Action: 'CreateKeyPair' })).code, 'MissingParameter');
    assert.equal((await v4({ Action: 'TerminateInstances' })).code, 'MissingParameter');
  });

  it('creates, lists and deletes key pairs, refusing a duplicate', async () => {
    const made = await v4({ Action: 'CreateKeyPair', KeyName: 'k1' });
    assert.match(made.body, /<keyName>k1<\/keyName><keyFingerprint>([0-9a-f]{2}:){15}[0-9a-f]{2}<\/keyFingerprint><keyMaterial>-----BEGIN/);
    assert.equal((await v4({ Action: 'CreateKeyPair', KeyName: 'k1' })).code, 'InvalidKeyPair.Duplicate');
    assert.match((await v4({ Action: 'DescribeKeyPairs' })).body, /<keySet><item><keyName>k1<\/keyName>/);
    assert.equal((await v4({ Action: 'DescribeKeyPairs', 'KeyName.1': 'nope' })).code, 'InvalidKeyPair.NotFound');
    assert.equal((await v4({ Action: 'DeleteKeyPair', KeyName: 'k1' })).status, 200);
    assert.match((await v4({ Action: 'DescribeKeyPairs' })).body, /<keySet><\/keySet>/);
  });

  it('names unknown and malformed instance and image ids', async () => {
    assert.equal((await v4({ Action: 'DescribeInstances', 'InstanceId.1': 'i-0fffffff' })).code, 'InvalidInstanceID.NotFound');
    assert.equal((await v4({ Action: 'StopInstances', 'InstanceId.1': 'server-1' })).code, 'InvalidInstanceID.Malformed');
    assert.equal((await v4({ Action: 'RunInstances', ImageId: 'ami-0fffffff', MinCount: '1', MaxCount: '1' })).code, 'InvalidAMIID.NotFound');
  });

  it('manages security groups on nova-network\'s tables (sg- ids, IpPermissions, EC2 codes)', async () => {
    const made = await v4({ Action: 'CreateSecurityGroup', GroupName: 'db', GroupDescription: 'databases' });
    const sg = /<groupId>(sg-[0-9a-f]{8})<\/groupId>/.exec(made.body)![1];
    assert.equal((await v4({ Action: 'CreateSecurityGroup', GroupName: 'db', GroupDescription: 'again' })).code, 'InvalidGroup.Duplicate');
    const rule = { GroupId: sg, 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': '5432', 'IpPermissions.1.ToPort': '5432', 'IpPermissions.1.IpRanges.1.CidrIp': '10.0.0.0/8' };
    assert.equal((await v4({ Action: 'AuthorizeSecurityGroupIngress', ...rule })).status, 200);
    assert.equal((await v4({ Action: 'AuthorizeSecurityGroupIngress', ...rule })).code, 'InvalidPermission.Duplicate');
    const described = await v4({ Action: 'DescribeSecurityGroups', 'Filter.1.Name': 'group-name', 'Filter.1.Value.1': 'db' });
    assert.match(described.body, new RegExp(`<groupId>${sg}</groupId><groupName>db</groupName><groupDescription>databases</groupDescription><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>5432</fromPort><toPort>5432</toPort><groups></groups><ipRanges><item><cidrIp>10.0.0.0/8</cidrIp></item></ipRanges></item></ipPermissions>`));
    assert.equal((await v4({ Action: 'RevokeSecurityGroupIngress', ...rule })).status, 200);
    assert.equal((await v4({ Action: 'RevokeSecurityGroupIngress', ...rule })).code, 'InvalidPermission.NotFound');
    assert.equal((await v4({ Action: 'DeleteSecurityGroup', GroupName: 'default' })).code, 'CannotDelete');
    assert.equal((await v4({ Action: 'DeleteSecurityGroup', GroupId: sg })).status, 200);
    assert.equal((await v4({ Action: 'DescribeSecurityGroups', 'GroupId.1': sg })).code, 'InvalidGroup.NotFound');
  });

  it('answers address actions without a floating pool with EC2 codes', async () => {
    assert.equal((await v4({ Action: 'AllocateAddress' })).code, 'AddressLimitExceeded');
    assert.equal((await v4({ Action: 'ReleaseAddress', PublicIp: '203.0.113.9' })).code, 'InvalidAddress.NotFound');
    assert.match((await v4({ Action: 'DescribeAddresses' })).body, /<addressesSet><\/addressesSet>/);
  });
});
