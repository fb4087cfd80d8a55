import * as fs from 'node:fs';
import * as path from 'node:path';
import { fetchClosing } from '../../src/lib/fetch_closing';

export interface IdentityAnswer { status: number; body: any; headers: Headers }

/** One call to the Identity API at `identityUrl` (…/v3); `path` starts after /v3. */
export async function identityCall(identityUrl: string, method: string, p: string,
  o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<IdentityAnswer> {
  const headers: Record<string, string> = { ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers };
  if (o.token) headers['x-auth-token'] = o.token;
  // Without connection reuse: a real Keystone under uWSGI closes after each answer (src/lib/fetch_closing.ts).
  const res = await fetchClosing(identityUrl + p, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** A password auth body: project by name in Default, `'unscoped'`, or no scope at all (undefined). */
export function passwordAuth(user: string, password: string, project?: string | 'unscoped'): unknown {
  const identity = { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } };
  if (project === undefined) return { auth: { identity } };
  return { auth: { identity, scope: project === 'unscoped' ? 'unscoped' : { project: { name: project, domain: { name: 'Default' } } } } };
}

/** Issues a token; throws with the answer when refused. */
export async function issueToken(identityUrl: string, user: string, password: string, project?: string | 'unscoped'): Promise<{ token: string; body: any }> {
  const r = await identityCall(identityUrl, 'POST', '/auth/tokens', { body: passwordAuth(user, password, project) });
  if (r.status !== 201) throw new Error(`token for ${user} refused: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.headers.get('x-subject-token')!, body: r.body };
}

/** The admin password the identity daemon generated in state_path. */
export function adminPassword(statePath: string): string {
  return fs.readFileSync(path.join(statePath, 'admin_password'), 'utf8').trim();
}
