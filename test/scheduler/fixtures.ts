import { BuildRequest } from '../../src/compute/build';
import { loadConfig } from '../../src/conf/loader';
import { NovaConf } from '../../src/conf/schema';
import { HostState } from '../../src/scheduler/host_state';

export function conf(overrides: Record<string, string> = {}): NovaConf {
  return loadConfig({ overrides }).conf;
}

/** A roomy, enabled, up host; `over` changes what a test is about. */
export function hostState(host: string, over: Partial<HostState> = {}): HostState {
  return {
    host, nodename: host, compute_node_id: Number(host.replace(/\D/g, '') || 1), uuid: `uuid-${host}`, hypervisor_type: 'fake',
    hypervisor_version: 6_001_000, vcpus: 16, vcpus_used: 0, memory_mb: 32768, memory_mb_used: 0, local_gb: 1000, local_gb_used: 0,
    cpu_allocation_ratio: 1, ram_allocation_ratio: 1, disk_allocation_ratio: 1, reserved_host_memory_mb: 0, reserved_host_disk_mb: 0,
    reserved_host_cpus: 0, cpu_info: { arch: 'x86_64', features: ['avx', 'sse4'] }, supported_instances: [['x86_64', 'qemu', 'hvm']],
    stats: {}, num_instances: 0, num_io_ops: 0, failed_builds: 0, service: { id: 1, disabled: false, up: true, forced_down: false },
    availability_zone: 'nova', aggregates: [], instance_uuids: new Set(), ...over,
  };
}

export function buildRequest(over: Partial<BuildRequest> & { extra_specs?: Record<string, string>; image_properties?: Record<string, string> } = {}): BuildRequest {
  const { extra_specs, image_properties, ...rest } = over;
  return {
    instance_uuids: ['i-1'], project_id: 'p1', user_id: 'u1',
    flavor: { id: 1, flavorid: '1', name: 'm1', memory_mb: 512, vcpus: 1, root_gb: 1, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, is_public: true, description: null, extra_specs: extra_specs ?? {} },
    image: { id: 'img-1', properties: image_properties ?? {} }, availability_zone: null, scheduler_hints: {},
    retry: { num_attempts: 0, hosts: [] }, ...rest,
  };
}
