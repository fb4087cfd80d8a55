import { strict as assert } from 'node:assert';
import { startCloud } from '../helpers/cloud';
import { networkTestsUnavailable } from '../helpers/netns';

/** nova-network refuses to start on a host it cannot work on, naming what is missing and the fix. */
describe('nova-network prerequisites', function () {
  this.timeout(60000);
  before(function () { if (networkTestsUnavailable()) this.skip(); });

  it('names a network namespace that does not exist and how to make it', async () => {
    await assert.rejects(startCloud({ daemons: ['conductor', 'network'], overrides: { network_namespace: 'nova-no-such-ns' } }),
      /nova-network cannot set up this host: network namespace 'nova-no-such-ns' \(\[DEFAULT\] network_namespace\) does not exist: create it with `ip netns add nova-no-such-ns`/);
  });
});
