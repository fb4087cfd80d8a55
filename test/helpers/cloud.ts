import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/conf/loader';
import { FakeDriver } from '../../src/drivers/fake/driver';
import { nullLogger, StreamLogger } from '../../src/lib/log';
import { resetMemoryTransports } from '../../src/rpc/transport';
import { Launcher } from '../../src/service/launcher';
import { Runtime } from '../../src/service/runtime';

export interface TestCloud {
  rt: Runtime;
  launcher: Launcher;
  statePath: string;
  /** Base URL of the Compute API, e.g. http://127.0.0.1:PORT/v2.1 */
  computeUrl: string;
  /** Base URL of the built-in Identity API (http://127.0.0.1:PORT/v3) when it runs, else ''. */
  identityUrl: string;
  request(method: string, path: string, opts?: { body?: unknown; token?: string; version?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

let counter = 0;

/**
 * Starts daemons in this process on memory:// and a fresh SQLite file, every port picked free, as
 * Nova's functional tests do with the fake transport. `overrides` are `group.option` values.
 * `auth: 'keystone'` also starts the built-in identity daemon (first) and makes nova-api validate
 * real tokens against it instead of noauth2's `user:project`.
 */
export async function startCloud(opts: { daemons?: string[]; overrides?: Record<string, string>; quiet?: boolean; auth?: 'noauth2' | 'keystone' } = {}): Promise<TestCloud> {
  const statePath = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-test-'));
  resetMemoryTransports();
  FakeDriver.reset();
  const loaded = loadConfig({
    overrides: {
      state_path: statePath, host: `test-host-${++counter}`, transport_url: `memory://test-${counter}`,
      osapi_compute_listen: '127.0.0.1', osapi_compute_listen_port: '0', metadata_listen: '127.0.0.1', metadata_listen_port: '0',
      ec2_listen: '127.0.0.1', ec2_listen_port: '0', 'identity.listen': '127.0.0.1', 'identity.port': '0',
      'image_service.listen': '127.0.0.1', 'image_service.port': '0', 'api.auth_strategy': opts.auth ?? 'noauth2',
      report_interval: '1', periodic_interval: '1', 'identity.password_hash_rounds': '10', ...opts.overrides,
    },
  });
  const log = process.env.NOVA_TEST_LOG ? new StreamLogger('test', { level: 'debug' }) : nullLogger;
  const rt = new Runtime(loaded, log);
  rt.autoSync = true;
  const launcher = new Launcher(rt, log);
  const daemons = opts.daemons ?? ['conductor', 'scheduler', 'compute', 'api'];
  await launcher.start(opts.auth === 'keystone' && !daemons.includes('identity') ? ['identity', ...daemons] : daemons);
  const computeUrl = rt.endpoints.compute ?? '';
  return {
    rt, launcher, statePath, computeUrl, identityUrl: rt.endpoints.identity ?? '',
    async request(method, p, o = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-auth-token': o.token ?? 'admin:admin', ...o.headers };
      if (o.version) headers['openstack-api-version'] = `compute ${o.version}`;
      const res = await fetch(computeUrl + p, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
    async stop() {
      await launcher.stop();
      fs.rmSync(statePath, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** The environment `. openrc` gives a shell. */
export function openrcEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  return env;
}
