import { instancePasswordSetOnce, PASSWORD_MAX_SIZE } from '../../db/api/instance_password';
import { InstanceNotFound } from '../../exception';
import { InstanceMetadata } from './instance_data';
import { MetadataHttpError } from './requester';

/**
 * `/openstack/<version>/password` (Nova's password.handle_password): the guest POSTs its encrypted
 * password once (at most 1020 bytes); GET returns it; a second POST is 409 until the password is
 * cleared through the Compute API (`DELETE /servers/{id}/os-server-password`).
 */

export interface PasswordRequest {
  method: string;
  /** The body, or null when it was longer than PASSWORD_MAX_SIZE (then not kept). */
  body: Buffer | null;
}

/** The answer body; after a successful POST, `stored` tells the caller to drop its cached copy. */
export async function handlePassword(md: InstanceMetadata, req: PasswordRequest): Promise<{ body: string; stored: boolean }> {
  if (req.method === 'GET' || req.method === 'HEAD') return { body: md.password ?? '', stored: false };
  if (req.method !== 'POST') throw new MetadataHttpError(400, 'GET and POST only are supported.');
  const conflict = new MetadataHttpError(409, 'There was a conflict when trying to complete your request.');
  if (md.password) throw conflict;
  if (req.body === null || req.body.length > PASSWORD_MAX_SIZE) throw new MetadataHttpError(400, 'Request is too large.');
  let stored: boolean;
  try {
    stored = await instancePasswordSetOnce(md.uuid, req.body.toString('utf8'));
  } catch (e) {
    if (e instanceof InstanceNotFound) throw new MetadataHttpError(400, e.message);
    throw e;
  }
  if (!stored) throw conflict;
  return { body: '', stored: true };
}
