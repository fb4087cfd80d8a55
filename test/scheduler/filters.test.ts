import { strict as assert } from 'node:assert';
import { FilterScheduler } from '../../src/scheduler/filter_scheduler';
import { FilterContext, HostFilter } from '../../src/scheduler/filters/filter';
import { matchSpec } from '../../src/scheduler/filters/extra_specs_ops';
import { FILTERS, loadFilters } from '../../src/scheduler/filters';
import { HostManager } from '../../src/scheduler/host_manager';
import { buildRequest, conf, hostState } from './fixtures';

const CTX: FilterContext = { instanceUuid: 'i-1', chosenHosts: [] };
const make = (name: string, overrides: Record<string, string> = {}): HostFilter => new FILTERS[name](conf(overrides));

describe('scheduler filters', () => {
  it('extra_specs_ops: numeric, string, <in>, <all-in>, <or> and bare equality', () => {
    assert.ok(matchSpec('8', '>= 4') && !matchSpec('2', '>= 4') && matchSpec('4', '= 4') && !matchSpec('x', '>= 4'));
    assert.ok(matchSpec('x86_64', 's== x86_64') && !matchSpec('aarch64', 's== x86_64'));
    assert.ok(matchSpec('["avx", "sse4"]', '<in> avx') && !matchSpec('["sse4"]', '<in> avx'));
    assert.ok(matchSpec('["avx", "sse4"]', '<all-in> [avx, sse4]') && !matchSpec('["avx"]', '<all-in> [avx, sse4]'));
    assert.ok(matchSpec('ssd', '<or> hdd <or> ssd') && !matchSpec('nvme', '<or> hdd <or> ssd'));
    assert.ok(matchSpec('true', 'true') && !matchSpec('false', 'true'));
  });

  it('ComputeCapabilitiesFilter matches capabilities: specs against attributes, cpu_info and stats; ignores other scopes', () => {
    const f = make('ComputeCapabilitiesFilter');
    const h = hostState('h1', { stats: { gpu: 'yes' } });
    assert.equal(f.hostPasses(h, buildRequest({ extra_specs: { 'capabilities:cpu_info:arch': 's== x86_64', 'hw:cpu_policy': 'dedicated' } }), CTX), true);
    assert.equal(f.hostPasses(h, buildRequest({ extra_specs: { 'capabilities:cpu_info:features': '<in> avx' } }), CTX), true);
    assert.equal(f.hostPasses(h, buildRequest({ extra_specs: { 'capabilities:gpu': 'yes', 'capabilities:vcpus': '>= 8' } }), CTX), true);
    assert.match(String(f.hostPasses(h, buildRequest({ extra_specs: { 'capabilities:cpu_info:arch': 's== aarch64' } }), CTX)), /cpu_info:arch is x86_64/);
    assert.match(String(f.hostPasses(h, buildRequest({ extra_specs: { 'capabilities:fpga': 'yes' } }), CTX)), /no capability fpga/);
    assert.equal(f.hostPasses(hostState('h2', { cpu_info: JSON.stringify({ arch: 'x86_64' }) as unknown as Record<string, unknown> }), buildRequest({ extra_specs: { 'capabilities:cpu_info:arch': 'x86_64' } }), CTX), true);
  });

  it('ImagePropertiesFilter matches architecture, hypervisor type, vm mode and version, aliases included', () => {
    const f = make('ImagePropertiesFilter');
    const h = hostState('h1');
    assert.equal(f.hostPasses(h, buildRequest(), CTX), true);
    assert.equal(f.hostPasses(h, buildRequest({ image_properties: { hw_architecture: 'amd64', img_hv_type: 'qemu', hw_vm_mode: 'hvm' } }), CTX), true);
    assert.match(String(f.hostPasses(h, buildRequest({ image_properties: { hw_architecture: 'aarch64' } }), CTX)), /supports x86_64\/qemu\/hvm, image wants aarch64/);
    assert.match(String(f.hostPasses(h, buildRequest({ image_properties: { img_hv_type: 'xen' } }), CTX)), /image wants/);
    assert.match(String(f.hostPasses(hostState('h2', { supported_instances: [] }), buildRequest({ image_properties: { hw_vm_mode: 'hvm' } }), CTX)), /no supported instances/);
    assert.equal(f.hostPasses(h, buildRequest({ image_properties: { img_hv_requested_version: '>=6.1' } }), CTX), true);
    assert.match(String(f.hostPasses(h, buildRequest({ image_properties: { img_hv_requested_version: '>=6.2' } }), CTX)), /6\.1\.0 does not satisfy/);
  });

  it('SameHostFilter and DifferentHostFilter follow the same_host/different_host hints', () => {
    const same = make('SameHostFilter');
    const diff = make('DifferentHostFilter');
    const h1 = hostState('h1', { instance_uuids: new Set(['a']) });
    const h2 = hostState('h2', { instance_uuids: new Set(['b']) });
    const both = buildRequest({ scheduler_hints: { same_host: ['a', 'x'], different_host: 'a' } });
    assert.equal(same.hostPasses(h1, both, CTX), true);
    assert.match(String(same.hostPasses(h2, both, CTX)), /runs none/);
    assert.match(String(diff.hostPasses(h1, both, CTX)), /runs different_host instance a/);
    assert.equal(diff.hostPasses(h2, both, CTX), true);
    assert.equal(same.hostPasses(h2, buildRequest(), CTX), true);
  });

  it('IsolatedHostsFilter keeps isolated images on isolated hosts and, restricted, others off them', () => {
    const o = { 'filter_scheduler.isolated_images': 'img-iso', 'filter_scheduler.isolated_hosts': 'h-iso' };
    const f = make('IsolatedHostsFilter', o);
    const iso = buildRequest({ image: { id: 'img-iso', properties: {} } });
    assert.equal(f.hostPasses(hostState('h-iso'), iso, CTX), true);
    assert.match(String(f.hostPasses(hostState('h1'), iso, CTX)), /image is isolated/);
    assert.match(String(f.hostPasses(hostState('h-iso'), buildRequest(), CTX)), /isolated host/);
    const loose = make('IsolatedHostsFilter', { ...o, 'filter_scheduler.restrict_isolated_hosts_to_isolated_images': 'false' });
    assert.equal(loose.hostPasses(hostState('h-iso'), buildRequest(), CTX), true);
    assert.equal(make('IsolatedHostsFilter').hostPasses(hostState('h1'), iso, CTX), true);
  });

  it('AggregateInstanceExtraSpecsFilter matches scoped and unscoped specs to aggregate metadata', () => {
    const f = make('AggregateInstanceExtraSpecsFilter');
    const ssd = hostState('h1', { aggregates: [{ id: 1, name: 'fast', metadata: { ssd: 'true', tier: 'gold,silver' } }] });
    const plain = hostState('h2');
    const wantsSsd = buildRequest({ extra_specs: { 'aggregate_instance_extra_specs:ssd': 'true', 'hw:mem_page_size': 'large' } });
    assert.equal(f.hostPasses(ssd, wantsSsd, CTX), true);
    assert.match(String(f.hostPasses(plain, wantsSsd, CTX)), /no aggregate sets ssd/);
    assert.equal(f.hostPasses(ssd, buildRequest({ extra_specs: { tier: 'silver' } }), CTX), true);
    assert.match(String(f.hostPasses(ssd, buildRequest({ extra_specs: { tier: 'bronze' } }), CTX)), /does not match/);
    assert.equal(f.hostPasses(plain, buildRequest(), CTX), true);
  });

  it('AggregateMultiTenancyIsolation keeps hosts of filter_tenant_id aggregates for those projects', () => {
    const f = make('AggregateMultiTenancyIsolation');
    const h = hostState('h1', { aggregates: [{ id: 1, name: 'a', metadata: { filter_tenant_id: 'p1,p2', filter_tenant_id_3: 'p3' } }] });
    assert.equal(f.hostPasses(h, buildRequest({ project_id: 'p3' }), CTX), true);
    assert.match(String(f.hostPasses(h, buildRequest({ project_id: 'p9' }), CTX)), /isolated for project/);
    assert.equal(f.hostPasses(hostState('h2'), buildRequest({ project_id: 'p9' }), CTX), true);
  });

  it('ServerGroupAffinityFilter and ServerGroupAntiAffinityFilter use the group hosts and max_server_per_host', () => {
    const aff = make('ServerGroupAffinityFilter');
    const anti = make('ServerGroupAntiAffinityFilter');
    const groupHosts = new Map([['h1', 2]]);
    const affinity = buildRequest({ instance_group: { uuid: 'g', policy: 'affinity', members: [] } });
    assert.equal(aff.hostPasses(hostState('h1'), affinity, { ...CTX, groupHosts }), true);
    assert.match(String(aff.hostPasses(hostState('h2'), affinity, { ...CTX, groupHosts })), /is on h1/);
    assert.equal(aff.hostPasses(hostState('h2'), affinity, { ...CTX, groupHosts: new Map() }), true, 'the first member goes anywhere');
    const antiReq = buildRequest({ instance_group: { uuid: 'g', policy: 'anti-affinity', members: [] } });
    assert.match(String(anti.hostPasses(hostState('h1'), antiReq, { ...CTX, groupHosts })), /already has 2 member/);
    assert.equal(anti.hostPasses(hostState('h2'), antiReq, { ...CTX, groupHosts }), true);
    const three = buildRequest({ instance_group: { uuid: 'g', policy: 'anti-affinity', rules: { max_server_per_host: 3 }, members: [] } });
    assert.equal(anti.hostPasses(hostState('h1'), three, { ...CTX, groupHosts }), true);
    assert.equal(anti.hostPasses(hostState('h1'), affinity, { ...CTX, groupHosts }), true, 'other policies pass');
  });

  it('NumInstancesFilter and IoOpsFilter cap instances and IO operations per host', () => {
    const num = make('NumInstancesFilter', { 'filter_scheduler.max_instances_per_host': '3' });
    const io = make('IoOpsFilter', { 'filter_scheduler.max_io_ops_per_host': '2' });
    assert.equal(num.hostPasses(hostState('h1', { num_instances: 2 }), buildRequest(), CTX), true);
    assert.match(String(num.hostPasses(hostState('h1', { num_instances: 3 }), buildRequest(), CTX)), /max_instances_per_host 3/);
    assert.equal(io.hostPasses(hostState('h1', { num_io_ops: 1 }), buildRequest(), CTX), true);
    assert.match(String(io.hostPasses(hostState('h1', { num_io_ops: 2 }), buildRequest(), CTX)), /max_io_ops_per_host 2/);
  });

  it('loads Nova filter names from enabled_filters and refuses unknown ones', () => {
    const names = loadFilters(conf({ 'filter_scheduler.enabled_filters': 'ComputeFilter,ServerGroupAntiAffinityFilter,NumInstancesFilter' })).map((f) => f.name);
    assert.deepEqual(names, ['RetryFilter', 'ComputeFilter', 'ServerGroupAntiAffinityFilter', 'NumInstancesFilter']);
    assert.throws(() => loadFilters(conf({ 'filter_scheduler.enabled_filters': 'NoSuchFilter' })), /unknown filter 'NoSuchFilter'/);
  });

  it('the scheduler counts group members per host, this request included, for anti-affinity', () => {
    const c = conf({ 'filter_scheduler.enabled_filters': 'ServerGroupAntiAffinityFilter' });
    const s = new FilterScheduler(c, new HostManager(c));
    const hosts = [hostState('h1', { instance_uuids: new Set(['m1']) }), hostState('h2'), hostState('h3', { instance_uuids: new Set(['i-1']) })];
    const spec = buildRequest({ instance_uuids: ['i-1', 'i-2'], instance_group: { uuid: 'g', policy: 'anti-affinity', members: ['m1'] } });
    const { passed, steps } = s.filter(hosts, spec, 'i-2', ['h3']);
    assert.deepEqual(passed.map((h) => h.host), ['h2']);
    assert.equal(steps.find((x) => x.filter === 'ServerGroupAntiAffinityFilter')!.after, 1);
  });

  it('a moving member does not count where it is leaving, only other members do', () => {
    const c = conf({ 'filter_scheduler.enabled_filters': 'ServerGroupAntiAffinityFilter' });
    const s = new FilterScheduler(c, new HostManager(c));
    const hosts = [hostState('h1', { instance_uuids: new Set(['mover']) }), hostState('h2', { instance_uuids: new Set(['other']) }), hostState('h3')];
    const spec = buildRequest({ instance_uuids: ['mover'], instance_group: { uuid: 'g', policy: 'anti-affinity', members: ['mover', 'other'] } });
    assert.deepEqual(s.filter(hosts, spec, 'mover', []).passed.map((h) => h.host), ['h1', 'h3']);
  });
});
