import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Debian's python3-openstackclient (PATH has pyenv shims first: always the full path). */
export const OPENSTACK = '/usr/bin/openstack';

export interface CliAnswer { code: number; stdout: string; stderr: string }

/**
 * Runs the real `openstack` CLI as a user would: with the environment of an openrc file sourced by a
 * shell (`openrc`), or with explicit global options (`globalArgs`), in a throwaway HOME.
 */
export function openstackRunner(opts: { openrc?: string; globalArgs?: string[] }) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-osc-home-'));
  const env = { PATH: '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
  const run = (args: string[]): Promise<CliAnswer> => new Promise((resolve) => {
    const all = [...(opts.globalArgs ?? []), ...args];
    const [cmd, argv] = opts.openrc
      ? ['/bin/sh', ['-c', '. "$1" && shift && exec "$@"', 'sh', opts.openrc, OPENSTACK, ...all]]
      : [OPENSTACK, all];
    const child = execFile(cmd, argv as string[], { env, cwd: home, timeout: 120000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    child.stdin?.end();
  });
  return {
    home,
    run,
    /** Runs and parses `-f json` output; fails with the CLI's own error text. */
    async json<T = any>(...args: string[]): Promise<T> {
      const r = await run([...args, '-f', 'json']);
      if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${r.code}): ${r.stderr || r.stdout}`);
      return JSON.parse(r.stdout) as T;
    },
    /** Runs a command; resolves its JSON output parsed, or its raw output when that is not JSON (null when empty). */
    async call(...args: string[]): Promise<any> {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${r.code}): ${r.stderr || r.stdout}`);
      try { return r.stdout.trim() ? JSON.parse(r.stdout) : null; } catch { return r.stdout; }
    },
    /** Runs a command that prints nothing on success. */
    async ok(...args: string[]): Promise<string> {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${r.code}): ${r.stderr || r.stdout}`);
      return r.stdout;
    },
    cleanup: () => fs.rmSync(home, { recursive: true, force: true }),
  };
}
