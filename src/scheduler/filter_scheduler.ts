import { randomInt } from 'node:crypto';
import { BuildRequest } from '../compute/build';
import { NovaConf } from '../conf/schema';
import { claim, release } from '../db/api/allocations';
import { NoValidHost } from '../exception';
import { loadFilters } from './filters';
import { HostFilter, requested } from './filters/filter';
import { consume, HostState } from './host_state';
import { HostManager } from './host_manager';
import { loadWeighers } from './weights';
import { HostWeigher, normalizeInto } from './weights/weigher';

export interface Selection {
  host: string;
  nodename: string;
  compute_node_id: number;
  /** The chosen host's availability zone (what the instance shows when none was asked for). */
  availability_zone: string;
  /** Other hosts that passed, best first, for rescheduling. */
  alternates: Array<{ host: string; nodename: string; compute_node_id: number }>;
}

/** How each filter narrowed the hosts, for "No valid host" explanations and dry runs. */
export interface FilterStep { filter: string; before: number; after: number; reasons: string[] }

/** `failure` only in dry runs, which report "No valid host" instead of raising it. */
export interface Decision { selections: Selection[]; steps: FilterStep[][]; hosts_total?: number; failure?: string }

/**
 * Hosts running members of the request's server group and how many each: other members found
 * through the hosts' instances, plus this request's instances on the hosts chosen for them so far.
 * The request's own instances are otherwise left out, so a moving member does not count where it
 * is leaving (Nova's get_hosts(exclude=...)).
 */
export function groupHostCounts(hosts: HostState[], spec: BuildRequest, chosenHosts: string[] = []): Map<string, number> {
  const out = new Map<string, number>();
  const group = spec.instance_group;
  if (!group) return out;
  const own = new Set(spec.instance_uuids);
  const members = new Set((group.members ?? []).filter((u) => !own.has(u)));
  for (const h of hosts) {
    let n = 0;
    for (const u of h.instance_uuids) if (members.has(u)) n++;
    if (n > 0) out.set(h.host, (out.get(h.host) ?? 0) + n);
  }
  for (const host of chosenHosts) out.set(host, (out.get(host) ?? 0) + 1);
  for (const host of group.hosts ?? []) if (!out.has(host)) out.set(host, 1);
  return out;
}

/** Nova's filter scheduler: filter, weigh, pick among the best, then claim atomically. */
export class FilterScheduler {
  readonly filters: HostFilter[];
  readonly weighers: HostWeigher[];

  constructor(private conf: NovaConf, readonly hostManager: HostManager) {
    this.filters = loadFilters(conf);
    this.weighers = loadWeighers(conf);
  }

  /** Runs the filters on `hosts`, recording what each removed and why. */
  filter(hosts: HostState[], spec: BuildRequest, instanceUuid: string, chosenHosts: string[], groupHosts?: Map<string, number>): { passed: HostState[]; steps: FilterStep[] } {
    const steps: FilterStep[] = [];
    groupHosts ??= groupHostCounts(hosts, spec, chosenHosts);
    let current = hosts;
    for (const f of this.filters) {
      const reasons: string[] = [];
      const next = current.filter((h) => {
        const r = f.hostPasses(h, spec, { instanceUuid, chosenHosts, groupHosts });
        if (r !== true && reasons.length < 5) reasons.push(`${h.host}: ${r}`);
        return r === true;
      });
      steps.push({ filter: f.name, before: current.length, after: next.length, reasons });
      current = next;
      if (current.length === 0) break;
    }
    return { passed: current, steps };
  }

  weigh(hosts: HostState[], spec: BuildRequest): HostState[] {
    const totals = new Float64Array(hosts.length);
    const raw = new Float64Array(hosts.length);
    for (const w of this.weighers) {
      if (w.multiplier === 0) continue;
      for (let i = 0; i < hosts.length; i++) raw[i] = w.weigh(hosts[i], spec);
      normalizeInto(raw, w.multiplier, totals);
    }
    const order = Array.from(hosts.keys()).sort((a, b) => totals[b] - totals[a] || a - b);
    return order.map((i) => hosts[i]);
  }

  static explain(steps: FilterStep[], total: number): string {
    if (total === 0) return 'There are not enough hosts available. No compute hosts are registered.';
    const removed = steps.filter((s) => s.after < s.before)
      .map((s) => `${s.filter} removed ${s.before - s.after} of ${s.before} host(s)${s.reasons.length ? ` (${s.reasons.join('; ')})` : ''}`);
    return `There are not enough hosts available. ${removed.join('. ')}.`;
  }

  /**
   * Narrows the candidates before filtering, as Nova's host manager does: ignored hosts go, forced
   * hosts (admin `az:host:node`) are the only ones kept and skip the filters, a requested
   * destination is the only one kept but still filtered.
   */
  private candidates(all: HostState[], spec: BuildRequest): { hosts: HostState[]; forced: boolean; steps: FilterStep[] } {
    const steps: FilterStep[] = [];
    const keep = (name: string, hosts: HostState[], test: (h: HostState) => true | string) => {
      const reasons: string[] = [];
      const next = hosts.filter((h) => { const r = test(h); if (r !== true && reasons.length < 5) reasons.push(`${h.host}: ${r}`); return r === true; });
      if (next.length < hosts.length) steps.push({ filter: name, before: hosts.length, after: next.length, reasons });
      return next;
    };
    let hosts = all;
    if (spec.ignore_hosts?.length) hosts = keep('IgnoreHosts', hosts, (h) => (spec.ignore_hosts!.includes(h.host) ? 'ignored for this request' : true));
    const forcedHosts = spec.force_hosts ?? [];
    const forcedNodes = spec.force_nodes ?? [];
    if (forcedHosts.length || forcedNodes.length) {
      hosts = keep('ForcedHost', hosts, (h) => ((forcedHosts.length === 0 || forcedHosts.includes(h.host)) && (forcedNodes.length === 0 || forcedNodes.includes(h.nodename)) ? true : 'not the forced host'));
      return { hosts, forced: true, steps };
    }
    const dest = spec.requested_destination;
    if (dest) hosts = keep('RequestedDestination', hosts, (h) => ((!dest.host || h.host === dest.host) && (!dest.node || dest.node === h.nodename) ? true : 'not the requested destination'));
    return { hosts, forced: false, steps };
  }

  /** Chooses and claims a host for every instance of the request; all or nothing. */
  async select(spec: BuildRequest): Promise<Decision> {
    const cached = await this.hostManager.getHostStates(spec);
    // A dry run claims nothing, so it consumes from copies of the hosts it picks, not from the cache.
    const known = spec.dry_run ? [...cached] : cached;
    const { hosts: candidates, forced, steps: preSteps } = this.candidates(known, spec);
    const hosts = candidates === known && spec.dry_run ? [...known] : candidates;
    const ownCopy = (h: HostState): HostState => {
      if (!spec.dry_run) return h;
      const copy = { ...h };
      for (const list of [known, hosts]) { const i = list.indexOf(h); if (i >= 0) list[i] = copy; }
      return copy;
    };
    const need = requested(spec);
    const selections: Selection[] = [];
    const allSteps: FilterStep[][] = [];
    try {
      for (const uuid of spec.instance_uuids) {
        const filtered = forced ? { passed: hosts, steps: [] } : this.filter(hosts, spec, uuid, selections.map((s) => s.host), groupHostCounts(known, spec, selections.map((s) => s.host)));
        const passed = filtered.passed;
        const steps = [...preSteps, ...filtered.steps];
        allSteps.push(steps);
        let ranked = this.weigh(passed, spec);
        let chosen: HostState | undefined;
        while (ranked.length > 0) {
          const pick = randomInt(Math.min(this.conf.filter_scheduler.host_subset_size, ranked.length));
          const candidate = ranked[pick];
          if (spec.dry_run || await claim(candidate.compute_node_id, uuid, need)) { chosen = candidate; break; }
          // Another scheduler took the room first: drop this host and try the next best.
          ranked = ranked.filter((h) => h !== candidate);
          steps.push({ filter: 'Claim', before: ranked.length + 1, after: ranked.length, reasons: [`${candidate.host}: lost the claim race`] });
        }
        if (!chosen) {
          const reason = FilterScheduler.explain(steps, known.length);
          if (spec.dry_run) return { selections, steps: allSteps, hosts_total: known.length, failure: new NoValidHost({ reason }).message };
          throw new NoValidHost({ reason });
        }
        const alternates = ranked.filter((h) => h !== chosen).slice(0, this.conf.scheduler.max_attempts - 1)
          .map((h) => ({ host: h.host, nodename: h.nodename, compute_node_id: h.compute_node_id }));
        consume(ownCopy(chosen), need, uuid);
        selections.push({ host: chosen.host, nodename: chosen.nodename, compute_node_id: chosen.compute_node_id, availability_zone: chosen.availability_zone, alternates });
      }
    } catch (e) {
      if (!spec.dry_run) for (const uuid of spec.instance_uuids.slice(0, selections.length)) await release(uuid);
      throw e;
    }
    return { selections, steps: allSteps, hosts_total: known.length };
  }
}
