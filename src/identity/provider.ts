import * as path from 'node:path';
import { AuthProvider, TokenInfo } from '../api/auth';
import { NotAuthenticated } from '../exception';
import { Runtime } from '../service/runtime';
import { tokenDigest } from './ids';
import { KeystoneClient, PasswordCredentials, v3Url } from './remote';
import { readSecret, SERVICE_PASSWORD_FILE } from './secrets';
import { IdentityServer, localIdentity } from './server';
import { ServiceTokenSource } from './service_token';
import { tokenInfoFromBody, tokenInfoOf } from './token_info';
import { TokenInvalid } from './tokens';

/**
 * How nova-api validates X-Auth-Token (and how services get their own token): in process when the
 * built-in Identity runs in this process; else over HTTP against [keystone_authtoken] auth_url (a
 * real Keystone) or the built-in service of another process, as keystonemiddleware does.
 */

/** Validates against the built-in Identity of this process: no HTTP, no cache, revocation is immediate. */
class LocalAuthProvider implements AuthProvider {
  constructor(private server: IdentityServer, private wwwUri: string) {}

  get wwwAuthenticateUri(): string | undefined {
    return this.wwwUri || this.server.url?.replace(/\/v3$/, '');
  }

  async validateToken(token: string): Promise<TokenInfo> {
    try {
      return tokenInfoOf(await this.server.validate(token));
    } catch (e) {
      if (e instanceof TokenInvalid) throw new NotAuthenticated();
      throw e;
    }
  }
}

const CACHE_LIMIT = 10_000;

/** Validates over HTTP with the service's token; valid answers are kept for token_cache_time seconds. */
class KeystoneAuthProvider implements AuthProvider {
  private cache = new Map<string, { info: TokenInfo; until: number }>();

  constructor(private client: KeystoneClient, private serviceTokens: ServiceTokenSource, private cacheSeconds: number,
    readonly wwwAuthenticateUri: string) {}

  async validateToken(token: string): Promise<TokenInfo> {
    const key = tokenDigest(token);
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.info;
    this.cache.delete(key);
    const ours = await this.serviceTokens.get();
    let body = await this.client.validate(ours, token);
    if (body === 'service-token-refused') {
      // Our token expired or was revoked early: get a new one and ask once more.
      this.serviceTokens.invalidate(ours);
      body = await this.client.validate(await this.serviceTokens.get(), token);
    }
    if (body === null) throw new NotAuthenticated();
    if (body === 'service-token-refused') throw new Error(`the Identity service at ${this.client.url} refuses the service user's token: check [keystone_authtoken] and the user's roles`);
    const info = tokenInfoFromBody(body);
    const until = Math.min(Date.now() + this.cacheSeconds * 1000, new Date(info.expires_at).getTime());
    if (until > Date.now()) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { info, until });
    }
    return info;
  }
}

/** The Identity URL to talk to over HTTP: auth_url, else the built-in service of this host. */
function remoteAuthUrl(rt: Runtime): string {
  const k = rt.conf.keystone_authtoken;
  if (k.auth_url) return v3Url(k.auth_url);
  const port = rt.conf.identity.port;
  if (!rt.conf.identity.enabled || port === 0) {
    throw new Error('no Identity service to validate tokens against: set [keystone_authtoken] auth_url, ' +
      'or run the identity daemon in this process (nova daemon identity api ...) with [identity] enabled');
  }
  return `http://${rt.conf.DEFAULT.my_ip}:${port}/v3`;
}

/** [keystone_authtoken] credentials; the password of the built-in service user is read from state_path when not configured. */
function serviceCredentials(rt: Runtime): PasswordCredentials {
  const k = rt.conf.keystone_authtoken;
  const passwordFile = path.join(rt.statePath, SERVICE_PASSWORD_FILE);
  const password = k.password || (!k.auth_url ? readSecret(passwordFile) : undefined);
  if (!password) {
    throw new Error(`[keystone_authtoken] password is not set${k.auth_url ? '' : ` and ${passwordFile} does not exist`}: ` +
      'set the password of the service user in nova.conf');
  }
  return {
    username: k.username, password, userDomainName: k.user_domain_name, projectName: k.project_name, projectDomainName: k.project_domain_name,
  };
}

/** The nova service user's token source of this process (shared by nova-api, the EC2 API and the clients). */
export function serviceTokenSource(rt: Runtime): ServiceTokenSource {
  return rt.shared('identity-service-token', () => {
    const local = localIdentity(rt);
    if (local) return new ServiceTokenSource(() => local.issueServiceToken());
    const client = new KeystoneClient(remoteAuthUrl(rt));
    return new ServiceTokenSource(() => client.passwordToken(serviceCredentials(rt)));
  });
}

export async function createAuthProvider(rt: Runtime): Promise<AuthProvider> {
  const k = rt.conf.keystone_authtoken;
  const local = localIdentity(rt);
  if (local && !k.auth_url) return new LocalAuthProvider(local, k.www_authenticate_uri);
  const client = new KeystoneClient(remoteAuthUrl(rt));
  const www = k.www_authenticate_uri || client.url.replace(/\/v3$/, '');
  return new KeystoneAuthProvider(client, serviceTokenSource(rt), k.token_cache_time, www);
}

/** A token of the nova service user, cached and renewed before it expires. */
export async function serviceToken(rt: Runtime): Promise<string> {
  return serviceTokenSource(rt).get();
}
