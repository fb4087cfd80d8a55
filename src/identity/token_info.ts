import { TokenInfo } from '../api/auth';
import { ValidatedToken } from './tokens';

/** What nova-api needs of a token validated in process. */
export function tokenInfoOf(t: ValidatedToken): TokenInfo {
  return {
    user_id: t.user.id, user_name: t.user.name, user_domain_id: t.userDomain.id,
    project_id: t.project?.id ?? null, project_name: t.project?.name, project_domain_id: t.projectDomain?.id,
    roles: t.roles.map((r) => r.name), expires_at: t.row.expires_at.toISOString(),
  };
}

/** A Keystone v3 token body (`{"token": {...}}`) as nova-api needs it. */
export interface TokenBody {
  token?: {
    expires_at?: string;
    user?: { id?: string; name?: string; domain?: { id?: string } };
    project?: { id?: string; name?: string; domain?: { id?: string } };
    roles?: Array<{ name?: string }>;
    is_admin_project?: boolean;
  };
}

/** What nova-api needs of a token validated by a Keystone over HTTP; throws when the body is not a token. */
export function tokenInfoFromBody(body: TokenBody): TokenInfo {
  const t = body?.token;
  if (!t?.user?.id || !t.expires_at) throw new Error('the Identity service answered a token validation with a body that is not a token');
  return {
    user_id: t.user.id, user_name: t.user.name ?? t.user.id, user_domain_id: t.user.domain?.id,
    project_id: t.project?.id ?? null, project_name: t.project?.name, project_domain_id: t.project?.domain?.id,
    roles: (t.roles ?? []).map((r) => r.name ?? '').filter(Boolean), expires_at: t.expires_at,
    ...(t.is_admin_project !== undefined ? { is_admin_project: t.is_admin_project } : {}),
  };
}
