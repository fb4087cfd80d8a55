import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { faultsLatest } from '../../src/db/api/actions';
import { NetworkCloud, startNetworkCloud } from '../helpers/network';

/**
 * Builds in a cloud without nova-network (the embedded fake-driver setup): `none` never asks for a
 * network, `auto` finds no network service up (the conductor reports none) and builds without one,
 * and networks asked for by uuid fail the build with a fault naming the missing service.
 */
describe('compute builds without a nova-network service', function () {
  this.timeout(60000);
  let cloud: NetworkCloud;
  before(async () => { cloud = await startNetworkCloud({}, { network: false }); });
  after(async () => { await cloud.stop(); });

  it('builds with networks "none" and "auto" and an empty network_info, and deletes them', async () => {
    const none = await cloud.boot('p1', { networks: 'none' });
    assert.deepEqual(none.network_info, []);
    const auto = await cloud.boot('p1', { networks: 'auto' });
    assert.deepEqual(auto.network_info, []);
    await cloud.destroy(none);
    await cloud.destroy(auto);
  });

  it('fails a build that asks for networks by uuid, naming the missing service, and aborts it without rescheduling', async () => {
    const inst = await cloud.boot('p1', { networks: [{ uuid: randomUUID() }], expect: 'error' });
    const fault = (await faultsLatest([inst.uuid])).get(inst.uuid)!;
    assert.match(fault.message, /^Build of instance .* aborted: Failed to allocate the network\(s\), not rescheduling: No nova-network service is up/);
    assert.equal(inst.host, cloud.rt.host);
    await cloud.destroy(inst);
  });
});
