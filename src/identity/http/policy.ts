import { forbidden, forbiddenAction } from '../errors';
import { ValidatedToken } from '../tokens';

/**
 * The caller of an Identity API request and Keystone's default rules for this subset: the identity
 * admin APIs need the admin role; a user may read itself, its own projects, its EC2 credentials and
 * its own tokens; services (role `service`) may validate tokens.
 */
export class Caller {
  readonly roleNames: Set<string>;

  constructor(readonly token: ValidatedToken, readonly tokenText: string) {
    this.roleNames = new Set(token.roles.map((r) => r.name.toLowerCase()));
  }

  get userId(): string { return this.token.user.id; }
  get projectId(): string | null { return this.token.project?.id ?? null; }
  get domainId(): string { return this.token.projectDomain?.id ?? this.token.userDomain.id; }
  get isAdmin(): boolean { return this.roleNames.has('admin'); }
  get isService(): boolean { return this.roleNames.has('service'); }

  /** identity:* rules with the admin_required default. */
  requireAdmin(action: string): void {
    if (!this.isAdmin) throw forbiddenAction(action);
  }

  /** Rules that also let a user act on itself (get_user, list_user_projects, ec2_*). */
  requireAdminOrUser(action: string, userId: string): void {
    if (!this.isAdmin && this.userId !== userId) throw forbiddenAction(action);
  }

  /** identity:get_project: admins, or a token scoped to that project. */
  requireAdminOrProject(action: string, projectId: string): void {
    if (!this.isAdmin && this.projectId !== projectId) throw forbiddenAction(action);
  }

  /** identity:get_domain: admins, or a token whose project is in that domain. */
  requireAdminOrDomain(action: string, domainId: string): void {
    if (!this.isAdmin && this.domainId !== domainId) throw forbiddenAction(action);
  }

  /** identity:validate_token and revoke_token: admins, services, or the token's own user. */
  requireTokenAccess(action: string, subjectUserId: string): void {
    if (!this.isAdmin && !this.isService && this.userId !== subjectUserId) throw forbiddenAction(action);
  }

  /** GET /v3/auth/catalog needs a project-scoped token. */
  requireProjectScope(): void {
    if (!this.projectId) throw forbidden('A project-scoped token is required to produce a service catalog.');
  }
}
