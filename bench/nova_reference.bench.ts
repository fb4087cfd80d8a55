import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../test/helpers/cli';
import { BenchRow, msSince } from './harness';
import { adminToken, discoverNovaHosts, neutronStandIn, Infra, Plane, SETUP, startInfra, startNova, startOurs, startOursSingle, stopProcesses, until, writeOurConf } from './nova_reference/planes';
import { commandLabel, idleStats } from './nova_reference/proc_stats';

/**
 * Side by side with OpenStack Nova itself (Debian 12's Nova Zed 26.2.2, installed and prepared by
 * scripts/bench/setup-nova-reference.sh, run as root; not part of CI): idle memory and CPU, startup,
 * API latency and fake-driver boots, for Nova's control plane and for ours (4 processes on the same
 * RabbitMQ and MariaDB, and `npm start`'s single process). Keystone and Glance are shared and not counted.
 */
export const title = 'nova-reference: OpenStack Nova 26.2.2 (Debian) vs ours, fake driver, same broker/DB/Keystone/Glance';

const IDLE_SECONDS = Number(process.env.NOVAREF_IDLE_SECONDS ?? 60);
const SAMPLES = Number(process.env.NOVAREF_SAMPLES ?? 200);
const VERSION = '2.37'; // networks: "none" needs it; both sides answer it
const FLAVOR = { name: 'bench.tiny', id: 'bench1', ram: 512, vcpus: 1, disk: 1 };

type Api = (method: string, p: string, body?: unknown) => Promise<{ status: number; body: any }>;

function client(plane: Plane, token: string): Api {
  return async (method, p, body) => {
    const res = await fetch(plane.computeUrl + p, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'x-auth-token': token, 'content-type': 'application/json', 'openstack-api-version': `compute ${VERSION}` },
    });
    const text = await res.text();
    try { return { status: res.status, body: text ? JSON.parse(text) : null }; } catch { return { status: res.status, body: text.slice(0, 300) }; }
  };
}

const pct = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

async function latency(api: Api, p: string, n: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    const r = await api('GET', p);
    if (r.status !== 200) throw new Error(`GET ${p} answered ${r.status}: ${JSON.stringify(r.body)}`);
    times.push(msSince(t));
  }
  return { p50: pct(times, 0.5), p95: pct(times, 0.95) };
}

/** Posts `n` boots at once; resolves with the wall time until all are ACTIVE and each one's POST-to-ACTIVE time. */
async function boot(api: Api, n: number, prefix: string, image: string): Promise<{ totalMs: number; each: number[] }> {
  const start = process.hrtime.bigint();
  const posted = await Promise.all(Array.from({ length: n }, async (_, i) => {
    const t = process.hrtime.bigint();
    const r = await api('POST', '/servers', { server: { name: `${prefix}-${i}`, imageRef: image, flavorRef: FLAVOR.id, networks: 'none' } });
    if (r.status !== 202) throw new Error(`boot refused: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.server.id as string, t };
  }));
  const done = new Map<string, number>();
  let failed = '';
  await until(`${n} servers ACTIVE`, async () => {
    const list = (await api('GET', `/servers/detail?name=^${prefix}-`)).body.servers as Array<{ id: string; status: string; fault?: unknown }>;
    const bad = list.find((s) => s.status === 'ERROR');
    if (bad) failed = `server ${bad.id} went to ERROR: ${JSON.stringify(bad.fault)}`;
    for (const s of list) if (s.status === 'ACTIVE' && !done.has(s.id)) done.set(s.id, msSince(posted.find((x) => x.id === s.id)!.t));
    return done.size === n || failed ? true : undefined;
  }, 600000, 200);
  if (failed) throw new Error(failed);
  return { totalMs: msSince(start), each: [...done.values()] };
}

/** Runs the whole workload against one plane; `afterUp` runs once service-list shows all up (Nova: map the compute host to its cell). */
async function measure(plane: Plane, token: string, image: string, started: bigint, afterUp: () => void): Promise<Record<string, number | string>> {
  const api = client(plane, token);
  await until(`${plane.name}: service-list shows conductor, scheduler and compute up`, async () => {
    const r = await api('GET', '/os-services');
    const up = new Set((r.body?.services ?? []).filter((s: any) => s.state === 'up').map((s: any) => s.binary));
    return ['nova-conductor', 'nova-scheduler', 'nova-compute'].every((b) => up.has(b)) ? true : undefined;
  }, 600000, 100);
  const startupMs = msSince(started);
  afterUp();
  const f = await api('POST', '/flavors', { flavor: FLAVOR });
  if (f.status !== 200 && f.status !== 409) throw new Error(`flavor create: ${f.status} ${JSON.stringify(f.body)}`);
  await new Promise((r) => setTimeout(r, 15000)); // settle: first periodic tasks, placement inventory
  const idle = await idleStats(plane.roots, IDLE_SECONDS, commandLabel);
  const flavors = await latency(api, '/flavors', SAMPLES);
  const detail0 = await latency(api, '/servers/detail', SAMPLES);
  const b20 = await boot(api, 20, 'b20', image);
  for (let i = 0; i < 4; i++) await boot(api, 20, `more${i}`, image);
  const detail100 = await latency(api, '/servers/detail', SAMPLES);
  return {
    startupMs, pss: idle.pssMiB, rss: idle.rssMiB, cpu: idle.cpuPercent, procs: idle.processes, perProcess: idle.perProcess,
    flavors50: flavors.p50, flavors95: flavors.p95, d0_50: detail0.p50, d0_95: detail0.p95, d100_50: detail100.p50, d100_95: detail100.p95,
    boot20: b20.totalMs, bootMedian: pct(b20.each, 0.5),
  };
}

async function uploadImage(glanceUrl: string): Promise<string> {
  // Glance runs unauthenticated; "community" because its default policy keeps "public" for admins.
  const res = await fetch(`${glanceUrl}/v2/images`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', disk_format: 'raw', container_format: 'bare', visibility: 'community' }) });
  const id = ((await res.json()) as { id: string }).id;
  const put = await fetch(`${glanceUrl}/v2/images/${id}/file`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(1024) });
  if (put.status !== 204) throw new Error(`Glance image upload answered ${put.status}`);
  return id;
}

export async function run(): Promise<BenchRow[]> {
  if (process.getuid?.() !== 0) throw new Error('nova-reference must run as root (it installs and runs Debian\'s Nova): sudo node dist/bench/index.js nova-reference');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'novabench-'));
  const ports = { nova: await freePort(), placement: await freePort(), glance: await freePort(), keystone: await freePort(), neutron: await freePort(), ours: await freePort() };
  const infra: Infra = { dir, ports, keystoneUrl: `http://127.0.0.1:${ports.keystone}/v3`, glanceUrl: `http://127.0.0.1:${ports.glance}` };
  const env = { ...process.env, NOVA_API_PORT: `${ports.nova}`, PLACEMENT_PORT: `${ports.placement}`, GLANCE_PORT: `${ports.glance}`, KEYSTONE_PORT: `${ports.keystone}`, NEUTRON_PORT: `${ports.neutron}` };
  const results: Array<[Plane, Record<string, number | string>]> = [];
  const failures: string[] = [];
  let infraProcs: Awaited<ReturnType<typeof startInfra>> = [];
  const neutron = await neutronStandIn(ports.neutron);
  const load = os.loadavg();
  try {
    execFileSync('bash', [SETUP, 'prepare', dir], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    infraProcs = await startInfra(infra);
    const { token } = await adminToken(infra.keystoneUrl);
    const image = await uploadImage(infra.glanceUrl);
    const only = (process.env.NOVAREF_PLANES ?? 'nova,ours,single').split(',');
    const planes: Array<[string, () => Plane, () => void]> = [
      ['nova', () => startNova(infra), () => discoverNovaHosts(infra)],
      ['ours', () => startOurs(infra, writeOurConf(infra, 'ours', true)), () => undefined],
      ['single', () => startOursSingle(infra, writeOurConf(infra, 'single', false)), () => undefined],
    ];
    for (const [key, start, afterUp] of planes) {
      if (!only.includes(key)) continue;
      const t = process.hrtime.bigint();
      const plane = start();
      try {
        const r = await measure(plane, token, image, t, afterUp);
        process.stderr.write(`  ${plane.name}: ${JSON.stringify(r)}\n`);
        results.push([plane, r]);
      } catch (e) {
        failures.push(`${plane.name}: ${(e as Error).message}`);
        process.stderr.write(`  ${plane.name} FAILED (logs in ${dir}/log): ${(e as Error).stack}\n`);
      } finally { await plane.stop(); }
    }
  } finally {
    neutron.close();
    await stopProcesses(infraProcs);
    if (!process.env.NOVAREF_KEEP) execFileSync('bash', [SETUP, 'teardown', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const versions = execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Version}, ', 'nova-api', 'placement-api', 'python3-keystone', 'glance-api', 'uwsgi-core', 'rabbitmq-server', 'mariadb-server'], { encoding: 'utf8' });
  return [
    { group: 'machine', name: 'load average (1/5/15 min) at start', value: +load[0].toFixed(2), unit: '', note: `${load.map((l) => l.toFixed(2)).join(' / ')}; end ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')}` },
    { group: 'machine', name: 'versions', value: 0, unit: '', note: `${versions.replace(/, $/, '')}, Node ${process.version}` },
    ...rows(results),
    ...failures.map((f) => ({ group: 'failed', name: f.slice(0, 300), value: 0, unit: '' })),
  ];
}

function rows(results: Array<[Plane, Record<string, number | string>]>): BenchRow[] {
  const measures: Array<[string, string, string, string, number]> = [
    ['idle', 'PSS, all control-plane processes', 'pss', 'MiB', 0], ['idle', 'RSS, all control-plane processes', 'rss', 'MiB', 0],
    ['idle', `CPU over ${IDLE_SECONDS} s (% of one core)`, 'cpu', '%', 2], ['startup', 'spawn to service-list all up', 'startupMs', 'ms', 0],
    ['api', 'GET /flavors p50', 'flavors50', 'ms', 2], ['api', 'GET /flavors p95', 'flavors95', 'ms', 2],
    ['api', 'GET /servers/detail, 0 servers p50', 'd0_50', 'ms', 2], ['api', 'GET /servers/detail, 0 servers p95', 'd0_95', 'ms', 2],
    ['api', 'GET /servers/detail, 100 servers p50', 'd100_50', 'ms', 2], ['api', 'GET /servers/detail, 100 servers p95', 'd100_95', 'ms', 2],
    ['boot', '20 concurrent boots to ACTIVE', 'boot20', 'ms', 0], ['boot', 'per-boot POST-to-ACTIVE median (of those 20)', 'bootMedian', 'ms', 0],
  ];
  const out: BenchRow[] = [];
  const nova = results.find(([p]) => p.name.startsWith('OpenStack'))?.[1];
  for (const [group, name, key, unit, digits] of measures) {
    for (const [plane, r] of results) {
      const v = r[key] as number;
      const ratio = nova && !plane.name.startsWith('OpenStack') ? `Nova/this: ${((nova[key] as number) / v).toFixed(1)}x` : undefined;
      out.push({ group, name: `${plane.name}: ${name}`, value: +v.toFixed(digits), unit, note: ratio });
    }
  }
  for (const [plane, r] of results) out.push({ group: 'idle', name: `${plane.name}: processes`, value: r.procs as number, unit: 'processes', note: String(r.perProcess) });
  return out;
}
