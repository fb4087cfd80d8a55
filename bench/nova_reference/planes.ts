import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { processTree } from './proc_stats';

export const REPO = path.join(__dirname, '..', '..', '..');
export const SETUP = path.join(REPO, 'scripts', 'bench', 'setup-nova-reference.sh');
const NOVA_BIN = path.join(REPO, 'bin', 'run.js');
export const DB_URL = 'mysql+pymysql://nova:nova@127.0.0.1';

/** The shared, unmeasured services and the ports `setup-nova-reference.sh prepare` was given. */
export interface Infra { dir: string; ports: { nova: number; placement: number; glance: number; keystone: number; neutron: number; ours: number }; keystoneUrl: string; glanceUrl: string }

/** A running control plane: the processes whose memory and CPU count, and its Compute API. */
export interface Plane { name: string; computeUrl: string; roots: number[]; stop(): Promise<void> }

/** Starts a process with its output in DIR/log/NAME.out. */
export function startProcess(infra: Infra, name: string, cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const out = fs.openSync(path.join(infra.dir, 'log', `${name}.out`), 'a');
  const child = spawn(cmd, args, { cwd: infra.dir, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

/** SIGTERM to the roots, then SIGKILL to whatever of their trees is left after `graceMs`. */
export async function stopProcesses(children: ChildProcess[], graceMs = 15000): Promise<void> {
  const pids = processTree(children.map((c) => c.pid!).filter(Boolean));
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  const end = Date.now() + graceMs;
  while (Date.now() < end && pids.some((p) => fs.existsSync(`/proc/${p}`))) await new Promise((r) => setTimeout(r, 200));
  for (const p of pids) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
}

export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try { const v = await check(); if (v !== undefined) return v; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** A project-scoped admin token from the shared Keystone, and the project's id. */
export async function adminToken(keystoneUrl: string): Promise<{ token: string; projectId: string }> {
  const res = await fetch(`${keystoneUrl}/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'admin' } } },
      scope: { project: { name: 'admin', domain: { name: 'Default' } } } } }),
  });
  if (res.status !== 201) throw new Error(`Keystone refused the admin token: ${res.status} ${await res.text()}`);
  const body = await res.json() as { token: { project: { id: string } } };
  return { token: res.headers.get('x-subject-token')!, projectId: body.token.project.id };
}

/**
 * Nova Zed asks Neutron for the ports and security groups of every server it lists, even with
 * networks "none", and its compute heals network info caches periodically; there is no Neutron here,
 * so this answers those reads with empty lists (anything else: 404). Ours makes no such calls.
 */
export function neutronStandIn(port: number): Promise<http.Server> {
  const srv = http.createServer((req, res) => {
    const m = /^\/v2\.0\/(ports|security-groups|networks|subnets|floatingips|extensions)(\.json)?(\?|$)/.exec(req.url ?? '');
    const key = m ? m[1].replace('-', '_') : undefined;
    res.writeHead(m && req.method === 'GET' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(m && req.method === 'GET' ? { [key!]: [] } : { NeutronError: { type: 'HTTPNotFound', message: `${req.method} ${req.url}: not answered by the bench's stand-in`, detail: '' } }));
  });
  return new Promise((resolve) => srv.listen(port, '127.0.0.1', () => resolve(srv)));
}

/** Keystone (uwsgi) and Glance, used by both sides and measured for neither. */
export async function startInfra(infra: Infra): Promise<ChildProcess[]> {
  const d = infra.dir;
  const children = [
    startProcess(infra, 'keystone', 'uwsgi', ['--ini', `${d}/keystone-uwsgi.ini`], { OS_KEYSTONE_CONFIG_DIR: `${d}/keystone` }),
    startProcess(infra, 'glance', 'glance-api', ['--config-file', `${d}/glance-api.conf`]),
  ];
  await until('Keystone', async () => (await adminToken(infra.keystoneUrl)).token, 120000, 500);
  await until('Glance', async () => ((await fetch(`${infra.glanceUrl}/v2/images`)).ok ? true : undefined), 120000, 500);
  return children;
}

/** OpenStack Nova's control plane as Debian packages it: Placement and nova-api under uwsgi, conductor, scheduler, compute. */
export function startNova(infra: Infra): Plane {
  const d = infra.dir;
  const children = [
    startProcess(infra, 'placement-api', 'uwsgi', ['--ini', `${d}/placement-api-uwsgi.ini`], { OS_PLACEMENT_CONFIG_DIR: `${d}/placement` }),
    startProcess(infra, 'nova-api', 'uwsgi', ['--ini', `${d}/nova-api-uwsgi.ini`], { OS_NOVA_CONFIG_DIR: d }),
    ...['conductor', 'scheduler', 'compute'].map((s) => startProcess(infra, `nova-${s}`, `nova-${s}`, ['--config-file', `${d}/nova.conf`])),
  ];
  return { name: 'OpenStack Nova 26.2.2', computeUrl: `http://127.0.0.1:${infra.ports.nova}/v2.1`, roots: children.map((c) => c.pid!), stop: () => stopProcesses(children) };
}

/** Maps the Nova compute host into cell1 (what `[scheduler] discover_hosts_in_cells_interval` would do later). */
export function discoverNovaHosts(infra: Infra): void {
  execFileSync('nova-manage', ['--config-file', `${infra.dir}/nova.conf`, 'cell_v2', 'discover_hosts'], { stdio: 'ignore' });
}

/** This project's nova.conf for the comparison: same broker, MariaDB, Keystone and Glance as Nova's. */
export function writeOurConf(infra: Infra, name: string, shared: boolean): string {
  const ks = infra.keystoneUrl;
  const lines = [
    '[DEFAULT]', `state_path = ${infra.dir}/${name}-state`, 'host = novaref', 'compute_driver = fake.FakeDriver',
    'osapi_compute_listen = 127.0.0.1', `osapi_compute_listen_port = ${infra.ports.ours}`,
    ...(shared ? ['transport_url = amqp://guest:guest@127.0.0.1:5672/novaref_ours'] : []),
    // The single process's other listeners on free ports, so nothing else on this machine is disturbed.
    'metadata_listen = 127.0.0.1', 'metadata_listen_port = 0', 'ec2_listen = 127.0.0.1', 'ec2_listen_port = 0', 's3_listen = 127.0.0.1', 's3_listen_port = 0',
    '[database]', `connection = ${shared ? `${DB_URL}/novaref_ours` : `sqlite:///${infra.dir}/${name}-state/nova.sqlite`}`,
    '[keystone_authtoken]', `www_authenticate_uri = ${ks}`, `auth_url = ${ks}`, 'auth_type = password', 'username = admin', 'password = admin', 'project_name = admin',
    '[glance]', `api_servers = ${infra.glanceUrl}`,
    '[quota]', 'instances = -1', 'cores = -1', 'ram = -1',
    '[fake_driver]', 'vcpus = 1000', 'memory_mb = 800000', 'local_gb = 600000',
    '[vnc]', 'novncproxy_host = 127.0.0.1', 'novncproxy_port = 0', 'xvpvncproxy_host = 127.0.0.1', 'xvpvncproxy_port = 0',
    '[spice]', 'html5proxy_host = 127.0.0.1', 'html5proxy_port = 0', '[serial_console]', 'serialproxy_host = 127.0.0.1', 'serialproxy_port = 0',
  ];
  fs.mkdirSync(`${infra.dir}/${name}-state`, { recursive: true });
  const file = `${infra.dir}/${name}.conf`;
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  execFileSync(process.execPath, [NOVA_BIN, 'db', 'sync', '--config-file', file], { stdio: 'ignore' });
  return file;
}

/** This project's daemons, one process each (`nova daemon NAME`), as the multi-host layout runs them. */
export function startOurs(infra: Infra, conf: string): Plane {
  const children = ['conductor', 'scheduler', 'compute', 'api'].map((s) => startProcess(infra, `ours-${s}`, process.execPath, [NOVA_BIN, 'daemon', s, '--config-file', conf]));
  return { name: 'ours, 4 processes', computeUrl: `http://127.0.0.1:${infra.ports.ours}/v2.1`, roots: children.map((c) => c.pid!), stop: () => stopProcesses(children) };
}

/** `npm start`: `nova daemon all` in one process (SQLite, in-process queue), pointed at the shared Keystone and Glance. */
export function startOursSingle(infra: Infra, conf: string): Plane {
  const child = startProcess(infra, 'ours-all', process.execPath, [NOVA_BIN, 'daemon', 'all', '--config-file', conf]);
  return { name: 'ours, npm start (1 process)', computeUrl: `http://127.0.0.1:${infra.ports.ours}/v2.1`, roots: [child.pid!], stop: () => stopProcesses([child]) };
}
