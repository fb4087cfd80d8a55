import { NotAuthenticated } from '../exception';

/** What a validated token says about its holder (Keystone v3 token body, flattened). */
export interface TokenInfo {
  user_id: string;
  user_name: string;
  user_domain_id?: string;
  project_id: string | null;
  project_name?: string;
  project_domain_id?: string;
  roles: string[];
  expires_at: string;
  is_admin_project?: boolean;
}

/** Validates `X-Auth-Token`s: the built-in identity in process, or a real Keystone over HTTP. */
export interface AuthProvider {
  validateToken(token: string): Promise<TokenInfo>;
  /** Identity endpoint for the WWW-Authenticate header. */
  readonly wwwAuthenticateUri?: string;
}

/**
 * Nova's `noauth2` strategy, for tests only: the token is `user:project`; the user `admin` gets the
 * admin role, as nova.api.openstack.auth.NoAuthMiddleware does.
 */
export class NoAuthProvider implements AuthProvider {
  async validateToken(token: string): Promise<TokenInfo> {
    const [user, project] = token.split(':');
    if (!user) throw new NotAuthenticated();
    return {
      user_id: user, user_name: user, project_id: project || user, project_name: project || user,
      roles: user === 'admin' ? ['admin', 'member', 'reader'] : ['member', 'reader'],
      expires_at: new Date(Date.now() + 3600_000).toISOString(),
    };
  }
}
