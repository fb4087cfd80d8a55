import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a known_hosts file says about the key a host presented. */
export type HostKeyVerdict =
  | { status: 'known'; line: number }
  | { status: 'unknown' }
  | { status: 'changed'; line: number; knownType: string }
  | { status: 'revoked'; line: number };

/** The name OpenSSH files a host under: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type inside an SSH public key blob (its first length-prefixed string). */
export function keyType(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('latin1');
}

/** OpenSSH's SHA256 fingerprint of a key blob. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** One known_hosts line for a host and key, as `ssh` writes it (unhashed). */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  return `${knownHostsName(host, port)} ${keyType(key)} ${key.toString('base64')}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

/** Whether the host field of a line (patterns, or one hashed `|1|salt|hash` entry) names `name`. */
function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const want = Buffer.from(hash, 'base64');
    const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return want.length === got.length && timingSafeEqual(want, got);
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatch(pattern.slice(1), name)) return false; // a negated match excludes the line
    } else if (globMatch(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/**
 * Checks a presented host key against the text of a known_hosts file, as OpenSSH does:
 * a revoked key is refused, a listed key is known, another key of the same type for the same host
 * means the key changed, and anything else is unknown. `@cert-authority` lines are not supported
 * (host certificates are not accepted) and are skipped.
 */
export function checkHostKey(text: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const type = keyType(key);
  const blob = key.toString('base64');
  let known: HostKeyVerdict | undefined;
  let changed: HostKeyVerdict | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const marker = words[0].startsWith('@') ? words.shift() : undefined;
    const [hosts, lineType, lineKey] = words;
    if (!hosts || !lineType || !lineKey || marker === '@cert-authority') continue;
    if (!hostFieldMatches(hosts, name) && !(marker === '@revoked' && hosts === '*')) continue;
    if (marker === '@revoked') {
      if (lineKey === blob) return { status: 'revoked', line: i + 1 };
      continue;
    }
    if (lineKey === blob && lineType === type) known ??= { status: 'known', line: i + 1 };
    else if (lineType === type) changed ??= { status: 'changed', line: i + 1, knownType: lineType };
  }
  return known ?? changed ?? { status: 'unknown' };
}
