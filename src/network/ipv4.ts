/**
 * IPv4 address arithmetic for nova-network (what Nova did with netaddr): addresses as unsigned 32-bit
 * numbers, CIDR blocks, carving a range into equal subnets, and the usable part of a subnet.
 */

export interface Cidr {
  /** The network address as a number. */
  network: number;
  prefix: number;
  /** Addresses in the block (network and broadcast included). */
  size: number;
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIPv4(text: string): number | null {
  const m = DOTTED.exec(text.trim());
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return null;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function isIPv4(text: string): boolean {
  return parseIPv4(text) !== null;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * `a.b.c.d/n` (or a bare address, /32) to its block; host bits are dropped, as netaddr's `.cidr` does.
 * Null when it is not IPv4 CIDR notation.
 */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined) return null;
  const ip = parseIPv4(addr);
  if (ip === null) return null;
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= 32)) return null;
  return { network: (ip & maskOf(prefix)) >>> 0, prefix, size: 2 ** (32 - prefix) };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.network)}/${c.prefix}`;
}

export function netmask(c: Cidr): string { return formatIPv4(maskOf(c.prefix)); }
export function broadcast(c: Cidr): number { return c.network + c.size - 1; }

export function contains(c: Cidr, ip: number): boolean {
  return ip >= c.network && ip <= broadcast(c);
}

/** True when the two blocks share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= broadcast(b) && b.network <= broadcast(a);
}

/** The n-th address of the block (0 = network address). */
export function nth(c: Cidr, index: number): number {
  return c.network + index;
}

/** Prefix length of subnets holding `size` addresses (rounded up to a power of two). */
export function prefixForSize(size: number): number {
  return 32 - Math.ceil(Math.log2(Math.max(1, size)));
}

/** The first `count` subnets of length `prefix` inside `c`, in order (fewer if it does not hold them). */
export function subnets(c: Cidr, prefix: number, count: number): Cidr[] {
  if (prefix < c.prefix) return [];
  const size = 2 ** (32 - prefix);
  const out: Cidr[] = [];
  for (let net = c.network; net + size - 1 <= broadcast(c) && out.length < count; net += size) {
    out.push({ network: net, prefix, size });
  }
  return out;
}

/** Every address of a block, as text (for making a network's fixed IP rows or a pool's floating IPs). */
export function addresses(c: Cidr): string[] {
  const out: string[] = [];
  for (let i = 0; i < c.size; i++) out.push(formatIPv4(c.network + i));
  return out;
}

/** Compares dotted addresses numerically (for sorting). */
export function compareIPv4(a: string, b: string): number {
  return (parseIPv4(a) ?? 0) - (parseIPv4(b) ?? 0);
}
