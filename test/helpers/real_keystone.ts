import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fetchClosing } from '../../src/lib/fetch_closing';
import { waitFor } from './cloud';
import { identityCall, IdentityAnswer, issueToken } from './identity';

/**
 * A throwaway real OpenStack Keystone (Debian's python3-keystone, served by uWSGI; installed by
 * scripts/ci/setup-keystone.sh): its own config dir, SQLite database, Fernet and credential keys in a
 * temp dir, listening on 127.0.0.1 at a free port, bootstrapped with an admin user, the roles
 * admin/member/reader and its public endpoint.
 */
export const KEYSTONE_MANAGE = '/usr/bin/keystone-manage';
export const KEYSTONE_WSGI = '/usr/bin/keystone-wsgi-public';
export const UWSGI = '/usr/bin/uwsgi';

export function realKeystoneMissing(): string | undefined {
  const missing = [KEYSTONE_MANAGE, KEYSTONE_WSGI, UWSGI].filter((f) => !fs.existsSync(f));
  return missing.length ? `a real Keystone is not installed (${missing.join(', ')} missing): run scripts/ci/setup-keystone.sh as root` : undefined;
}

export interface RealKeystone {
  /** http://127.0.0.1:PORT/v3 */
  url: string;
  /** http://127.0.0.1:PORT, as [keystone_authtoken] auth_url is usually written. */
  authUrl: string;
  adminPassword: string;
  /** A token of admin in project admin (issued once, fresh for the test's length). */
  adminToken: string;
  /** One Identity API call as admin; throws with Keystone's answer when the status is not `expect`. */
  admin(method: string, p: string, body?: unknown, expect?: number): Promise<IdentityAnswer>;
  /** Makes a user in Default with a role on a project (made when missing); returns their ids. */
  addUser(name: string, password: string, project: string, role: string): Promise<{ userId: string; projectId: string }>;
  /** Registers a service and its public endpoint in RegionOne. */
  addEndpoint(type: string, name: string, url: string): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function manage(dir: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(KEYSTONE_MANAGE, ['--config-file', path.join(dir, 'keystone.conf'), ...args], { cwd: dir, timeout: 300_000 }, (err, _out, stderr) => {
      if (err) reject(new Error(`keystone-manage ${args[0]} failed: ${stderr.split('\n').filter(Boolean).slice(-5).join('\n')}`));
      else resolve();
    });
  });
}

function logTail(file: string): string {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n'); } catch { return '(no log)'; }
}

function errorLines(file: string): string {
  try { return fs.readFileSync(file, 'utf8').split('\n').filter((l) => / (ERROR|CRITICAL) /.test(l)).slice(-12).join('\n'); } catch { return '(no log)'; }
}

export async function startRealKeystone(): Promise<RealKeystone> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-real-keystone-'));
  let uwsgi: ChildProcess | undefined;
  // A test run that exits without its after hooks (mocha --exit, a failed before) still ends uWSGI.
  const killOnExit = () => { uwsgi?.kill('SIGTERM'); };
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (uwsgi && uwsgi.exitCode === null && uwsgi.signalCode === null) {
      const exited = new Promise((r) => uwsgi!.once('exit', r));
      uwsgi.kill('SIGTERM');
      await exited;
    }
    if (process.env.NOVA_KEEP_KEYSTONE) console.log(`      Keystone's config, database and logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const authUrl = `http://127.0.0.1:${port}`;
    const url = `${authUrl}/v3`;
    const adminPassword = `admin-${Math.random().toString(36).slice(2)}`;
    for (const sub of ['fernet-keys', 'credential-keys']) fs.mkdirSync(path.join(dir, sub), { mode: 0o700 });
    // bcrypt at its cheapest: every password check costs ~0.8 s at Keystone's default of 12 rounds.
    fs.writeFileSync(path.join(dir, 'keystone.conf'), [
      '[DEFAULT]', `log_file = ${path.join(dir, 'keystone.log')}`, '',
      '[database]', `connection = sqlite:///${path.join(dir, 'keystone.db')}`, '',
      '[fernet_tokens]', `key_repository = ${path.join(dir, 'fernet-keys')}`, '',
      '[credential]', `key_repository = ${path.join(dir, 'credential-keys')}`, '',
      '[identity]', 'password_hash_rounds = 4', '',
      '[cache]', 'enabled = false', '',
    ].join('\n'));
    const owner = ['--keystone-user', os.userInfo().username, '--keystone-group', execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()];
    await Promise.all([
      manage(dir, ['db_sync']).then(() => manage(dir, ['bootstrap', '--bootstrap-password', adminPassword, '--bootstrap-username', 'admin',
        '--bootstrap-project-name', 'admin', '--bootstrap-role-name', 'admin', '--bootstrap-service-name', 'keystone',
        '--bootstrap-region-id', 'RegionOne', '--bootstrap-public-url', `${url}/`])),
      manage(dir, ['fernet_setup', ...owner]),
      manage(dir, ['credential_setup', ...owner]),
    ]);
    // SQLite under uWSGI, as measured: in several threads of one worker, Keystone leaks a connection on
    // a refused request, the garbage collector of another thread cannot close it ("SQLite objects
    // created in a thread can only be used in that same thread") and its open read keeps the next
    // write from committing ("database is locked" after 5 s; uWSGI then drops the connection unanswered).
    // Hence one thread per worker, two workers, and WAL so that readers never block a commit.
    execFileSync('/usr/bin/python3', ['-c', 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")', path.join(dir, 'keystone.db')]);
    const uwsgiLog = path.join(dir, 'uwsgi.log');
    const out = fs.openSync(uwsgiLog, 'a');
    uwsgi = spawn(UWSGI, ['--plugin', 'python3', '--http-socket', `127.0.0.1:${port}`, '--wsgi-file', KEYSTONE_WSGI,
      '--master', '--processes', '2', '--threads', '1', '--lazy-apps', '--need-app', '--die-on-term', '--buffer-size', '65535',
      // --http-socket closes after each answer without saying so; clients that pool (the openstack CLI
      // too) then race the close and get "connection reset". Saying it makes them open a new one.
      '--add-header', 'Connection: close'],
    { cwd: dir, env: { PATH: '/usr/bin:/bin', OS_KEYSTONE_CONFIG_DIR: dir }, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const started = uwsgi;
    await waitFor(async () => {
      if (started.exitCode !== null) throw new Error(`uwsgi exited ${started.exitCode}: ${logTail(uwsgiLog)}`);
      return (await fetchClosing(url)).status === 200;
    }, 120_000, `Keystone on ${url} (uwsgi log ${uwsgiLog})`).catch((e) => {
      throw new Error(`${(e as Error).message}\n${logTail(uwsgiLog)}\n${logTail(path.join(dir, 'keystone.log'))}`);
    });
    const adminToken = (await issueToken(url, 'admin', adminPassword, 'admin')).token;
    const admin = async (method: string, p: string, body?: unknown, expect?: number) => {
      const r = await identityCall(url, method, p, { token: adminToken, body }).catch((e: Error) => {
        throw new Error(`Keystone ${method} ${p}: ${e.message} (${(e.cause as Error)?.message}); its errors:\n${errorLines(path.join(dir, 'keystone.log'))}`);
      });
      if (expect !== undefined && r.status !== expect) throw new Error(`Keystone ${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };
    const findOrMake = async (kind: 'projects' | 'roles', name: string): Promise<string> => {
      const found = (await admin('GET', `/${kind}?name=${encodeURIComponent(name)}`, undefined, 200)).body[kind];
      if (found.length) return found[0].id;
      const one = kind.slice(0, -1);
      return (await admin('POST', `/${kind}`, { [one]: { name, ...(kind === 'projects' ? { domain_id: 'default' } : {}) } }, 201)).body[one].id;
    };
    return {
      url, authUrl, adminPassword, adminToken, admin, stop,
      async addUser(name, password, project, role) {
        const projectId = await findOrMake('projects', project);
        const roleId = await findOrMake('roles', role);
        const userId = (await admin('POST', '/users', { user: { name, password, domain_id: 'default', default_project_id: projectId } }, 201)).body.user.id;
        await admin('PUT', `/projects/${projectId}/users/${userId}/roles/${roleId}`, undefined, 204);
        return { userId, projectId };
      },
      async addEndpoint(type, name, endpointUrl) {
        const serviceId = (await admin('POST', '/services', { service: { type, name, enabled: true } }, 201)).body.service.id;
        await admin('POST', '/endpoints', { endpoint: { service_id: serviceId, interface: 'public', region_id: 'RegionOne', url: endpointUrl } }, 201);
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
