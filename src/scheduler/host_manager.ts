import { Op, QueryTypes } from 'sequelize';
import { BuildRequest } from '../compute/build';
import { NovaConf } from '../conf/schema';
import { ComputeNodeObj, computeNodesRaw, computeNodeStampsSince, NodeStamp } from '../db/api/compute_nodes';
import { ComputeNodeRow, ServiceRow } from '../db/models/service';
import { AggregateCache, aggregateSignatureColumns, instancesOnHosts, NO_INSTANCES } from './enrichers';
import { HostState, hostStateFromNode } from './host_state';

/** Everything is read again after this long, whatever the change checks said (Nova's periodic refresh). */
const FULL_REFRESH_MS = 60_000;
/**
 * Rows changed this long before the previous refresh are read again: covers writers whose clock is
 * a little behind ours, a timestamp taken just before a slow commit, and MariaDB's whole seconds.
 */
const CHANGE_MARGIN_MS = 2_000;

/** A compute service as host states show it (one object per service, `up` renewed per request), and when it last showed life. */
type ServiceFacts = { view: NonNullable<HostState['service']>; seenMs: number | null };

/** From a raw services row (strings and 0/1 on some databases), its last sign of life parsed once. */
function serviceFacts(row: unknown): ServiceFacts {
  const r = row as { id: number; disabled: unknown; forced_down: unknown; last_seen_up: unknown; updated_at: unknown; created_at: unknown };
  const seen = r.last_seen_up ?? r.updated_at ?? r.created_at;
  return { view: { id: r.id, disabled: !!r.disabled, forced_down: !!r.forced_down, up: false }, seenMs: seen ? new Date(seen as string).getTime() : null };
}
const SERVICE_COLUMNS = ['id', 'host', 'disabled', 'forced_down', 'last_seen_up', 'updated_at', 'created_at'];

/**
 * A row's change stamp: its time plus its usage counters, since MariaDB keeps whole seconds and two
 * claims can share a second. (An inventory change in the same second as a claim with equal counters
 * waits for the next full read.)
 */
function stampKey(n: NodeStamp | ComputeNodeObj): string {
  const t = n.updated_at instanceof Date ? n.updated_at.getTime() : String(n.updated_at);
  return `${t}/${n.vcpus_used}/${n.memory_mb_used}/${n.local_gb_used}/${n.running_vms}`;
}

/**
 * The scheduler's view of every compute node (Nova's HostManager). Host states are kept between
 * requests and brought up to date per request by reading only the nodes and services whose rows
 * changed (claims and releases touch `updated_at`), a row count to notice deletions, and a
 * signature of the aggregates; a full read happens on start and every FULL_REFRESH_MS. Claims stay
 * the arbiter: a view one change behind only costs a lost claim race, retried on the next host.
 */
export class HostManager {
  private nodes = new Map<number, HostState>();
  /** What each node's row looked like when read (see stampKey). */
  private stamps = new Map<number, string>();
  private services = new Map<string, ServiceFacts>();
  private aggregates = new AggregateCache();
  private lastRefresh = 0;
  private lastFull = 0;
  /** Hosts whose instance_uuids the previous request filled in, to empty again. */
  private withInstances: HostState[] = [];

  constructor(private conf: NovaConf) {}

  /** Up-to-date host states (cached objects: callers that must not change the cache copy them). */
  async getHostStates(spec?: BuildRequest): Promise<HostState[]> {
    const started = Date.now();
    const sig = await this.signature();
    if (started - this.lastFull >= FULL_REFRESH_MS) {
      await this.loadAll();
      this.lastFull = started;
    } else {
      await this.loadChanges(new Date(this.lastRefresh - CHANGE_MARGIN_MS));
      // A deleted node or service shows only in the counts: read everything again.
      if (sig.nodes !== this.nodes.size || sig.services !== this.services.size) await this.loadAll();
    }
    this.lastRefresh = started;
    const aggregatesChanged = await this.aggregates.refresh(sig.aggregates);
    const defaultAz = this.conf.DEFAULT.default_availability_zone;
    const hosts = [...this.nodes.values()];
    // isServiceUp's rule, with the row's time parsed once instead of per host and request.
    const upSince = Date.now() - this.conf.DEFAULT.service_down_time * 1000;
    for (const h of hosts) {
      if (aggregatesChanged) this.aggregates.apply(h, defaultAz);
      const s = this.services.get(h.host);
      if (s) s.view.up = !s.view.forced_down && s.seenMs !== null && s.seenMs >= upSince;
      h.service = s ? s.view : null;
    }
    for (const h of this.withInstances) h.instance_uuids = NO_INSTANCES as Set<string>;
    this.withInstances = spec ? await instancesOnHosts((id) => this.nodes.get(id), spec) : [];
    return hosts;
  }

  /** Forgets the cache: the next request reads everything. */
  invalidate(): void { this.lastFull = 0; }

  private async loadAll(): Promise<void> {
    const [rows, services] = await Promise.all([
      computeNodesRaw(),
      ServiceRow.findAll({ where: { binary: 'nova-compute' }, attributes: SERVICE_COLUMNS, raw: true }),
    ]);
    this.nodes = new Map();
    this.stamps = new Map();
    for (const r of rows) this.putNode(r);
    this.services = new Map(services.map((s) => [s.host, serviceFacts(s)]));
  }

  private async loadChanges(since: Date): Promise<void> {
    const [stamps, services] = await Promise.all([
      computeNodeStampsSince(since),
      ServiceRow.findAll({ where: { binary: 'nova-compute', updated_at: { [Op.gte]: since } }, attributes: SERVICE_COLUMNS, raw: true }),
    ]);
    // Most rows in the margin are ones already read: fetch whole rows only for what really moved.
    const moved = stamps.filter((st) => this.stamps.get(st.id) !== stampKey(st)).map((st) => st.id);
    if (moved.length) for (const r of await computeNodesRaw(moved)) this.putNode(r);
    for (const s of services) this.services.set(s.host, serviceFacts(s));
  }

  /** Row counts of nodes and compute services, and the aggregates' signature, in one query. */
  private async signature(): Promise<{ nodes: number; services: number; aggregates: string }> {
    const seq = ComputeNodeRow.sequelize!;
    const q = (name: string) => seq.getQueryInterface().quoteIdentifier(name);
    const [r] = await seq.query<Record<string, unknown>>(
      `SELECT (SELECT COUNT(*) FROM ${q('compute_nodes')}) AS nodes, (SELECT COUNT(*) FROM ${q('services')} WHERE ${q('binary')} = 'nova-compute') AS services, ${aggregateSignatureColumns()}`,
      { type: QueryTypes.SELECT },
    );
    const aggregates = Object.entries(r).filter(([k]) => k.startsWith('agg')).map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : String(v)}`).join(',');
    return { nodes: Number(r.nodes), services: Number(r.services), aggregates };
  }

  private putNode(n: ComputeNodeObj): void {
    const h = hostStateFromNode(n, this.conf.DEFAULT.default_availability_zone);
    this.aggregates.apply(h, this.conf.DEFAULT.default_availability_zone);
    this.nodes.set(h.compute_node_id, h);
    this.stamps.set(n.id, stampKey(n));
  }
}
