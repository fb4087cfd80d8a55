import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BuildRequest } from '../src/compute/build';
import { loadConfig } from '../src/conf/loader';
import { Database } from '../src/db/database';
import { AggregateHostRow, AggregateMetadataRow, AggregateRow } from '../src/db/models/scheduler';
import { AllocationRow } from '../src/db/models/quota';
import { ComputeNodeRow, ServiceRow } from '../src/db/models/service';
import { nullLogger } from '../src/lib/log';
import { SchedulerManager } from '../src/scheduler/manager';
import { scratchPostgres } from '../test/helpers/pg_scratch';
import { BenchRow, msSince, percentiles } from './harness';

const INSTANCES_PER_HOST = 2;
const DECISIONS = Number(process.env.NOVA_BENCH_DECISIONS ?? 300);

/** `n` compute services and nodes of three sizes, 10 aggregates (two of them AZs) and two instances' claims per host. */
async function populate(n: number): Promise<void> {
  const now = new Date();
  const services = Array.from({ length: n }, (_, i) => ({
    uuid: randomUUID(), host: `bench-${i}`, binary: 'nova-compute', topic: 'compute', report_count: 1, disabled: false, forced_down: false,
    last_seen_up: now, version: 1, created_at: now, updated_at: now,
  }));
  for (let i = 0; i < n; i += 1000) await ServiceRow.bulkCreate(services.slice(i, i + 1000));
  const ids = new Map((await ServiceRow.findAll({ attributes: ['id', 'host'] })).map((s) => [s.host, s.id]));
  const nodes = services.map((s, i) => {
    const size = [1, 2, 4][i % 3];
    return {
      uuid: randomUUID(), service_id: ids.get(s.host), host: s.host, hypervisor_hostname: s.host, hypervisor_type: 'fake', hypervisor_version: 1000,
      host_ip: '127.0.0.1', vcpus: 16 * size, vcpus_used: 0, memory_mb: 65536 * size, memory_mb_used: 0, local_gb: 1000 * size, local_gb_used: 0,
      free_ram_mb: 0, free_disk_gb: 0, disk_available_least: 1000 * size, running_vms: 0, current_workload: 0,
      cpu_info: { arch: 'x86_64', model: 'fake', vendor: 'fake', features: [] }, supported_instances: [['x86_64', 'fake', 'hvm']], stats: {},
      cpu_allocation_ratio: 16, ram_allocation_ratio: 1.5, disk_allocation_ratio: 1, reserved_host_memory_mb: 512, reserved_host_disk_mb: 0,
      reserved_host_cpus: 0, created_at: now, updated_at: now,
    };
  });
  for (let i = 0; i < n; i += 1000) await ComputeNodeRow.bulkCreate(nodes.slice(i, i + 1000));
  const rows = await ComputeNodeRow.findAll({ attributes: ['id', 'host'] });
  // Existing instances: their claims and the usage counters that match them.
  const allocs: Array<Record<string, unknown>> = [];
  for (const node of rows) {
    for (let k = 0; k < INSTANCES_PER_HOST; k++) {
      const consumer = randomUUID();
      for (const [rc, used] of [['VCPU', 1], ['MEMORY_MB', 2048], ['DISK_GB', 20]] as const) allocs.push({ consumer_id: consumer, compute_node_id: node.id, resource_class: rc, used });
    }
  }
  for (let i = 0; i < allocs.length; i += 3000) await AllocationRow.bulkCreate(allocs.slice(i, i + 3000));
  await ComputeNodeRow.update({ vcpus_used: INSTANCES_PER_HOST, memory_mb_used: INSTANCES_PER_HOST * 2048, local_gb_used: INSTANCES_PER_HOST * 20, running_vms: INSTANCES_PER_HOST }, { where: {} });
  for (let a = 0; a < 10; a++) {
    const agg = await AggregateRow.create({ uuid: randomUUID(), name: `agg-${a}`, created_at: now, updated_at: now });
    await AggregateMetadataRow.bulkCreate([
      { aggregate_id: agg.id, key: 'ssd', value: a % 2 ? 'true' : 'false', created_at: now, updated_at: now },
      ...(a < 2 ? [{ aggregate_id: agg.id, key: 'availability_zone', value: `az-${a}`, created_at: now, updated_at: now }] : []),
    ]);
    const members = rows.filter((_, i) => i % 10 === a).map((r) => ({ aggregate_id: agg.id, host: r.host, created_at: now, updated_at: now }));
    for (let i = 0; i < members.length; i += 1000) await AggregateHostRow.bulkCreate(members.slice(i, i + 1000));
  }
}

function request(dryRun = false): BuildRequest {
  return {
    dry_run: dryRun,
    instance_uuids: [randomUUID()], project_id: 'bench', user_id: 'bench',
    flavor: { id: 2, flavorid: '2', name: 'm1.small', memory_mb: 2048, vcpus: 1, root_gb: 20, ephemeral_gb: 0, swap: 0, rxtx_factor: 1, vcpu_weight: null, extra_specs: {} } as never,
    image: { id: randomUUID(), properties: {} } as never, availability_zone: null, scheduler_hints: {}, retry: { num_attempts: 1, hosts: [] },
  };
}

/** A fresh database of each kind: SQLite (the single-host default) and PostgreSQL (several scheduler processes). */
async function freshDatabase(kind: string, dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'SQLite') return { url: `sqlite:///${path.join(dir, 'nova.sqlite')}`, drop: async () => undefined };
  return scratchPostgres(`nova_bench_sched_${process.pid}`);
}

async function measure(n: number, kind: string): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-bench-sched-'));
  const fresh = await freshDatabase(kind, dir);
  const url = fresh.url;
  const db = await Database.open(url);
  try {
    await db.sync();
    await populate(n);
    const conf = loadConfig({ overrides: { 'database.connection': url, state_path: dir, service_down_time: '86400' } }).conf;
    const scheduler = new SchedulerManager(conf, nullLogger);
    const ctx = { request_id: 'req-bench' } as never;
    for (let i = 0; i < 5; i++) await scheduler.select_destinations(ctx, { request: request() });
    const times: number[] = [];
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < DECISIONS; i++) {
      const t = process.hrtime.bigint();
      await scheduler.select_destinations(ctx, { request: request() });
      times.push(msSince(t));
    }
    const wall = msSince(start);
    const cpuUsed = process.cpuUsage(cpu);
    const p = percentiles(times);
    const p95 = [...times].sort((a, b) => a - b)[Math.floor(0.95 * times.length)];
    const dry: number[] = [];
    const dryCpu = process.cpuUsage();
    for (let i = 0; i < DECISIONS; i++) {
      const t = process.hrtime.bigint();
      await scheduler.select_destinations(ctx, { request: request(true) });
      dry.push(msSince(t));
    }
    const dryCpuUsed = process.cpuUsage(dryCpu);
    const d = percentiles(dry);
    const d95 = [...dry].sort((a, b) => a - b)[Math.floor(0.95 * dry.length)];
    const what = `${n} hosts, ${kind}`;
    const note = `${DECISIONS} decisions one after another, each claiming; ${INSTANCES_PER_HOST * n} instances, 10 aggregates`;
    return [
      { group: what, name: 'decisions per second', value: Math.round((DECISIONS * 1000) / wall), unit: '1/s', note },
      { group: what, name: 'latency per decision, p50', value: +p.median.toFixed(2), unit: 'ms', note: `goal < ${n >= 10000 ? 50 : 5} ms` },
      { group: what, name: 'latency per decision, p95', value: +p95.toFixed(2), unit: 'ms' },
      { group: what, name: 'CPU per decision', value: +((cpuUsed.user + cpuUsed.system) / 1000 / DECISIONS).toFixed(2), unit: 'ms', note: `this process${kind === 'SQLite' ? ', SQLite threads included' : ' (PostgreSQL server excluded)'}: the cost without the wait for a core on a loaded machine` },
      { group: what, name: 'latency per decision without the claim (dry run), p50', value: +d.median.toFixed(2), unit: 'ms', note: 'the same path but nothing is written' },
      { group: what, name: 'latency per decision without the claim (dry run), p95', value: +d95.toFixed(2), unit: 'ms' },
      { group: what, name: 'CPU per decision without the claim (dry run)', value: +((dryCpuUsed.user + dryCpuUsed.system) / 1000 / DECISIONS).toFixed(2), unit: 'ms' },
    ];
  } finally {
    await db.close();
    await fresh.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue #5's scheduler numbers: decisions per second and latency per request of the scheduler
 * manager (host manager reading the database, filters, weighers, atomic claim) with 1,000 and
 * 10,000 hosts.
 */
export const title = 'scheduler: decisions per second and latency with 1,000 and 10,000 hosts';

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [{ group: 'machine', name: 'load average (1 min) at start', value: +os.loadavg()[0].toFixed(2), unit: '', note: `${os.cpus().length} cores` }];
  for (const kind of (process.env.NOVA_BENCH_DATABASES ?? 'SQLite,PostgreSQL').split(',')) {
    for (const n of (process.env.NOVA_BENCH_HOSTS ?? '1000,10000').split(',').map(Number)) rows.push(...await measure(n, kind));
  }
  return rows;
}
