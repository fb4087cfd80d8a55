import { ComputeCaller } from './caller';

export interface DryRunRequest {
  flavorRef: string;
  imageRef?: string;
  availability_zone?: string;
  min_count?: number;
  project_id?: string;
  scheduler_hints?: Record<string, string | string[]>;
}

export interface DryRunFilterStep { name: string; hosts_before: number; hosts_after: number; reasons: string[] }

export interface DryRunInstance {
  host: string | null;
  hypervisor_hostname: string | null;
  availability_zone: string | null;
  alternates: Array<{ host: string; hypervisor_hostname: string }>;
  filters: DryRunFilterStep[];
}

export interface DryRunResult { valid: boolean; message: string | null; hosts_total: number | null; instances: DryRunInstance[] }

/** `POST /os-scheduler/dry-run` (admins): where a boot would go and why, nothing booted. */
export class SchedulerApi {
  constructor(private readonly c: ComputeCaller) {}

  async dryRun(r: DryRunRequest): Promise<DryRunResult> {
    const { scheduler_hints: hints, ...server } = r;
    const body = { server, ...(hints && Object.keys(hints).length ? { 'os:scheduler_hints': hints } : {}) };
    return (await this.c.call<{ dry_run: DryRunResult }>('POST', '/os-scheduler/dry-run', { body })).body.dry_run;
  }
}
