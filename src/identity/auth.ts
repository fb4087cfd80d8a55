import { ProjectRow, UserRow } from '../db/models/identity';
import { badRequest, missingAttribute, unauthorized } from './errors';
import { getProject, resolveDomain, findProjectByName } from './resources';
import { effectiveRoles } from './roles';
import { issueToken, TokenInvalid, validateToken, ValidatedToken } from './tokens';
import { checkPassword, findUserByName } from './users';

/**
 * POST /v3/auth/tokens: proves who the caller is (methods `password` and `token`), picks the scope
 * (a project by id or by name and domain, or none), and issues a token. Bad credentials all get the
 * same 401, so the answer does not tell which part was wrong.
 */

type Ref = { id?: unknown; name?: unknown; domain?: { id?: unknown; name?: unknown } };
export interface AuthRequest {
  auth?: {
    identity?: { methods?: unknown; password?: { user?: Ref & { password?: unknown } }; token?: { id?: unknown } };
    scope?: 'unscoped' | { project?: Ref; domain?: Ref; system?: unknown; 'OS-TRUST:trust'?: unknown };
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** What the identity methods established: the user, and for `token`, the token it came from. */
interface Proven { user: UserRow; methods: string[]; from?: ValidatedToken }

async function provePassword(body: NonNullable<NonNullable<AuthRequest['auth']>['identity']>): Promise<UserRow> {
  const u = body.password?.user;
  if (!u || typeof u !== 'object') throw missingAttribute('user', 'password');
  const password = typeof u.password === 'string' ? u.password : undefined;
  if (password === undefined) throw missingAttribute('password', 'user');
  let user: UserRow | null = null;
  if (str(u.id)) user = await UserRow.findByPk(str(u.id)!);
  else if (str(u.name)) {
    if (!u.domain || (!str(u.domain.id) && !str(u.domain.name))) throw missingAttribute('domain', 'user');
    const domain = await resolveDomain({ id: str(u.domain.id), name: str(u.domain.name) }).catch(() => null);
    if (domain) user = await findUserByName(str(u.name)!, domain.id);
  } else throw missingAttribute('id or name', 'user');
  if (!user || !(await checkPassword(user, password))) throw unauthorized();
  if (!user.enabled) throw unauthorized(`The account is disabled for user: ${user.id}.`);
  return user;
}

async function proveToken(body: NonNullable<NonNullable<AuthRequest['auth']>['identity']>): Promise<ValidatedToken> {
  const id = str(body.token?.id);
  if (!id) throw missingAttribute('id', 'token');
  try {
    return await validateToken(id);
  } catch (e) {
    if (e instanceof TokenInvalid) throw unauthorized();
    throw e;
  }
}

async function prove(identity: NonNullable<AuthRequest['auth']>['identity']): Promise<Proven> {
  if (!identity || typeof identity !== 'object') throw missingAttribute('identity', 'auth');
  const methods = identity.methods;
  if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => typeof m === 'string')) {
    throw missingAttribute('methods', 'identity');
  }
  if (methods.some((m) => m !== 'password' && m !== 'token')) throw unauthorized('Attempted to authenticate with an unsupported method.');
  let user: UserRow | undefined;
  let from: ValidatedToken | undefined;
  if (methods.includes('token')) {
    from = await proveToken(identity);
    user = from.user;
  }
  if (methods.includes('password')) {
    const byPassword = await provePassword(identity);
    if (user && user.id !== byPassword.id) throw unauthorized();
    user = byPassword;
  }
  const names = [...new Set([...methods, ...(from?.row.methods ?? [])])];
  return { user: user!, methods: names, from };
}

async function scopedProject(scope: NonNullable<AuthRequest['auth']>['scope'], user: UserRow): Promise<ProjectRow | null> {
  if (scope === undefined) return defaultProject(user);
  if (scope === 'unscoped') return null;
  if (typeof scope !== 'object' || scope === null) throw badRequest('Invalid input for field \'scope\': the value is not an object.');
  if (scope.domain) throw unauthorized(`User ${user.id} has no access to domain ${str(scope.domain.id) ?? str(scope.domain.name) ?? ''}`);
  if (scope.system) throw unauthorized(`User ${user.id} has no access to the system`);
  if (scope['OS-TRUST:trust']) throw unauthorized('Trusts are not supported by this Identity service.');
  const p = scope.project;
  if (!p) throw missingAttribute('project, domain, OS-TRUST:trust or system', 'scope');
  let project: ProjectRow | null = null;
  if (str(p.id)) project = await getProject(str(p.id)!).catch(() => null);
  else if (str(p.name)) {
    if (!p.domain || (!str(p.domain.id) && !str(p.domain.name))) throw missingAttribute('domain', 'project');
    const domain = await resolveDomain({ id: str(p.domain.id), name: str(p.domain.name) }).catch(() => null);
    if (domain) project = await findProjectByName(str(p.name)!, domain.id);
  } else throw missingAttribute('id or name', 'project');
  if (!project || !project.enabled) throw unauthorized();
  return project;
}

/** With no scope asked, Keystone scopes to the user's default project when the user holds a role there. */
async function defaultProject(user: UserRow): Promise<ProjectRow | null> {
  if (!user.default_project_id) return null;
  const project = await ProjectRow.findByPk(user.default_project_id);
  if (!project?.enabled) return null;
  return (await effectiveRoles(user.id, project.id)).length ? project : null;
}

export interface AuthOptions {
  /** Seconds a new token lives ([identity] token_expiration). */
  tokenExpiration: number;
}

/** Authenticates an auth request body and issues a token; IdentityError (400/401) when refused. */
export async function authenticate(body: AuthRequest, opts: AuthOptions): Promise<{ text: string; token: ValidatedToken }> {
  if (!body?.auth || typeof body.auth !== 'object') throw missingAttribute('auth', 'request body');
  const proven = await prove(body.auth.identity);
  const project = await scopedProject(body.auth.scope, proven.user);
  if (project && !(await effectiveRoles(proven.user.id, project.id)).length) {
    throw unauthorized(`User ${proven.user.id} has no access to project ${project.id}`);
  }
  // A rescoped token ends when the token it came from does, as in Keystone.
  const expiresAt = proven.from?.row.expires_at ?? new Date(Date.now() + opts.tokenExpiration * 1000);
  try {
    return await issueToken({
      userId: proven.user.id, projectId: project?.id ?? null, methods: proven.methods, expiresAt, auditChainId: proven.from?.row.audit_chain_id,
    });
  } catch (e) {
    if (e instanceof TokenInvalid) throw unauthorized();
    throw e;
  }
}
