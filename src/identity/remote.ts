import { HttpError } from '../api/faults';
import { fetchClosing } from '../lib/fetch_closing';
import { IssuedToken } from './service_token';
import { TokenBody } from './token_info';

/** Password credentials of a service user, as in [keystone_authtoken]. */
export interface PasswordCredentials {
  username: string;
  password: string;
  userDomainName: string;
  projectName: string;
  projectDomainName: string;
}

const TIMEOUT_MS = 30_000;

/** `http://host:5000`, `http://host:5000/` or `http://host:5000/v3` -> `http://host:5000/v3`. */
export function v3Url(authUrl: string): string {
  const u = authUrl.replace(/\/+$/, '');
  return /\/v3$/.test(u) ? u : `${u}/v3`;
}

/** The Keystone v3 calls a service needs: its own token, and validating a user's token. */
export class KeystoneClient {
  readonly url: string;

  constructor(authUrl: string) {
    this.url = v3Url(authUrl);
  }

  private async send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
    try {
      return await fetchClosing(`${this.url}${path}`, {
        method, headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined, signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new HttpError(503, `The Identity service at ${this.url} is unreachable (${(e as Error).message}): ` +
        'check that it runs and [keystone_authtoken] auth_url');
    }
  }

  /** Issues a project-scoped token with password credentials. */
  async passwordToken(c: PasswordCredentials): Promise<IssuedToken> {
    const res = await this.send('POST', '/auth/tokens?nocatalog', {}, {
      auth: {
        identity: { methods: ['password'], password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } } },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    });
    const token = res.headers.get('x-subject-token');
    const body = (await res.json().catch(() => ({}))) as TokenBody;
    if (res.status !== 201 || !token || !body.token?.expires_at) {
      throw new HttpError(503, `The Identity service at ${this.url} refused the service user '${c.username}' (HTTP ${res.status}): ` +
        'check [keystone_authtoken] username, password, project_name and the domain names');
    }
    return { token, expiresAt: new Date(body.token.expires_at) };
  }

  /**
   * Validates `subject` with the service's token: the token body, null when the token is not valid
   * (Keystone's 404), or 'service-token-refused' when the service's own token was refused.
   */
  async validate(serviceToken: string, subject: string): Promise<TokenBody | null | 'service-token-refused'> {
    const res = await this.send('GET', '/auth/tokens?nocatalog', { 'x-auth-token': serviceToken, 'x-subject-token': subject });
    if (res.status === 200) return (await res.json()) as TokenBody;
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 404) return null;
    if (res.status === 401 || res.status === 403) return 'service-token-refused';
    throw new HttpError(503, `The Identity service at ${this.url} failed to validate a token (HTTP ${res.status})`);
  }
}
