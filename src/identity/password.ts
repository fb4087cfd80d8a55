import { randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
// Keystone's scrypt defaults: N = 2^16, r = 8, p = 1 ([identity] password_hash_rounds sets log2(N)).
let rounds = 16;

/** Sets the cost of hashes made from now on; existing hashes carry their own parameters. */
export function setPasswordHashRounds(n: number): void {
  rounds = n;
}

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 128 * o.N * o.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LENGTH, options, (e, key) => (e ? reject(e) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (base64), so the cost can be raised without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const params = { N: 2 ** rounds, r: 8, p: 1 };
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (!stored) return false;
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A random password of URL- and shell-safe characters. */
export function generatePassword(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
