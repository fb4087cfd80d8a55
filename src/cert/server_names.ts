import { isIP } from 'node:net';
import { InvalidInput } from '../exception';
import { ServerNames } from './x509';

// A host name as RFC 1123 allows it: dot-separated labels of letters, digits and inner hyphens. No
// wildcards: a console proxy certificate names the hosts it serves, nothing broader.
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function isHostName(name: string): boolean {
  return name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}

/**
 * Checks and sorts the names a server certificate is asked for: IP addresses (v4 or v6) and DNS host
 * names, duplicates dropped, order kept (the first becomes the subject's CN).
 */
export function parseServerNames(names: unknown): { first: string; names: ServerNames } {
  if (!Array.isArray(names) || names.length === 0) {
    throw new InvalidInput({ reason: 'names must be a non-empty list of host names and IP addresses the certificate is for' });
  }
  const dns: string[] = [];
  const ips: string[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = typeof raw === 'string' ? raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1') : '';
    if (seen.has(name)) continue;
    seen.add(name);
    if (isIP(name)) ips.push(name);
    else if (name && isHostName(name)) dns.push(name);
    else throw new InvalidInput({ reason: `'${String(raw)}' is neither an IP address nor a host name (letters, digits, '-' and '.'; no wildcards)` });
  }
  return { first: [...seen][0], names: { dns, ips } };
}
