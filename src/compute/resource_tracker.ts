import { NovaConf } from '../conf/schema';
import { adminContext } from '../context';
import { ConductorAPI } from '../conductor/rpcapi';
import { ComputeNodeObj } from '../db/api/compute_nodes';
import { ComputeDriver } from '../drivers/driver';
import { Logger } from '../lib/log';
import { driverStats } from './capabilities';

/**
 * Reports this host's nodes and their inventory (vcpus, memory, disk, ratios, reservations) into
 * compute_nodes through the conductor, with the driver's capabilities in stats (the API refuses
 * what a node cannot do from them). Usage counters belong to the claims the scheduler makes.
 */
export class ResourceTracker {
  readonly nodes = new Map<string, ComputeNodeObj>();

  constructor(private conf: NovaConf, private host: string, private driver: ComputeDriver, private conductor: ConductorAPI, private log: Logger) {}

  async update(serviceId: number | null): Promise<void> {
    const d = this.conf.DEFAULT;
    for (const node of await this.driver.getAvailableNodes()) {
      const r = await this.driver.getAvailableResource(node);
      const saved = await this.conductor.compute_node_update(adminContext(), {
        report: {
          host: this.host, service_id: serviceId, hypervisor_hostname: r.hypervisor_hostname, hypervisor_type: r.hypervisor_type,
          hypervisor_version: r.hypervisor_version, host_ip: r.host_ip ?? d.my_ip, vcpus: r.vcpus, memory_mb: r.memory_mb,
          local_gb: r.local_gb, cpu_info: r.cpu_info, supported_instances: r.supported_instances ?? [],
          disk_available_least: r.disk_available_least ?? null, cpu_allocation_ratio: d.cpu_allocation_ratio,
          ram_allocation_ratio: d.ram_allocation_ratio, disk_allocation_ratio: d.disk_allocation_ratio,
          reserved_host_memory_mb: d.reserved_host_memory_mb, reserved_host_disk_mb: d.reserved_host_disk_mb,
          reserved_host_cpus: d.reserved_host_cpus, stats: driverStats(this.driver),
        },
      });
      this.nodes.set(node, saved);
    }
  }

  nodeId(node: string): number | undefined {
    return this.nodes.get(node)?.id;
  }
}
