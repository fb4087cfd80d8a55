import { ComputeNodeObj } from '../db/api/compute_nodes';

/** What the scheduler knows of one compute node while deciding (Nova's HostState). */
export interface HostState {
  host: string;
  nodename: string;
  compute_node_id: number;
  uuid: string;
  hypervisor_type: string;
  hypervisor_version: number;
  vcpus: number;
  vcpus_used: number;
  memory_mb: number;
  memory_mb_used: number;
  local_gb: number;
  local_gb_used: number;
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
  disk_allocation_ratio: number;
  reserved_host_memory_mb: number;
  reserved_host_disk_mb: number;
  reserved_host_cpus: number;
  cpu_info: Record<string, unknown>;
  supported_instances: unknown[];
  stats: Record<string, unknown>;
  num_instances: number;
  num_io_ops: number;
  failed_builds: number;
  service: { id: number; disabled: boolean; up: boolean; forced_down: boolean } | null;
  availability_zone: string;
  /** Host aggregates this host is in, with their metadata. */
  aggregates: Array<{ id: number; name: string; metadata: Record<string, string> }>;
  /** Instance uuids on this host (for affinity and same/different host hints). */
  instance_uuids: Set<string>;
}

export function hostStateFromNode(n: ComputeNodeObj, defaultAz: string): HostState {
  return {
    host: n.host, nodename: n.hypervisor_hostname, compute_node_id: n.id, uuid: n.uuid, hypervisor_type: n.hypervisor_type,
    hypervisor_version: n.hypervisor_version, vcpus: n.vcpus, vcpus_used: n.vcpus_used, memory_mb: n.memory_mb,
    memory_mb_used: n.memory_mb_used, local_gb: n.local_gb, local_gb_used: n.local_gb_used,
    cpu_allocation_ratio: n.cpu_allocation_ratio, ram_allocation_ratio: n.ram_allocation_ratio,
    disk_allocation_ratio: n.disk_allocation_ratio, reserved_host_memory_mb: n.reserved_host_memory_mb,
    reserved_host_disk_mb: n.reserved_host_disk_mb, reserved_host_cpus: n.reserved_host_cpus, cpu_info: n.cpu_info,
    supported_instances: n.supported_instances, stats: n.stats, num_instances: n.running_vms,
    num_io_ops: Number(n.stats?.io_workload ?? 0), failed_builds: Number(n.stats?.failed_builds ?? 0), service: null,
    availability_zone: defaultAz, aggregates: [], instance_uuids: new Set(),
  };
}

/** Free amounts under allocation ratios and reservations, as Placement computes capacity. */
export function freeRamMb(h: HostState): number {
  return (h.memory_mb - h.reserved_host_memory_mb) * h.ram_allocation_ratio - h.memory_mb_used;
}
export function freeVcpus(h: HostState): number {
  return (h.vcpus - h.reserved_host_cpus) * h.cpu_allocation_ratio - h.vcpus_used;
}
export function freeDiskGb(h: HostState): number {
  return (h.local_gb - h.reserved_host_disk_mb / 1024) * h.disk_allocation_ratio - h.local_gb_used;
}

/** Updates the local view after choosing the host for one instance of a multi-instance request. */
export function consume(h: HostState, r: { vcpus: number; memory_mb: number; disk_gb: number }, uuid: string): void {
  h.vcpus_used += r.vcpus;
  h.memory_mb_used += r.memory_mb;
  h.local_gb_used += r.disk_gb;
  h.num_instances += 1;
  h.instance_uuids = new Set(h.instance_uuids).add(uuid); // the set may be shared (see NO_INSTANCES)
}
