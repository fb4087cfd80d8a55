import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { startCloud, TestCloud } from '../../helpers/cloud';
import { adminPassword, identityCall, issueToken } from '../../helpers/identity';

export const AWS = '/usr/bin/aws';
export const PYTHON = '/usr/bin/python3';

export interface Ec2Cloud {
  cloud: TestCloud;
  ec2Url: string;
  access: string;
  secret: string;
  token: string;
  /** ami-... of an active raw image uploaded through the Image API. */
  imageUuid: string;
}

/**
 * The whole cloud with the built-in Identity, an EC2 credential for admin, and one image. With
 * `network` (nova.conf overrides, e.g. a network_namespace), nova-network runs too; `daemons` are
 * started after the EC2 API.
 */
export async function startEc2Cloud(opts: { network?: Record<string, string>; daemons?: string[]; overrides?: Record<string, string> } = {}): Promise<Ec2Cloud> {
  const daemons = ['identity', 'image', 'conductor', 'scheduler', 'compute', ...(opts.network ? ['network'] : []), 'api', 'ec2', ...(opts.daemons ?? [])];
  const cloud = await startCloud({ auth: 'keystone', daemons, overrides: { ...opts.network, ...opts.overrides } });
  const { token, body } = await issueToken(cloud.identityUrl, 'admin', adminPassword(cloud.statePath), 'admin');
  const made = await identityCall(cloud.identityUrl, 'POST', `/users/${body.token.user.id}/credentials/OS-EC2`,
    { token, body: { tenant_id: body.token.project.id } });
  if (made.status !== 201) throw new Error(`EC2 credential refused: ${made.status} ${JSON.stringify(made.body)}`);
  const imageUrl = cloud.rt.endpoints.image!;
  const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
  const img = await (await fetch(`${imageUrl}/v2/images`, { method: 'POST', headers,
    body: JSON.stringify({ name: 'ec2-image', disk_format: 'raw', container_format: 'bare', visibility: 'public' }) })).json() as { id: string };
  const up = await fetch(`${imageUrl}/v2/images/${img.id}/file`, { method: 'PUT', headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
    body: Buffer.alloc(64 * 1024, 7) });
  if (up.status !== 204) throw new Error(`image upload refused: ${up.status} ${await up.text()}`);
  return { cloud, ec2Url: cloud.rt.endpoints.ec2!, access: made.body.credential.access, secret: made.body.credential.secret, token, imageUuid: img.id };
}

export interface RunResult { code: number; stdout: string; stderr: string }

export function run(file: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { PATH: '/usr/bin:/bin', HOME: '/tmp', ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Runs Debian's aws CLI against the cloud with these keys (no config file, one attempt, region nova). */
export function awsRunner(c: Pick<Ec2Cloud, 'ec2Url'>, keys: { access: string; secret: string } = c as Ec2Cloud) {
  const env = {
    AWS_ACCESS_KEY_ID: keys.access, AWS_SECRET_ACCESS_KEY: keys.secret, AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1', AWS_PAGER: '',
  };
  const call = (...args: string[]) => run(AWS, ['ec2', ...args, '--endpoint-url', c.ec2Url, '--region', 'nova', '--output', 'json'], env);
  return {
    call,
    async json<T = any>(...args: string[]): Promise<T> {
      const r = await call(...args);
      if (r.code !== 0) throw new Error(`aws ec2 ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as T;
    },
  };
}

/** Fails early, naming the setup script, when the real clients are not installed. */
export function requireClients(): void {
  if (!fs.existsSync(AWS)) throw new Error(`${AWS} is missing: run scripts/ci/setup-ec2.sh as root`);
}
