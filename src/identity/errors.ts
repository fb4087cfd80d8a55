/**
 * Keystone's errors: each answers with `{"error": {"code", "title", "message"}}` and the status named
 * by its code, with Keystone's wording so clients and scripts see what they would from Keystone.
 */
export class IdentityError extends Error {
  constructor(readonly code: number, readonly title: string, message: string) {
    super(message);
    this.name = 'IdentityError';
  }

  body(): { error: { code: number; title: string; message: string } } {
    return { error: { code: this.code, title: this.title, message: this.message } };
  }
}

export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

export const unauthorized = (message = UNAUTHORIZED_MESSAGE) => new IdentityError(401, 'Unauthorized', message);
export const forbiddenAction = (action: string) =>
  new IdentityError(403, 'Forbidden', `You are not authorized to perform the requested action: ${action}.`);
export const forbidden = (message: string) => new IdentityError(403, 'Forbidden', message);
export const badRequest = (message: string) => new IdentityError(400, 'Bad Request', message);

export type EntityKind = 'domain' | 'project' | 'user' | 'role' | 'region' | 'service' | 'endpoint' | 'token' | 'credential';

export const notFound = (kind: EntityKind, id: string) => new IdentityError(404, 'Not Found', `Could not find ${kind}: ${id}.`);

export const conflict = (kind: string, details: string) =>
  new IdentityError(409, 'Conflict', `Conflict occurred attempting to store ${kind} - ${details}.`);

export const duplicateName = (kind: string, name: string, domainId?: string) =>
  conflict(kind, domainId === undefined ? `Duplicate entry found with name ${name}` : `Duplicate entry found with name ${name} at domain ID ${domainId}`);

export const assignmentNotFound = (roleId: string, actorId: string, targetId: string) => new IdentityError(404, 'Not Found',
  `Could not find role assignment with role: ${roleId}, user or group: ${actorId}, project, domain, or system: ${targetId}.`);

/** Keystone's body for a request that is missing an attribute. */
export const missingAttribute = (attribute: string, target: string) => badRequest(`Expecting to find ${attribute} in ${target}. ` +
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.');

/** True for sequelize's unique-constraint failure (a concurrent insert of the same name or key). */
export function isUniqueViolation(e: unknown): boolean {
  return (e as Error)?.name === 'SequelizeUniqueConstraintError';
}
