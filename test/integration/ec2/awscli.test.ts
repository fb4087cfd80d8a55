import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../helpers/cloud';
import { awsRunner, requireClients, Ec2Cloud, startEc2Cloud } from './harness';

/**
 * Debian's aws CLI (SigV4, form POSTs) against the EC2 API, with an EC2 credential made through the
 * identity API: instances, key pairs, images, tags, and EC2's error codes.
 */
describe('EC2 API with the aws CLI', function () {
  this.timeout(300000);
  let c: Ec2Cloud;
  let aws: ReturnType<typeof awsRunner>;
  let amiId = '';
  let instanceId = '';

  before(async () => {
    requireClients();
    c = await startEc2Cloud();
    aws = awsRunner(c);
  });
  after(async () => { await c?.cloud.stop(); });

  const stateOf = async (id: string) => (await aws.json('describe-instances', '--instance-ids', id)).Reservations[0].Instances[0].State.Name as string;

  it('describes regions, zones and the image', async () => {
    const regions = await aws.json('describe-regions');
    assert.deepEqual(regions.Regions, [{ RegionName: 'nova', Endpoint: c.ec2Url }]);
    const zones = await aws.json('describe-availability-zones');
    assert.deepEqual(zones.AvailabilityZones.map((z: any) => [z.ZoneName, z.State]), [['nova', 'available']]);
    const images = await aws.json('describe-images');
    const mine = images.Images.filter((i: any) => i.Name === 'ec2-image');
    assert.equal(mine.length, 1);
    assert.match(mine[0].ImageId, /^ami-[0-9a-f]{8}$/);
    assert.equal(mine[0].State, 'available');
    assert.equal(mine[0].Public, true);
    amiId = mine[0].ImageId;
    const one = await aws.json('describe-images', '--image-ids', amiId);
    assert.equal(one.Images[0].Name, 'ec2-image');
  });

  it('creates, imports, lists and deletes key pairs', async () => {
    const made = await aws.json('create-key-pair', '--key-name', 'ec2-key');
    assert.equal(made.KeyName, 'ec2-key');
    assert.match(made.KeyMaterial, /PRIVATE KEY/);
    assert.match(made.KeyFingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const dup = await aws.call('create-key-pair', '--key-name', 'ec2-key');
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /InvalidKeyPair\.Duplicate/);
    const pub = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBhdW9hoI0yTYUWxNJw0ADPi9dcjnMBX9Sly6BX1+2zMvNtWe5gq45PdiXC6c6sGBPanPe6S6r3JqE1kH2GNOt5xZwBZOPz0ulrhwqCNk0EKA8Fr1uvIOXUwO6JLuoV6gLN3aU1PvYQ== test@ec2';
    const file = path.join(c.cloud.statePath, 'imported.pub');
    fs.writeFileSync(file, pub);
    const imported = await aws.json('import-key-pair', '--key-name', 'imported', '--public-key-material', `fileb://${file}`);
    assert.equal(imported.KeyName, 'imported');
    const listed = await aws.json('describe-key-pairs');
    assert.deepEqual(listed.KeyPairs.map((k: any) => k.KeyName).sort(), ['ec2-key', 'imported']);
    await aws.json('delete-key-pair', '--key-name', 'imported');
    const missing = await aws.call('describe-key-pairs', '--key-names', 'imported');
    assert.match(missing.stderr, /InvalidKeyPair\.NotFound/);
  });

  it('runs an instance that becomes running, idempotent by client token', async () => {
    const userData = '#!/bin/sh\necho hello\n';
    const args = ['run-instances', '--image-id', amiId, '--instance-type', 'm1.tiny', '--key-name', 'ec2-key', '--user-data', userData, '--client-token', 'tok-1'];
    const ran = await aws.json(...args);
    assert.match(ran.ReservationId, /^r-/);
    assert.equal(ran.Instances.length, 1);
    instanceId = ran.Instances[0].InstanceId;
    assert.match(instanceId, /^i-[0-9a-f]{8}$/);
    assert.equal(ran.Instances[0].ImageId, amiId);
    assert.equal(ran.Instances[0].InstanceType, 'm1.tiny');
    assert.equal(ran.Instances[0].KeyName, 'ec2-key');
    const again = await aws.json(...args);
    assert.equal(again.ReservationId, ran.ReservationId);
    assert.deepEqual(again.Instances.map((i: any) => i.InstanceId), [instanceId]);
    await waitFor(async () => (await stateOf(instanceId)) === 'running', 60000, 'instance running');
    const all = await aws.json('describe-instances');
    assert.deepEqual(all.Reservations.flatMap((r: any) => r.Instances.map((i: any) => i.InstanceId)), [instanceId]);
    const byState = await aws.json('describe-instances', '--filters', 'Name=instance-state-name,Values=stopped');
    assert.deepEqual(byState.Reservations, []);
    // The user data went to the server base64-decoded by the CLI and re-encoded: the Compute API shows it.
    const server = await (await fetch(`${c.cloud.computeUrl}/servers/detail`, { headers: { 'x-auth-token': c.token, 'openstack-api-version': 'compute 2.3' } })).json() as any;
    assert.equal(Buffer.from(server.servers[0]['OS-EXT-SRV-ATTR:user_data'], 'base64').toString(), userData);
  });

  it('tags an instance (server metadata) and describes and deletes the tags', async () => {
    await aws.json('create-tags', '--resources', instanceId, '--tags', 'Key=role,Value=web', 'Key=env,Value=test');
    const tags = await aws.json('describe-tags', '--filters', `Name=resource-id,Values=${instanceId}`);
    assert.deepEqual(tags.Tags, [
      { Key: 'env', ResourceId: instanceId, ResourceType: 'instance', Value: 'test' },
      { Key: 'role', ResourceId: instanceId, ResourceType: 'instance', Value: 'web' },
    ]);
    const byTag = await aws.json('describe-instances', '--filters', 'Name=tag:role,Values=web');
    assert.equal(byTag.Reservations[0].Instances[0].InstanceId, instanceId);
    await aws.json('delete-tags', '--resources', instanceId, '--tags', 'Key=env');
    assert.deepEqual((await aws.json('describe-tags')).Tags.map((t: any) => t.Key), ['role']);
  });

  it('reboots, stops, starts and reads the console', async () => {
    await aws.json('reboot-instances', '--instance-ids', instanceId);
    await waitFor(async () => (await stateOf(instanceId)) === 'running', 60000, 'running after reboot');
    const stopped = await aws.json('stop-instances', '--instance-ids', instanceId);
    assert.equal(stopped.StoppingInstances[0].PreviousState.Name, 'running');
    await waitFor(async () => (await stateOf(instanceId)) === 'stopped', 60000, 'instance stopped');
    const started = await aws.json('start-instances', '--instance-ids', instanceId);
    assert.equal(started.StartingInstances[0].PreviousState.Name, 'stopped');
    await waitFor(async () => (await stateOf(instanceId)) === 'running', 60000, 'instance running again');
    const out = await aws.json('get-console-output', '--instance-id', instanceId);
    assert.equal(out.InstanceId, instanceId);
    assert.equal(typeof out.Output, 'string');
  });

  it('terminates the instance', async () => {
    const t = await aws.json('terminate-instances', '--instance-ids', instanceId);
    assert.equal(t.TerminatingInstances[0].InstanceId, instanceId);
    await waitFor(async () => (await stateOf(instanceId)) === 'terminated', 60000, 'instance terminated');
    assert.deepEqual((await aws.json('describe-instances')).Reservations, []);
  });

  it('answers EC2 error codes', async () => {
    const unknownInstance = await aws.call('describe-instances', '--instance-ids', 'i-7fffffff');
    assert.equal(unknownInstance.code, 254);
    assert.match(unknownInstance.stderr, /InvalidInstanceID\.NotFound/);
    const unknownImage = await aws.call('run-instances', '--image-id', 'ami-7fffffff', '--instance-type', 'm1.tiny');
    assert.match(unknownImage.stderr, /InvalidAMIID\.NotFound/);
    const badSecret = await awsRunner(c, { access: c.access, secret: 'not-the-secret' }).call('describe-instances');
    assert.match(badSecret.stderr, /SignatureDoesNotMatch/);
    const unknownKey = await awsRunner(c, { access: 'no-such-access-key', secret: c.secret }).call('describe-instances');
    assert.match(unknownKey.stderr, /AuthFailure/);
  });
});
