import { APIVersion } from '../../src/api/microversion';
import { Image } from '../../src/image/api';
import { loadConfig } from '../../src/conf/loader';
import { computeNodeGetAll } from '../../src/db/api/compute_nodes';
import { ensureDefaultFlavors } from '../../src/db/api/flavors';
import { quotaUsages } from '../../src/db/api/quotas';
import { AllocationRow } from '../../src/db/models/quota';
import { FakeDriver } from '../../src/drivers/fake/driver';
import { nullLogger, StreamLogger } from '../../src/lib/log';
import { Launcher } from '../../src/service/launcher';
import { Runtime } from '../../src/service/runtime';
import { startCloud, TestCloud, waitFor } from './cloud';
import { installImages, MemoryImages } from './images';

/** A test cloud with default flavors (m1.tiny = id 1 ...), the in-memory image double and one active image. */
export interface ServerCloud extends TestCloud {
  images: MemoryImages;
  image: Image;
  /** Extra nova-compute services started in this process (same transport and database). */
  extra: Array<{ host: string; rt: Runtime; launcher: Launcher }>;
}

export async function startServerCloud(opts: { overrides?: Record<string, string>; daemons?: string[] } = {}): Promise<ServerCloud> {
  const cloud = await startCloud({ overrides: opts.overrides, daemons: opts.daemons });
  const images = installImages(cloud);
  await ensureDefaultFlavors();
  const image = images.addActive({ name: 'cirros', min_ram: 0, min_disk: 0, properties: { os_type: 'linux' } });
  const extra: ServerCloud['extra'] = [];
  const stop = cloud.stop;
  return Object.assign(cloud, {
    images, image, extra,
    async stop() {
      for (const e of extra.splice(0)) await e.launcher.stop();
      await stop();
    },
  });
}

/**
 * Starts one more nova-compute in this process as host `host`: its own Runtime on the same
 * memory:// transport and the same SQLite database, sharing the image double.
 */
export async function addCompute(cloud: Pick<ServerCloud, 'rt' | 'statePath' | 'extra'> & { images?: MemoryImages }, host: string, overrides: Record<string, string> = {}): Promise<void> {
  const c = cloud.rt.conf;
  const loaded = loadConfig({
    overrides: {
      state_path: cloud.statePath, host, transport_url: c.DEFAULT.transport_url, 'database.connection': c.database.connection,
      'api.auth_strategy': 'noauth2', report_interval: '1', periodic_interval: '1', ...overrides,
    },
  });
  const log = process.env.NOVA_TEST_LOG ? new StreamLogger(host, { level: 'debug' }) : nullLogger;
  const rt = new Runtime(loaded, log);
  if (cloud.images) installImages({ rt }, cloud.images); // else the cloud's real Image service, found like any host finds it
  const launcher = new Launcher(rt, log);
  await launcher.start(['compute']);
  cloud.extra.push({ host, rt, launcher });
}

export const NOW = '2.96';

/** Boots one server (202) and returns its id; `server` fields override the defaults. */
export async function boot(cloud: ServerCloud, server: Record<string, unknown> = {}, o: { token?: string; version?: string } = {}): Promise<string> {
  const version = o.version ?? NOW;
  const networks = APIVersion.parse(version).gte('2.37') ? { networks: 'none' } : {};
  const body = { server: { name: 'vm', imageRef: cloud.image.id, flavorRef: '1', ...networks, ...server } };
  const r = await cloud.request('POST', '/servers', { body, token: o.token, version });
  if (r.status !== 202) throw new Error(`boot failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.server.id;
}

/** Waits until GET /servers/{id} shows `status` (and no task), failing fast on an unexpected ERROR. */
export async function waitForStatus(cloud: ServerCloud, id: string, status: string, o: { token?: string; version?: string; timeoutMs?: number } = {}): Promise<any> {
  return waitFor(async () => {
    const r = await cloud.request('GET', `/servers/${id}`, { token: o.token, version: o.version ?? NOW });
    const s = r.body?.server;
    if (s && s.status === 'ERROR' && status !== 'ERROR') throw Object.assign(new Error(`server ${id} went to ERROR: ${JSON.stringify(s.fault)}`), { fatal: true });
    return s && s.status === status && s['OS-EXT-STS:task_state'] === null ? s : undefined;
  }, o.timeoutMs ?? 20000, `server ${id} to be ${status}`);
}

/** Waits until GET /servers/{id} is 404 (deleted). */
export async function waitForGone(cloud: ServerCloud, id: string, token?: string): Promise<void> {
  await waitFor(async () => (await cloud.request('GET', `/servers/${id}`, { token })).status === 404, 20000, `server ${id} to be deleted`);
}

/** POST /servers/{id}/action. */
export function act(cloud: ServerCloud, id: string, body: unknown, o: { token?: string; version?: string } = {}) {
  return cloud.request('POST', `/servers/${id}/action`, { body, token: o.token, version: o.version ?? NOW });
}

/** Guests the fake hypervisor of `host` has (the in-process FakeDriver keeps one map per host). */
export async function guestsOn(cloud: ServerCloud, host: string): Promise<string[]> {
  const d = new FakeDriver(cloud.rt.conf);
  await d.initHost(host);
  return d.listInstanceUuids();
}

/** Every allocation row, the compute nodes' usage counters, and a project's quota usage. */
export async function bookkeeping(projectId?: string) {
  const allocations = await AllocationRow.findAll();
  const nodes = await computeNodeGetAll();
  const usage = projectId ? await quotaUsages(projectId) : {};
  return { allocations, nodes, usage };
}
