import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { instanceUuidForEc2Id } from '../../../src/db/api/ec2_ids';
import { Ec2Cloud, PYTHON, requireClients, run, startEc2Cloud, awsRunner } from './harness';

const FLOW = path.join(__dirname, '..', '..', '..', '..', 'test', 'integration', 'ec2', 'clients', 'boto3_flow.py');

/** boto3 (Debian's, from /usr/bin/python3) runs a whole flow; the steps it prints are checked here. */
describe('EC2 API with boto3', function () {
  this.timeout(300000);
  let c: Ec2Cloud;
  let steps: Map<string, any>;

  before(async () => {
    requireClients();
    c = await startEc2Cloud();
    const ami = (await awsRunner(c).json('describe-images')).Images.find((i: any) => i.Name === 'ec2-image').ImageId as string;
    const r = await run(PYTHON, [FLOW, c.ec2Url, c.access, c.secret, ami], {});
    steps = new Map(r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((s) => [s.step, s]));
    if (r.code !== 0) throw new Error(`boto3 flow exited ${r.code}: ${r.stderr}\n${r.stdout}`);
  });
  after(async () => { await c?.cloud.stop(); });

  it('describes regions and the caller\'s images', () => {
    assert.deepEqual(steps.get('regions').names, ['nova']);
    assert.equal(steps.get('images').ids.length, 1);
  });

  it('runs two instances in one reservation and describes them grouped', () => {
    const ran = steps.get('run');
    assert.equal(ran.ids.length, 2);
    assert.deepEqual(ran.launch_indexes, [0, 1]);
    assert.deepEqual(steps.get('describe').reservations, [ran.ids]);
    assert.deepEqual(steps.get('describe').state, [{ Code: 16, Name: 'running' }, { Code: 16, Name: 'running' }]);
  });

  it('reboots: the Compute API records the reboot action', async () => {
    assert.deepEqual(steps.get('rebooted').state, { Code: 16, Name: 'running' });
    const uuid = await instanceUuidForEc2Id(steps.get('run').ids[0]);
    const r = await fetch(`${c.cloud.computeUrl}/servers/${uuid}/os-instance-actions`, { headers: { 'x-auth-token': c.token, 'openstack-api-version': 'compute 2.21' } });
    const actions = ((await r.json()) as { instanceActions: Array<{ action: string }> }).instanceActions.map((a) => a.action);
    assert.ok(actions.includes('reboot'), JSON.stringify(actions));
  });

  it('tags, stops, starts and terminates', () => {
    const id = steps.get('run').ids[0];
    assert.deepEqual(steps.get('tags').tags, [{ Key: 'Name', ResourceId: id, ResourceType: 'instance', Value: 'first' }]);
    assert.deepEqual(steps.get('stopped').state, { Code: 80, Name: 'stopped' });
    assert.deepEqual(steps.get('started').state, { Code: 16, Name: 'running' });
    assert.deepEqual(steps.get('terminate').ids, steps.get('run').ids);
    assert.ok(steps.has('terminated'));
    assert.equal(steps.get('keypair').has_private, true);
    assert.deepEqual(steps.get('keys_after_delete').names, []);
  });

  it('answers MissingParameter, InvalidInstanceID.NotFound and InvalidAction', () => {
    assert.equal(steps.get('missing_parameter').error, 'MissingParameter');
    assert.equal(steps.get('unknown_instance').error, 'InvalidInstanceID.NotFound');
    const unknown = steps.get('unknown_action');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /<Code>InvalidAction<\/Code>/);
    assert.match(unknown.body, /<RequestID>[0-9a-f-]{36}<\/RequestID>/);
  });
});
