import { createHash } from 'node:crypto';
import { CommandError } from './errors';
import { HttpTransport } from './http';

/** One endpoint of a Keystone v3 catalog entry. */
export interface CatalogEndpoint {
  id?: string;
  interface: 'public' | 'internal' | 'admin' | string;
  region?: string | null;
  region_id?: string | null;
  url: string;
}

export interface CatalogEntry {
  type: string;
  name?: string;
  id?: string;
  endpoints: CatalogEndpoint[];
}

/** What authenticating gave: the token and, with Keystone, who it is for and the catalog. */
export interface AuthState {
  token: string;
  projectId?: string;
  projectName?: string;
  userId?: string;
  expiresAt?: string;
  catalog?: CatalogEntry[];
}

/** The `--os-*` options that say how to authenticate and where the services are. */
export interface AuthOptions {
  authUrl?: string;
  username?: string;
  userId?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  token?: string;
  /** Compute endpoint to use instead of the catalog's. */
  endpointOverride?: string;
  regionName?: string;
  /** public (default), internal or admin; `publicURL` style is accepted. */
  interface?: string;
}

/** Gives a token and the endpoint of a service type. */
export interface Authenticator {
  authenticate(): Promise<AuthState>;
  /** Forgets the cached token; true when a fresh one can be obtained (so a 401 is worth one retry). */
  invalidate(): boolean;
  /** The endpoint of `serviceType`, or undefined when there is no catalog to ask. */
  endpointFor(serviceType: string): Promise<string | undefined>;
}

/** Tokens obtained in this process, by credentials, so several commands in one process share them. */
const tokenCache = new Map<string, AuthState>();

export function clearTokenCache(): void { tokenCache.clear(); }

/**
 * Keystone v3: `POST {auth_url}/v3/auth/tokens` with the password method (or the token method to
 * scope a given token), then the catalog of the answer.
 */
export class KeystoneAuth implements Authenticator {
  private readonly cacheKey: string;

  constructor(private readonly opts: AuthOptions, private readonly http: HttpTransport) {
    this.cacheKey = createHash('sha256').update(JSON.stringify([opts.authUrl, opts.username, opts.userId, opts.password, opts.token,
      opts.projectName, opts.projectId, opts.userDomainName, opts.userDomainId, opts.projectDomainName, opts.projectDomainId])).digest('hex');
  }

  async authenticate(): Promise<AuthState> {
    const cached = tokenCache.get(this.cacheKey);
    if (cached && (!cached.expiresAt || Date.parse(cached.expiresAt) - Date.now() > 30_000)) return cached;
    const res = await this.http.request<{ token: KeystoneToken }>({ method: 'POST', url: tokensUrl(this.opts.authUrl ?? ''), body: this.authBody() });
    const subject = res.headers['x-subject-token'];
    if (!subject) throw new CommandError(`The identity service at ${this.opts.authUrl} answered without an X-Subject-Token header: is OS_AUTH_URL a Keystone v3 endpoint?`);
    const t = res.body.token;
    const state: AuthState = {
      token: subject, projectId: t.project?.id, projectName: t.project?.name, userId: t.user?.id, expiresAt: t.expires_at, catalog: t.catalog ?? [],
    };
    tokenCache.set(this.cacheKey, state);
    return state;
  }

  invalidate(): boolean {
    tokenCache.delete(this.cacheKey);
    return true;
  }

  async endpointFor(serviceType: string): Promise<string | undefined> {
    if (serviceType === 'compute' && this.opts.endpointOverride) return trimSlash(this.opts.endpointOverride);
    const state = await this.authenticate();
    return selectEndpoint(state.catalog ?? [], serviceType, this.opts.interface, this.opts.regionName);
  }

  private authBody() {
    const o = this.opts;
    const identity = o.token && !o.password
      ? { methods: ['token'], token: { id: o.token } }
      : {
        methods: ['password'],
        password: {
          user: {
            ...(o.userId ? { id: o.userId } : { name: o.username, domain: domainRef(o.userDomainName, o.userDomainId) }),
            password: o.password,
          },
        },
      };
    const scope = o.projectId
      ? { project: { id: o.projectId } }
      : o.projectName ? { project: { name: o.projectName, domain: domainRef(o.projectDomainName, o.projectDomainId) } } : undefined;
    return { auth: { identity, ...(scope ? { scope } : {}) } };
  }
}

/** A token given on the command line, used as is with the given compute endpoint (no catalog). */
export class StaticTokenAuth implements Authenticator {
  constructor(private readonly opts: AuthOptions) {}

  async authenticate(): Promise<AuthState> {
    return { token: this.opts.token ?? '', projectId: this.opts.projectId, projectName: this.opts.projectName };
  }

  invalidate(): boolean { return false; }

  async endpointFor(serviceType: string): Promise<string | undefined> {
    return serviceType === 'compute' && this.opts.endpointOverride ? trimSlash(this.opts.endpointOverride) : undefined;
  }
}

/**
 * Picks the authenticator the options call for, as novaclient does: a token with an endpoint
 * needs no identity service; anything else authenticates against OS_AUTH_URL.
 */
export function createAuthenticator(opts: AuthOptions, http: HttpTransport): Authenticator {
  if (opts.token && opts.endpointOverride) return new StaticTokenAuth(opts);
  if (!opts.token && !opts.username && !opts.userId) {
    throw new CommandError('You must provide a user name/id (via --os-username, env[OS_USERNAME]) or an auth token ' +
      '(via --os-token, env[OS_TOKEN]) with an endpoint (--os-endpoint-override, env[OS_ENDPOINT_OVERRIDE]).');
  }
  if (!opts.token && !opts.password) {
    throw new CommandError('You must provide a password (via --os-password or env[OS_PASSWORD]).');
  }
  if (!opts.token && !opts.projectName && !opts.projectId) {
    throw new CommandError('You must provide a project name or project ID via --os-project-name, --os-project-id, ' +
      'env[OS_PROJECT_ID] or env[OS_PROJECT_NAME].');
  }
  if (!opts.authUrl) throw new CommandError('You must provide an auth url via either --os-auth-url or env[OS_AUTH_URL].');
  return new KeystoneAuth(opts, http);
}

/**
 * The URL of a service type in the catalog for the interface (default public) and region. Every
 * way it can fail names what the catalog does have.
 */
export function selectEndpoint(catalog: CatalogEntry[], serviceType: string, iface = 'public', region?: string): string | undefined {
  const wanted = normalizeInterface(iface);
  const entries = catalog.filter((e) => e.type === serviceType);
  if (entries.length === 0) return undefined;
  const endpoints = entries.flatMap((e) => e.endpoints);
  const match = endpoints.find((ep) => ep.interface === wanted && (!region || ep.region_id === region || ep.region === region));
  if (match) return trimSlash(match.url);
  const have = endpoints.map((ep) => `${ep.interface}@${ep.region_id ?? ep.region ?? '-'}`).join(', ');
  throw new CommandError(`No ${serviceType} endpoint for interface '${wanted}'${region ? ` in region '${region}'` : ''} in the service catalog ` +
    `(it has: ${have || 'none'}). Check --os-interface and --os-region-name.`);
}

export function normalizeInterface(iface: string): string {
  const i = iface.toLowerCase().replace(/url$/, '');
  if (!['public', 'internal', 'admin'].includes(i)) throw new CommandError(`Unknown interface '${iface}': use public, internal or admin.`);
  return i;
}

function domainRef(name?: string, id?: string): { name: string } | { id: string } {
  if (id) return { id };
  if (name) return { name };
  return { id: 'default' };
}

/** `{auth_url}/v3/auth/tokens`, whether the URL given ends in /v3 or is the identity root. */
export function tokensUrl(authUrl: string): string {
  const base = trimSlash(authUrl);
  return /\/v3$/.test(base) ? `${base}/auth/tokens` : `${base}/v3/auth/tokens`;
}

function trimSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

interface KeystoneToken {
  expires_at?: string;
  project?: { id: string; name: string };
  user?: { id: string; name: string };
  catalog?: CatalogEntry[];
}
