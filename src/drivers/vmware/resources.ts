import { ParsedXml, textOf } from '../../lib/xml';
import { HostResources } from '../driver';
import { ClusterPlacement, datastoreInfos, usableDatastores } from './inventory';
import { VimSession } from './session';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** "6.5.0" -> 6005000, "7.0.3" -> 7000003 (Nova's convert_version_to_int). */
export function versionNumber(version: string): number {
  const [a = 0, b = 0, c = 0] = version.split('.').map((x) => Number.parseInt(x, 10) || 0);
  return a * 1_000_000 + b * 1_000 + c;
}

/** Nova's node name for a cluster: `<cluster moref>.<vCenter instance uuid>` (e.g. domain-c7.4c3...). */
export function nodeName(s: VimSession, place: ClusterPlacement): string {
  return `${place.cluster.value}.${s.content.about.instanceUuid}`;
}

/**
 * The cluster as one compute node: CPU threads and memory from the cluster summary, disk from the
 * datastores `[vmware] datastore_regex` allows, CPU models of its hosts.
 */
export async function clusterResources(s: VimSession, place: ClusterPlacement, datastoreRegex: string, hostIp: string): Promise<HostResources> {
  const summary = (await s.property(place.cluster, 'summary')) as ParsedXml;
  const num = (k: string) => Number(textOf(summary[k])) || 0;
  const stores = usableDatastores(await datastoreInfos(s, place.datastores), datastoreRegex);
  const capacity = stores.reduce((a, d) => a + d.capacity, 0);
  const free = stores.reduce((a, d) => a + d.freeSpace, 0);
  const vendors = new Set<string>();
  const models = new Set<string>();
  for (const host of place.hosts) {
    const hw = (await s.property(host, 'summary.hardware')) as ParsedXml | undefined;
    if (hw) { vendors.add(textOf(hw.vendor)); models.add(textOf(hw.cpuModel)); }
  }
  const memoryMb = Math.floor(num('totalMemory') / MiB);
  return {
    hypervisor_hostname: nodeName(s, place),
    hypervisor_type: 'VMware vCenter Server',
    hypervisor_version: versionNumber(s.content.about.version),
    host_ip: hostIp,
    vcpus: num('numCpuThreads'),
    memory_mb: memoryMb,
    local_gb: Math.floor(capacity / GiB),
    // As Nova: vCPUs are not counted by the cluster; memory in use is what the cluster cannot give.
    vcpus_used: 0,
    memory_mb_used: Math.max(memoryMb - num('effectiveMemory'), 0),
    local_gb_used: Math.floor((capacity - free) / GiB),
    disk_available_least: Math.floor(free / GiB),
    cpu_info: {
      vendor: [...vendors].filter(Boolean), model: [...models].filter(Boolean),
      topology: { cores: num('numCpuCores'), threads: num('numCpuThreads') },
      effective_cpu_mhz: num('effectiveCpu'), hosts: num('numHosts'), effective_hosts: num('numEffectiveHosts'),
    },
    supported_instances: [['i686', 'vmware', 'hvm'], ['x86_64', 'vmware', 'hvm']],
  };
}
