import { HostResources } from '../driver';
import { RpcValue } from './xmlrpc';
import { Ref, XenAPISession, XenRecord } from './session';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** "7.1.2" -> 7001002 */
export function versionNumber(v: string): number {
  const [a = 0, b = 0, c = 0] = v.split('.').map((x) => Number.parseInt(x, 10) || 0);
  return a * 1_000_000 + b * 1_000 + c;
}

/** The SR instance disks go to: the pool's default SR, or the first with other-config KEY=VALUE. */
export async function findSr(s: XenAPISession, filter: string): Promise<Ref> {
  if (filter === 'default-sr:true') {
    const [pool] = await s.call<Ref[]>('pool.get_all');
    const sr = await s.call<Ref>('pool.get_default_SR', pool);
    if (!sr || sr === 'OpaqueRef:NULL') throw new Error(`the pool of XAPI ${s.endpoint} has no default SR ([xenserver] sr_matching_filter = default-sr:true)`);
    return sr;
  }
  const m = /^other-config:([^=]+)=(.*)$/.exec(filter);
  if (!m) throw new Error(`[xenserver] sr_matching_filter '${filter}' is not default-sr:true or other-config:KEY=VALUE`);
  const all = await s.call<Record<Ref, XenRecord>>('SR.get_all_records');
  const found = Object.entries(all).find(([, r]) => (r.other_config as Record<string, RpcValue> | undefined)?.[m[1]] === m[2]);
  if (!found) throw new Error(`no SR of XAPI ${s.endpoint} has other-config ${m[1]}=${m[2]} ([xenserver] sr_matching_filter)`);
  return found[0];
}

/** The host this session is on, as one compute node: memory from host_metrics, CPUs, the SR's space. */
export async function hostResources(s: XenAPISession, host: Ref, sr: Ref): Promise<HostResources> {
  const rec = await s.call<XenRecord>('host.get_record', host);
  const metrics = await s.call<XenRecord>('host_metrics.get_record', rec.metrics);
  const srRec = await s.call<XenRecord>('SR.get_record', sr);
  const cpus = (rec.host_CPUs as RpcValue[] | undefined) ?? [];
  const memTotal = Number(metrics.memory_total);
  const memFree = Number(metrics.memory_free);
  const size = Number(srRec.physical_size);
  const used = Number(srRec.physical_utilisation);
  const sw = (rec.software_version as Record<string, string> | undefined) ?? {};
  const cpuInfo = (rec.cpu_info as Record<string, string> | undefined) ?? {};
  return {
    hypervisor_hostname: String(rec.hostname || rec.name_label),
    hypervisor_type: 'XenServer',
    hypervisor_version: versionNumber(sw.product_version ?? sw.platform_version ?? '0'),
    host_ip: String(rec.address ?? ''),
    vcpus: cpus.length,
    memory_mb: Math.floor(memTotal / MiB),
    local_gb: Math.floor(size / GiB),
    vcpus_used: 0,
    memory_mb_used: Math.floor((memTotal - memFree) / MiB),
    local_gb_used: Math.floor(used / GiB),
    disk_available_least: Math.floor((size - used) / GiB),
    cpu_info: { vendor: cpuInfo.vendor ?? '', model: cpuInfo.modelname ?? '', topology: { threads: cpus.length }, features: [] },
    supported_instances: [['x86_64', 'xen', 'xen'], ['x86_64', 'xen', 'hvm']],
  };
}
