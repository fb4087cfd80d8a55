import { spawnSync } from 'node:child_process';

export interface OpensslResult { code: number | null; stdout: string; stderr: string }

/** Runs the openssl command line (tests only: the product never shells out to openssl). */
export function openssl(args: string[], opts: { input?: Buffer | string; cwd?: string } = {}): OpensslResult {
  const input = typeof opts.input === 'string' ? Buffer.from(opts.input) : opts.input;
  const r = spawnSync('openssl', args, { input, cwd: opts.cwd, encoding: 'buffer' });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString() };
}

/** `openssl verify` of `certFile` against the CA bundle `caFile` (and a CRL when given): true when OK. */
export function opensslVerifies(caFile: string, certFile: string, crlFile?: string): { ok: boolean; output: string } {
  const args = ['verify', ...(crlFile ? ['-crl_check', '-CRLfile', crlFile] : []), '-CAfile', caFile, certFile];
  const r = openssl(args);
  return { ok: r.code === 0 && /: OK\s*$/.test(r.stdout), output: r.stdout + r.stderr };
}
