import { strict as assert } from 'node:assert';
import { reapDeletedGuests } from '../../src/compute/guest_reaper';
import { ComputeManager } from '../../src/compute/manager';
import { instanceGet } from '../../src/db/api/instances';
import { FakeDriver } from '../../src/drivers/fake/driver';
import { nullLogger } from '../../src/lib/log';
import { toDriverInstance } from '../../src/compute/manager';
import { boot, guestsOn, ServerCloud, startServerCloud, waitForGone, waitForStatus } from '../helpers/servers';

describe('compute: guests of deleted instances are reaped', function () {
  this.timeout(30000);
  let cloud: ServerCloud;
  before(async () => { cloud = await startServerCloud(); });
  after(async () => { await cloud.stop(); });

  it('destroys a guest whose instance is deleted; keeps the others and guests no instance names (a shared hypervisor)', async () => {
    const host = cloud.rt.host;
    const keep = await boot(cloud, { name: 'keep' });
    const gone = await boot(cloud, { name: 'gone' });
    await waitForStatus(cloud, keep, 'ACTIVE');
    await waitForStatus(cloud, gone, 'ACTIVE');
    const row = await instanceGet(gone);
    await cloud.request('DELETE', `/servers/${gone}`);
    await waitForGone(cloud, gone);
    // A leftover, as when a delete ran while this host was down.
    const driver = new FakeDriver(cloud.rt.conf);
    await driver.initHost(host);
    await driver.spawn({ instance: toDriverInstance(cloud.rt.conf, row), image_meta: { id: cloud.image.id, properties: {} } });
    await driver.spawn({ instance: { ...toDriverInstance(cloud.rt.conf, row), uuid: '00000000-0000-4000-8000-00000000dead' }, image_meta: { id: cloud.image.id, properties: {} } });
    const manager = new ComputeManager({
      conf: cloud.rt.conf, log: nullLogger, host, driver, conductor: await cloud.rt.conductor(), compute: await cloud.rt.compute(), images: () => cloud.rt.imageService(),
    });
    const reaped = await reapDeletedGuests(manager);
    assert.deepEqual(reaped, [gone]);
    assert.deepEqual((await guestsOn(cloud, host)).sort(), [keep, '00000000-0000-4000-8000-00000000dead'].sort());
  });
});
