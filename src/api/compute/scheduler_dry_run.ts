import { scheduleDryRun } from '../../compute/schedule_dry_run';
import { Decision } from '../../scheduler/filter_scheduler';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { ControllerDeps } from './deps';
import * as schema from './schemas/scheduler';

registerPolicies([{ name: 'os_compute_api:os-scheduler:dry-run', check: 'rule:context_is_admin' }]);

/** The answer: per instance, the host chosen (or null) and how every filter narrowed the hosts. */
function view(d: Decision, count: number): Record<string, unknown> {
  const instances = Array.from({ length: count }, (_, i) => {
    const sel = d.selections[i];
    const steps = d.steps[i];
    if (!sel && !steps) return null;
    return {
      host: sel?.host ?? null, hypervisor_hostname: sel?.nodename ?? null, availability_zone: sel?.availability_zone ?? null,
      alternates: (sel?.alternates ?? []).map((a) => ({ host: a.host, hypervisor_hostname: a.nodename })),
      filters: (steps ?? []).map((s) => ({ name: s.filter, hosts_before: s.before, hosts_after: s.after, reasons: s.reasons })),
    };
  }).filter((x) => x !== null);
  return { valid: !d.failure, message: d.failure ?? null, hosts_total: d.hosts_total ?? null, instances };
}

/**
 * POST /os-scheduler/dry-run (admins): where a boot would be placed, and why, without booting
 * anything. The body is the placement part of POST /servers.
 */
export function register(r: ApiRouter, d: ControllerDeps): void {
  r.post('/os-scheduler/dry-run', {
    body: [{ schema: schema.dryRun }],
    handler: async (req) => {
      req.authorize('os_compute_api:os-scheduler:dry-run', {});
      const s = req.body.server;
      const count = Number(s.min_count ?? 1);
      const decision = await scheduleDryRun(d.compute, req.ctx, {
        flavorRef: String(s.flavorRef), imageRef: s.imageRef, availability_zone: s.availability_zone, min_count: count,
        scheduler_hints: req.body['os:scheduler_hints'] ?? req.body['OS-SCH-HNT:scheduler_hints'], project_id: s.project_id,
      });
      return { dry_run: view(decision, count) };
    },
  });
}
