import { strict as assert } from 'node:assert';
import { FilterScheduler } from '../../src/scheduler/filter_scheduler';
import { HostManager } from '../../src/scheduler/host_manager';
import { loadWeighers, WEIGHERS } from '../../src/scheduler/weights';
import { buildRequest, conf, hostState } from './fixtures';

/** Host names best first under one weigher alone. */
function rank(weigher: string, hosts: ReturnType<typeof hostState>[], spec = buildRequest(), overrides: Record<string, string> = {}): string[] {
  const c = conf({ 'filter_scheduler.weight_classes': weigher, ...overrides });
  return new FilterScheduler(c, new HostManager(c)).weigh(hosts, spec).map((h) => h.host);
}

describe('scheduler weighers', () => {
  it('IoOpsWeigher prefers idle hosts; a positive multiplier prefers busy ones', () => {
    const hosts = [hostState('h1', { num_io_ops: 5 }), hostState('h2', { num_io_ops: 0 })];
    assert.deepEqual(rank('IoOpsWeigher', hosts), ['h2', 'h1']);
    assert.deepEqual(rank('IoOpsWeigher', hosts, buildRequest(), { 'filter_scheduler.io_ops_weight_multiplier': '1' }), ['h1', 'h2']);
  });

  it('NumInstancesWeigher is off by default and spreads with a negative multiplier', () => {
    const c = conf();
    assert.equal(new WEIGHERS.NumInstancesWeigher(c).multiplier, 0);
    const hosts = [hostState('h1', { num_instances: 9 }), hostState('h2', { num_instances: 1 })];
    assert.deepEqual(rank('NumInstancesWeigher', hosts, buildRequest(), { 'filter_scheduler.num_instances_weight_multiplier': '-1' }), ['h2', 'h1']);
    assert.deepEqual(rank('NumInstancesWeigher', hosts, buildRequest(), { 'filter_scheduler.num_instances_weight_multiplier': '2' }), ['h1', 'h2']);
  });

  it('BuildFailureWeigher pushes hosts with failed builds below every other weigher', () => {
    const hosts = [hostState('h1', { failed_builds: 1, memory_mb: 65536 }), hostState('h2', { memory_mb: 1024 })];
    assert.deepEqual(rank('RAMWeigher,BuildFailureWeigher', hosts), ['h2', 'h1']);
    assert.deepEqual(rank('RAMWeigher', hosts), ['h1', 'h2']);
  });

  it('ServerGroupSoftAffinityWeigher packs and ServerGroupSoftAntiAffinityWeigher spreads group members', () => {
    const hosts = [hostState('h1'), hostState('h2', { instance_uuids: new Set(['m1', 'm2']) }), hostState('h3', { instance_uuids: new Set(['m3']) })];
    const soft = buildRequest({ instance_group: { uuid: 'g', policy: 'soft-affinity', members: ['m1', 'm2', 'm3'] } });
    assert.deepEqual(rank('ServerGroupSoftAffinityWeigher', hosts, soft), ['h2', 'h3', 'h1']);
    const softAnti = buildRequest({ instance_group: { uuid: 'g', policy: 'soft-anti-affinity', members: ['m1', 'm2', 'm3'] } });
    assert.deepEqual(rank('ServerGroupSoftAntiAffinityWeigher', hosts, softAnti), ['h1', 'h3', 'h2']);
    // A weigher for another policy has no say.
    assert.deepEqual(new Set(rank('ServerGroupSoftAffinityWeigher', hosts, softAnti)), new Set(['h1', 'h2', 'h3']));
  });

  it('all_weighers loads every weigher, including the new ones', () => {
    const names = loadWeighers(conf()).map((w) => w.name);
    for (const n of ['IoOpsWeigher', 'NumInstancesWeigher', 'BuildFailureWeigher', 'ServerGroupSoftAffinityWeigher', 'ServerGroupSoftAntiAffinityWeigher']) assert.ok(names.includes(n), n);
  });
});
