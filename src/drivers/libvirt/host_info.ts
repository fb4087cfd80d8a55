import { HostResources } from '../driver';
import { HostExecutor } from './executor/types';
import { Virsh } from './virsh';

const GIB = 1024 ** 3;

export interface HostCpu {
  arch: string;
  model: string;
  vendor: string;
  topology: { sockets: number; cores: number; threads: number };
  features: string[];
}

/** The host CPU block of `virsh capabilities`, as Nova's cpu_info carries it. */
export function parseHostCpu(capabilities: string): HostCpu {
  const cpu = /<host>[\s\S]*?<cpu>([\s\S]*?)<\/cpu>/.exec(capabilities)?.[1] ?? '';
  const tag = (name: string) => new RegExp(`<${name}[^>]*>([^<]*)</${name}>`).exec(cpu)?.[1]?.trim() ?? '';
  const topo = /<topology\s+([^>]*)\/>/.exec(cpu)?.[1] ?? '';
  const attr = (name: string) => Number(new RegExp(`${name}='(\\d+)'`).exec(topo)?.[1] ?? 1);
  return {
    arch: tag('arch'), model: tag('model'), vendor: tag('vendor'),
    topology: { sockets: attr('sockets'), cores: attr('cores'), threads: attr('threads') },
    features: [...cpu.matchAll(/<feature\s+name='([^']+)'/g)].map((m) => m[1]).sort(),
  };
}

/** [arch, hypervisor type, vm mode] for every guest arch and domain type libvirt offers. */
export function parseSupportedInstances(capabilities: string, allowedTypes: string[]): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const guest of capabilities.matchAll(/<guest>([\s\S]*?)<\/guest>/g)) {
    const mode = /<os_type>([^<]+)<\/os_type>/.exec(guest[1])?.[1] ?? 'hvm';
    const arch = /<arch name='([^']+)'/.exec(guest[1])?.[1];
    if (!arch) continue;
    for (const d of guest[1].matchAll(/<domain type='([^']+)'/g)) {
      if (allowedTypes.includes(d[1])) out.push([arch, d[1], mode]);
    }
  }
  return out;
}

/** QEMU 7.2.22 -> 7002022, the number Nova stores as hypervisor_version. */
export function versionNumber(text: string): number {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return m ? Number(m[1]) * 1_000_000 + Number(m[2]) * 1000 + Number(m[3] ?? 0) : 0;
}

/** Used memory of a Linux host from /proc/meminfo: total less what is available. */
export function memoryUsedMb(meminfo: string): { totalMb: number; usedMb: number } {
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? 0);
  const total = kb('MemTotal');
  const available = kb('MemAvailable') || kb('MemFree') + kb('Buffers') + kb('Cached');
  return { totalMb: Math.floor(total / 1024), usedMb: Math.floor((total - available) / 1024) };
}

/** vCPUs of the running domains, from `virsh domstats --vcpu --list-active`. */
export function parseVcpusUsed(domstats: string): number {
  return [...domstats.matchAll(/^\s*vcpu\.current=(\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
}

/** `df -B1 --output=size,avail PATH`: bytes of the filesystem holding PATH. */
export function parseDf(text: string): { size: number; avail: number } {
  const line = text.trim().split('\n').pop() ?? '';
  const [size, avail] = line.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(size) || !Number.isFinite(avail)) throw new Error(`cannot read df output '${text.trim()}'`);
  return { size, avail };
}

/** What the hypervisor host has and uses, measured (Nova's get_available_resource). */
export async function hostResources(virsh: Virsh, exec: HostExecutor, instancesPath: string, virtType: string, hostIp: string): Promise<HostResources> {
  const [caps, node, version, hostname, meminfo, df, stats] = await Promise.all([
    virsh.capabilities(), virsh.nodeInfo(), virsh.version(), virsh.hostname(),
    exec.readFile('/proc/meminfo').then((b) => b.toString('utf8')),
    exec.run('df', ['-B1', '--output=size,avail', instancesPath]).then((r) => r.stdout),
    virsh.run(['domstats', '--vcpu', '--list-active']),
  ]);
  const cpu = parseHostCpu(caps);
  const memory = memoryUsedMb(meminfo);
  const disk = parseDf(df);
  return {
    hypervisor_hostname: hostname,
    hypervisor_type: 'QEMU',
    hypervisor_version: versionNumber(version['Running hypervisor'] ?? ''),
    host_ip: hostIp,
    vcpus: Number(node['CPU(s)'] ?? 0),
    memory_mb: memory.totalMb || Math.floor(Number(/^\d+/.exec(node['Memory size'] ?? '')?.[0] ?? 0) / 1024),
    local_gb: Math.floor(disk.size / GIB),
    vcpus_used: parseVcpusUsed(stats),
    memory_mb_used: memory.usedMb,
    local_gb_used: Math.floor((disk.size - disk.avail) / GIB),
    disk_available_least: Math.floor(disk.avail / GIB),
    cpu_info: { ...cpu },
    supported_instances: parseSupportedInstances(caps, [virtType]),
  };
}
