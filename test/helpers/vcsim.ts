import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';

const ROOT = path.join(__dirname, '..', '..', '..');
const LAUNCHER = path.join(ROOT, 'var', 'vcsim', 'vcsim-launcher');

/** A running vCenter simulator (govmomi's, through scripts/vmware/vcsim-launcher.go). */
export interface Vcsim {
  url: URL;
  host: string;
  port: number;
  caFile: string;
  username: string;
  password: string;
  /** [vmware] overrides (`vmware.*`) that reach this simulator. */
  overrides(extra?: Record<string, string>): Record<string, string>;
  stop(): Promise<void>;
}

/** Builds the launcher when it is missing (scripts/ci/setup-vmware.sh), then starts a simulator on a free port. */
export async function startVcsim(opts: { clusters?: number; machines?: number } = {}): Promise<Vcsim> {
  if (!fs.existsSync(LAUNCHER)) execFileSync('bash', [path.join(ROOT, 'scripts', 'ci', 'setup-vmware.sh')], { stdio: 'inherit' });
  const child: ChildProcess = spawn(LAUNCHER, ['-clusters', String(opts.clusters ?? 1), '-machines', String(opts.machines ?? 1)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); if (process.env.VCSIM_LOG) process.stderr.write(c); });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', (l) => { rl.close(); resolve(l); });
    child.once('exit', (code) => reject(new Error(`vcsim-launcher exited with ${code}: ${stderr}`)));
  });
  const info = JSON.parse(line) as { url: string; ca_file: string; username: string; password: string };
  const url = new URL(info.url);
  return {
    url, host: url.hostname, port: Number(url.port), caFile: info.ca_file, username: info.username, password: info.password,
    overrides(extra = {}) {
      return {
        'vmware.host_ip': url.hostname, 'vmware.host_port': url.port, 'vmware.host_username': info.username,
        'vmware.host_password': info.password, 'vmware.cluster_name': 'DC0_C0', 'vmware.insecure': 'true',
        'vmware.task_poll_interval': '0.05', 'vmware.api_retry_count': '0', ...extra,
      };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      child.kill('SIGTERM');
      await exited;
    },
  };
}
