import { Op } from 'sequelize';
import { DomainRow, ProjectRow, RoleRow, TokenRow, UserRow } from '../db/models/identity';
import { notFound } from './errors';
import { newAuditId, newTokenText, tokenDigest } from './ids';
import { effectiveRoles } from './roles';

/**
 * Tokens live in the database, keyed by a digest of their text: any process sharing the database
 * validates them, DELETE revokes one at once, and they stop working at `expires_at`. What a token
 * grants is computed at validation time, so a removed role or a disabled user or project takes
 * effect on the next request.
 */

/** A token that passed validation, with everything its body shows. */
export interface ValidatedToken {
  row: TokenRow;
  user: UserRow;
  userDomain: DomainRow;
  project: ProjectRow | null;
  projectDomain: DomainRow | null;
  /** Effective roles on the project (implied roles included); empty when unscoped. */
  roles: RoleRow[];
}

/** Why a token is not valid: for logs only; clients see one answer for every reason. */
export class TokenInvalid extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TokenInvalid';
  }
}

const MAX_TOKEN_LENGTH = 1024;
const PURGE_INTERVAL_MS = 60_000;
let lastPurge = 0;

export interface IssueRequest {
  userId: string;
  projectId: string | null;
  methods: string[];
  expiresAt: Date;
  /** Audit id of the token this one was rescoped from (Keystone's audit chain). */
  auditChainId?: string;
}

/** Whole seconds, as Keystone's tokens carry them. */
export function truncateToSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

export async function issueToken(req: IssueRequest): Promise<{ text: string; token: ValidatedToken }> {
  const text = newTokenText();
  const auditId = newAuditId();
  const row = await TokenRow.create({
    id: tokenDigest(text), user_id: req.userId, project_id: req.projectId, methods: req.methods, audit_id: auditId,
    audit_chain_id: req.auditChainId ?? auditId, issued_at: truncateToSeconds(new Date()), expires_at: truncateToSeconds(req.expiresAt),
  });
  await purgeExpiredTokens().catch(() => undefined);
  return { text, token: await load(row) };
}

/** Validates a token's text; throws TokenInvalid naming why when it is unknown, revoked, expired or no longer grants anything. */
export async function validateToken(text: string): Promise<ValidatedToken> {
  if (!text || text.length > MAX_TOKEN_LENGTH) throw new TokenInvalid('malformed token');
  const row = await TokenRow.findByPk(tokenDigest(text));
  if (!row) throw new TokenInvalid('unknown or revoked token');
  if (row.expires_at.getTime() <= Date.now()) throw new TokenInvalid(`token expired at ${row.expires_at.toISOString()}`);
  return load(row);
}

async function load(row: TokenRow): Promise<ValidatedToken> {
  const user = await UserRow.findByPk(row.user_id);
  if (!user) throw new TokenInvalid(`user ${row.user_id} no longer exists`);
  if (!user.enabled) throw new TokenInvalid(`user ${row.user_id} is disabled`);
  const userDomain = await DomainRow.findByPk(user.domain_id);
  if (!userDomain?.enabled) throw new TokenInvalid(`domain ${user.domain_id} of user ${user.id} is missing or disabled`);
  if (!row.project_id) return { row, user, userDomain, project: null, projectDomain: null, roles: [] };
  const project = await ProjectRow.findByPk(row.project_id);
  if (!project?.enabled) throw new TokenInvalid(`project ${row.project_id} is missing or disabled`);
  const projectDomain = project.domain_id === userDomain.id ? userDomain : await DomainRow.findByPk(project.domain_id);
  if (!projectDomain?.enabled) throw new TokenInvalid(`domain ${project.domain_id} of project ${project.id} is missing or disabled`);
  const roles = await effectiveRoles(user.id, project.id);
  if (!roles.length) throw new TokenInvalid(`user ${user.id} no longer has a role on project ${project.id}`);
  return { row, user, userDomain, project, projectDomain, roles };
}

/** Revokes one token; Keystone's 404 when it is not a live token. */
export async function revokeToken(text: string): Promise<void> {
  const n = await TokenRow.destroy({ where: { id: tokenDigest(text) } });
  if (n === 0) throw notFound('token', text);
}

/** Deletes expired tokens, at most once a minute per process (they are refused anyway). */
export async function purgeExpiredTokens(force = false): Promise<number> {
  const now = Date.now();
  if (!force && now - lastPurge < PURGE_INTERVAL_MS) return 0;
  lastPurge = now;
  return TokenRow.destroy({ where: { expires_at: { [Op.lte]: new Date(now) } } });
}
