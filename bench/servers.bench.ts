import { makeContext } from '../src/context';
import { quotaSet } from '../src/db/api/quotas';
import { startCloud, TestCloud, waitFor } from '../test/helpers/cloud';
import { addCompute } from '../test/helpers/servers';
import { BenchRow, msSince, percentiles } from './harness';

const VERSION = '2.96';

type Cloud = TestCloud & { extra: Parameters<typeof addCompute>[0]['extra'] };

async function bootAll(cloud: Cloud, n: number, image: string, project: string, prefix: string): Promise<number> {
  const token = `bench:${project}`;
  const start = process.hrtime.bigint();
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => cloud.request('POST', '/servers', {
    token, version: VERSION, body: { server: { name: `${prefix}-${i}`, imageRef: image, flavorRef: '1', networks: 'none' } },
  })));
  const refused = answers.filter((a) => a.status !== 202);
  if (refused.length) throw new Error(`${refused.length} boots refused: ${JSON.stringify(refused[0].body)}`);
  await waitFor(async () => {
    const list = (await cloud.request('GET', `/servers/detail?name=^${prefix}-`, { token, version: VERSION })).body.servers as Array<{ status: string }>;
    if (list.some((s) => s.status === 'ERROR')) throw new Error('a server went to ERROR');
    return list.filter((s) => s.status === 'ACTIVE').length === n;
  }, 300_000, `${n} servers ACTIVE`);
  return msSince(start);
}

async function detailLatency(cloud: Cloud, project: string, samples = 30): Promise<ReturnType<typeof percentiles>> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = process.hrtime.bigint();
    const r = await cloud.request('GET', '/servers/detail', { token: `bench:${project}`, version: VERSION });
    if (r.status !== 200) throw new Error(`GET /servers/detail answered ${r.status}`);
    times.push(msSince(start));
  }
  return percentiles(times);
}

/**
 * The Servers issue's numbers on the embedded cloud (memory:// and SQLite, the built-in Identity-less
 * noauth2 API, the built-in Image service, 3 fake compute hosts): wall time from 50 concurrent POST
 * /servers to all ACTIVE, and GET /servers/detail latency with 50 and 500 servers in the project.
 */
export const title = 'servers: 50 concurrent boots on 3 fake hosts; /servers/detail at 50 and 500 servers';

export async function run(): Promise<BenchRow[]> {
  const cloud = Object.assign(await startCloud({
    daemons: ['image', 'conductor', 'scheduler', 'compute', 'api'],
    overrides: { 'fake_driver.vcpus': '512', 'fake_driver.memory_mb': '1048576', 'fake_driver.local_gb': '100000', max_concurrent_builds: '50' },
  }), { extra: [] }) as Cloud;
  try {
    for (const h of ['bench-2', 'bench-3']) {
      await addCompute(cloud, h, { 'fake_driver.vcpus': '512', 'fake_driver.memory_mb': '1048576', 'fake_driver.local_gb': '100000', max_concurrent_builds: '50' });
    }
    const images = await cloud.rt.imageService();
    const ctx = makeContext({ auth_token: 'admin:admin', roles: ['admin'], project_id: 'admin' });
    const img = await images.create(ctx, { name: 'bench', visibility: 'public', disk_format: 'raw', container_format: 'bare' } as never);
    await images.upload(ctx, img.id, Buffer.alloc(1024));
    for (const [r, v] of [['instances', 1000], ['cores', 1000], ['ram', 1000 * 512]] as const) await quotaSet('p', r, v);

    const rows: BenchRow[] = [];
    const boot50 = await bootAll(cloud, 50, img.id, 'p', 'b50');
    rows.push({ group: 'boot', name: '50 concurrent boots to ACTIVE (3 fake hosts)', value: Math.round(boot50), unit: 'ms' });
    const at50 = await detailLatency(cloud, 'p');
    rows.push({ group: 'list', name: 'GET /servers/detail, 50 servers: median', value: +at50.median.toFixed(2), unit: 'ms' });
    rows.push({ group: 'list', name: 'GET /servers/detail, 50 servers: p99', value: +at50.p99.toFixed(2), unit: 'ms' });
    for (let i = 0; i < 9; i++) await bootAll(cloud, 50, img.id, 'p', `more${i}`);
    const at500 = await detailLatency(cloud, 'p', 20);
    rows.push({ group: 'list', name: 'GET /servers/detail, 500 servers: median', value: +at500.median.toFixed(2), unit: 'ms', note: 'default page size (limit: [api] max_limit 1000)' });
    rows.push({ group: 'list', name: 'GET /servers/detail, 500 servers: p99', value: +at500.p99.toFixed(2), unit: 'ms' });
    return rows;
  } finally {
    for (const e of cloud.extra) await e.launcher.stop();
    await cloud.stop();
  }
}
