import { CommandError } from '../errors';
import { ComputeCaller, seg } from './caller';

export interface HypervisorSummary {
  id: number | string;
  hypervisor_hostname: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  /** With `with_servers` (2.53+) or the legacy /servers route. */
  servers?: Array<{ name: string; uuid: string }>;
}

export interface Hypervisor extends HypervisorSummary {
  host_ip: string;
  hypervisor_type: string;
  hypervisor_version: number;
  service: { host: string; id: number | string; disabled_reason: string | null };
  /** Resource fields, dropped from the API in 2.88. */
  vcpus?: number;
  vcpus_used?: number;
  memory_mb?: number;
  memory_mb_used?: number;
  local_gb?: number;
  local_gb_used?: number;
  free_ram_mb?: number;
  free_disk_gb?: number;
  current_workload?: number;
  running_vms?: number;
  disk_available_least?: number | null;
  cpu_info?: string | Record<string, unknown>;
  /** In show since 2.88. */
  uptime?: string | null;
}

export interface HypervisorUptime {
  id: number | string;
  hypervisor_hostname: string;
  state: string;
  status: string;
  uptime: string | null;
}

export interface HypervisorStatistics {
  count: number;
  vcpus: number;
  vcpus_used: number;
  memory_mb: number;
  memory_mb_used: number;
  free_ram_mb: number;
  local_gb: number;
  local_gb_used: number;
  free_disk_gb: number;
  current_workload: number;
  running_vms: number;
  disk_available_least: number;
}

export class HypervisorsApi {
  constructor(private readonly c: ComputeCaller) {}

  async list(opts: { detailed?: boolean; limit?: number; marker?: string } = {}): Promise<Hypervisor[] | HypervisorSummary[]> {
    const query = this.c.supports('2.33') ? { limit: opts.limit, marker: opts.marker } : {};
    const path = opts.detailed ? '/os-hypervisors/detail' : '/os-hypervisors';
    return (await this.c.call<{ hypervisors: HypervisorSummary[] }>('GET', path, { query })).body.hypervisors;
  }

  async listDetailed(): Promise<Hypervisor[]> {
    return (await this.list({ detailed: true })) as Hypervisor[];
  }

  /** Hypervisors whose hostname contains `pattern`, with their servers when asked. */
  async search(pattern: string, withServers = false): Promise<HypervisorSummary[]> {
    if (this.c.supports('2.53')) {
      const query = { hypervisor_hostname_pattern: pattern, with_servers: withServers ? 'True' : undefined };
      return (await this.c.call<{ hypervisors: HypervisorSummary[] }>('GET', '/os-hypervisors', { query })).body.hypervisors;
    }
    const path = `/os-hypervisors/${seg(pattern)}/${withServers ? 'servers' : 'search'}`;
    return (await this.c.call<{ hypervisors: HypervisorSummary[] }>('GET', path)).body.hypervisors;
  }

  async get(id: string | number): Promise<Hypervisor> {
    return (await this.c.call<{ hypervisor: Hypervisor }>('GET', `/os-hypervisors/${seg(id)}`)).body.hypervisor;
  }

  /** The uptime: its own route before 2.88, a field of show since. */
  async uptime(id: string | number): Promise<HypervisorUptime> {
    if (this.c.supports('2.88')) {
      const h = await this.get(id);
      return { id: h.id, hypervisor_hostname: h.hypervisor_hostname, state: h.state, status: h.status, uptime: h.uptime ?? null };
    }
    return (await this.c.call<{ hypervisor: HypervisorUptime }>('GET', `/os-hypervisors/${seg(id)}/uptime`)).body.hypervisor;
  }

  /** Totals over all compute nodes; the API dropped them in 2.88. */
  async statistics(): Promise<HypervisorStatistics> {
    if (this.c.supports('2.88')) throw new CommandError("The 'statistics' API is removed in API version 2.88 or later.");
    return (await this.c.call<{ hypervisor_statistics: HypervisorStatistics }>('GET', '/os-hypervisors/statistics')).body.hypervisor_statistics;
  }
}
