import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Python helpers next to this file's source (they are not compiled into dist). */
export const CLIENTS_DIR = path.join(__dirname, '..', '..', '..', '..', 'test', 'integration', 'metadata', 'clients');
export const PYTHON = '/usr/bin/python3';
/** Debian's own tools only: PATH on this machine has pyenv shims first. */
const CLEAN_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', HOME: os.tmpdir(), NO_PROXY: '*', no_proxy: '*' };

/** Fails early, naming the setup script, when the real clients are not installed. */
export function requireClients(): void {
  try {
    execFileSync(PYTHON, ['-c', 'import cloudinit.sources.DataSourceOpenStack, cloudinit.sources.DataSourceEc2, botocore.utils'], { env: CLEAN_ENV, stdio: 'pipe' });
    execFileSync('/usr/bin/test', ['-x', '/usr/bin/ec2metadata']);
    execFileSync('/usr/sbin/ip', ['netns', 'list'], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`the metadata clients are missing (cloud-init, python3-botocore, cloud-guest-utils, iproute2): run scripts/ci/setup-metadata.sh as root (${e.message.split('\n')[0]})`);
  }
}

export interface RunOutput { code: number | null; stdout: string; stderr: string }

/** Runs a program to completion with a clean environment plus `env`. */
export function run(file: string, args: string[], env: Record<string, string> = {}, timeoutMs = 60000): Promise<RunOutput> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...CLEAN_ENV, ...env }, encoding: 'buffer', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') });
    });
  });
}

/** Runs one of the Python helpers and parses its JSON output (the error names its stderr). */
export async function runPythonJson(script: string, args: string[], opts: { env?: Record<string, string>; netns?: string } = {}): Promise<any> {
  const cmd = [PYTHON, path.join(CLIENTS_DIR, script), ...args];
  const out = opts.netns ? await run('/usr/sbin/ip', ['netns', 'exec', opts.netns, ...cmd], opts.env) : await run(cmd[0], cmd.slice(1), opts.env);
  const last = out.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${script} ${args.join(' ')} exited ${out.code}:\n${out.stdout}\n${out.stderr}`);
  }
}

export interface SeenRequest { method: string; path: string; token?: string; ttl?: string; status: number }

/**
 * A network namespace where 169.254.169.254:80 is the metadata service, as on a guest: the address
 * sits on the namespace's loopback, a relay there pipes connections to a Unix socket, and this process
 * forwards each request from that socket to the service over loopback (so the service sees the
 * source address 127.0.0.1). Requests are recorded, with their IMDSv2 headers.
 */
export class MetadataNamespace {
  readonly seen: SeenRequest[] = [];
  private relay?: ChildProcess;
  private bridge?: http.Server;

  private constructor(readonly name: string, private readonly dir: string, private readonly serviceUrl: string) {}

  static async create(serviceUrl: string): Promise<MetadataNamespace> {
    const name = `nova-md-${process.pid}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metadata-netns-'));
    const ns = new MetadataNamespace(name, dir, serviceUrl);
    try {
      await ns.setUp();
    } catch (e) {
      await ns.destroy();
      throw e;
    }
    return ns;
  }

  private async ip(...args: string[]): Promise<void> {
    const out = await run('/usr/sbin/ip', args);
    if (out.code !== 0) throw new Error(`ip ${args.join(' ')} failed: ${out.stderr}`);
  }

  private async setUp(): Promise<void> {
    if ((await run('/usr/sbin/ip', ['netns', 'list'])).stdout.split('\n').some((l) => l.split(' ')[0] === this.name)) await this.ip('netns', 'del', this.name);
    await this.ip('netns', 'add', this.name);
    await this.ip('-n', this.name, 'link', 'set', 'lo', 'up');
    await this.ip('-n', this.name, 'addr', 'add', '169.254.169.254/32', 'dev', 'lo');
    const socketPath = path.join(this.dir, 'metadata.sock');
    this.bridge = http.createServer((req, res) => this.forward(req, res));
    await new Promise<void>((resolve, reject) => { this.bridge!.once('error', reject); this.bridge!.listen(socketPath, resolve); });
    this.relay = spawn('/usr/sbin/ip', ['netns', 'exec', this.name, PYTHON, path.join(CLIENTS_DIR, 'relay.py'), '169.254.169.254', '80', socketPath], { env: CLEAN_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      this.relay!.stderr!.on('data', (d) => { err += d; });
      this.relay!.stdout!.once('data', () => resolve());
      this.relay!.once('exit', (code) => reject(new Error(`the namespace relay exited ${code}: ${err}`)));
    });
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const headers = { ...req.headers };
    const out = http.request(new URL(req.url ?? '/', this.serviceUrl), { method: req.method, headers }, (up) => {
      this.seen.push({
        method: req.method ?? '', path: req.url ?? '', status: up.statusCode ?? 0,
        token: req.headers['x-aws-ec2-metadata-token'] as string | undefined, ttl: req.headers['x-aws-ec2-metadata-token-ttl-seconds'] as string | undefined,
      });
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', (e) => { res.writeHead(502); res.end(e.message); });
    req.pipe(out);
  }

  /** Runs a program inside the namespace. */
  exec(file: string, args: string[], env: Record<string, string> = {}): Promise<RunOutput> {
    return run('/usr/sbin/ip', ['netns', 'exec', this.name, file, ...args], env);
  }

  async destroy(): Promise<void> {
    if (this.relay && this.relay.exitCode === null) {
      const exited = new Promise((r) => this.relay!.once('exit', r));
      this.relay.kill('SIGTERM');
      await exited;
    }
    this.bridge?.closeAllConnections();
    await new Promise((r) => (this.bridge ? this.bridge.close(() => r(undefined)) : r(undefined)));
    await run('/usr/sbin/ip', ['netns', 'del', this.name]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
