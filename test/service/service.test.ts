import { strict as assert } from 'node:assert';
import { nullLogger } from '../../src/lib/log';
import { Manager, Service, ServiceRecord, ServiceRegistry } from '../../src/service/service';
import { Transport } from '../../src/rpc/types';

/** What a Service did, in order. */
function recorder(opts: { prepareFails?: Error } = {}) {
  const calls: string[] = [];
  const record: ServiceRecord = { id: 7, uuid: 'u', host: 'h1', binary: 'nova-compute', topic: null, disabled: false, report_count: 0 };
  const registry: ServiceRegistry = {
    register: async () => { calls.push('register'); return record; },
    heartbeat: async () => { calls.push('heartbeat'); },
  };
  const manager: Manager = {
    rpcTarget: { version: '1.0' },
    prepareHost: async () => { calls.push('prepareHost'); if (opts.prepareFails) throw opts.prepareFails; },
    initHost: async (s) => { calls.push(`initHost ${s.id}`); },
  };
  const service = new Service({
    binary: 'nova-compute', topic: null, host: 'h1', managers: [manager], transport: {} as Transport,
    registry, reportInterval: 3600, log: nullLogger,
  });
  return { calls, service };
}

describe('Service start', () => {
  it('prepares the host (connects the hypervisor), then registers, then initialises with the record', async () => {
    const { calls, service } = recorder();
    await service.start();
    await service.stop();
    assert.deepEqual(calls.slice(0, 3), ['prepareHost', 'register', 'initHost 7']);
  });

  it('never registers (so is never shown up) when preparing the host fails, and fails with that error', async () => {
    const { calls, service } = recorder({ prepareFails: new Error('vCenter https://127.0.0.1:1/sdk is unreachable') });
    await assert.rejects(service.start(), /vCenter https:\/\/127\.0\.0\.1:1\/sdk is unreachable/);
    assert.equal(service.state, 'failed');
    assert.deepEqual(calls, ['prepareHost']);
  });
});
