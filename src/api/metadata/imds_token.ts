import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MetadataHttpError } from './requester';

/**
 * IMDSv2 session tokens (`PUT /latest/api/token`), for clients that ask for one first (Debian's
 * ec2metadata, botocore, cloud-init). A token is bound to the instance that asked for it and expires
 * after the TTL the client chose; it is signed with a per-process key, so a restart ends sessions
 * and clients ask again. Requests without a token are still answered, as with IMDSv1.
 */

export const TOKEN_PATH = '/latest/api/token';
export const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
export const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const MAX_TTL_S = 21600;

export class ImdsTokens {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number = Date.now) {}

  private mac(expires: number, instanceUuid: string): string {
    return createHmac('sha256', this.key).update(`${expires}|${instanceUuid}`).digest('base64url');
  }

  /** A token for `instanceUuid`; the TTL header must be a whole number of seconds from 1 to 21600. */
  issue(ttlHeader: string | undefined, instanceUuid: string): { token: string; ttl: number } {
    const ttl = Number(ttlHeader);
    if (ttlHeader === undefined || !/^\d+$/.test(ttlHeader.trim()) || ttl < 1 || ttl > MAX_TTL_S) {
      throw new MetadataHttpError(400, `${TTL_HEADER} must be a whole number of seconds from 1 to ${MAX_TTL_S}.`);
    }
    const expires = Math.floor(this.now() / 1000) + ttl;
    return { token: `${expires}.${this.mac(expires, instanceUuid)}`, ttl };
  }

  /** True when `token` was issued to `instanceUuid` by this process and has not expired. */
  valid(token: string, instanceUuid: string): boolean {
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
    if (!m) return false;
    const expires = Number(m[1]);
    const expected = Buffer.from(this.mac(expires, instanceUuid));
    const given = Buffer.from(m[2]);
    return given.length === expected.length && timingSafeEqual(given, expected) && expires * 1000 > this.now();
  }
}
