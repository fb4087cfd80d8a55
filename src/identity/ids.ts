import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Keystone's entity ids: a UUID4 without dashes. */
export function newId(): string {
  return randomUUID().replace(/-/g, '');
}

/** A token's text: 32 random bytes, URL-safe. Only its digest is stored. */
export function newTokenText(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Keystone's audit ids: 16 random bytes, URL-safe base64 without padding (22 characters). */
export function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}
