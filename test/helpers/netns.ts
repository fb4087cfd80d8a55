import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * Network namespaces for the nova-network tests: everything the service does happens inside one the
 * test makes, so the host is never touched, and deleting it removes every device and rule.
 */

let counter = 0;

/** Why these tests cannot run here (not root, a tool missing), or null. */
export function networkTestsUnavailable(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'needs root (network namespaces)';
  for (const tool of ['ip', 'iptables-save', 'iptables-restore', 'dnsmasq']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed (run scripts/ci/setup-network.sh)`;
  }
  return null;
}

export function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs a command inside a namespace; returns stdout. */
export function inNs(ns: string, cmd: string, ...args: string[]): string {
  return sh('ip', ['netns', 'exec', ns, cmd, ...args]);
}

/** Runs a command inside a namespace; returns its exit code and output without throwing. */
export function tryInNs(ns: string, cmd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** A fresh namespace with lo up; the name is unique to this process. */
export function makeNamespace(tag: string): string {
  const name = `nvt${process.pid}${tag}${++counter}`.slice(0, 15);
  sh('ip', ['netns', 'add', name]);
  inNs(name, 'ip', 'link', 'set', 'lo', 'up');
  return name;
}

export function deleteNamespace(name: string): void {
  if (listNamespaces().includes(name)) sh('ip', ['netns', 'delete', name]);
}

export function listNamespaces(): string[] {
  return sh('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
}

/** Links of a namespace by name, with their kind (bridge, vlan, veth, dummy ...) and master. */
export function links(ns: string): Array<{ name: string; kind: string | null; master: string | null }> {
  const list = JSON.parse(inNs(ns, 'ip', '-d', '-j', 'link', 'show')) as Array<{ ifname: string; master?: string; linkinfo?: { info_kind?: string } }>;
  return list.map((l) => ({ name: l.ifname, kind: l.linkinfo?.info_kind ?? null, master: l.master ?? null }));
}

export function addresses(ns: string, dev: string): string[] {
  const r = JSON.parse(inNs(ns, 'ip', '-j', '-4', 'addr', 'show', 'dev', dev)) as Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>;
  return (r[0]?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`);
}

/** Our iptables lines in a namespace (chains and rules named nova-network-*). */
export function ourRules(ns: string): string[] {
  return inNs(ns, 'iptables-save').split('\n').filter((l) => l.includes('nova-network-'));
}

/** Running dnsmasq processes whose command line mentions `marker` (a test's state path). */
export function dnsmasqProcesses(marker: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.startsWith('dnsmasq') && cmd.includes(marker)) out.push(Number(pid));
    } catch { /* gone */ }
  }
  return out;
}

/**
 * A stand-in for public_interface or a VLAN trunk: one end of a veth pair whose peer (`<name>p`) stays
 * in the namespace too, both up (this kernel has no dummy interfaces).
 */
export function addDummy(ns: string, name: string, cidr?: string): void {
  inNs(ns, 'ip', 'link', 'add', name, 'type', 'veth', 'peer', 'name', `${name}p`);
  inNs(ns, 'ip', 'link', 'set', name, 'up');
  inNs(ns, 'ip', 'link', 'set', `${name}p`, 'up');
  if (cidr) inNs(ns, 'ip', 'addr', 'add', cidr, 'dev', name);
}

/** True when this kernel makes 802.1Q VLAN interfaces (CONFIG_VLAN_8021Q); probed in a scratch namespace. */
export function kernelHasVlans(): boolean {
  const ns = makeNamespace('vq');
  try {
    inNs(ns, 'ip', 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1');
    return tryInNs(ns, 'ip', 'link', 'add', 'link', 'p0', 'name', 'p0.5', 'type', 'vlan', 'id', '5').code === 0;
  } finally {
    deleteNamespace(ns);
  }
}

export interface HostLink { hostIf: string; hostAddr: string; nsAddr: string }

/**
 * A veth pair from the host's own namespace into `ns`, for reaching a service of the test process
 * (which runs in the host namespace) from inside, e.g. nova-api-metadata behind the 169.254.169.254
 * DNAT. Its /30 is taken from 198.51.100.0/24 (TEST-NET-2) by pid; `routes` (a fixed range) lead back
 * through it, so answers find the guests. removeHostLink deletes the pair and with it those routes.
 */
export function linkToHost(ns: string, routes: string[]): HostLink {
  const base = (process.pid % 64) * 4;
  const link: HostLink = { hostIf: `nvt${process.pid}md`.slice(0, 15), hostAddr: `198.51.100.${base + 1}`, nsAddr: `198.51.100.${base + 2}` };
  sh('ip', ['link', 'add', link.hostIf, 'type', 'veth', 'peer', 'name', 'md0', 'netns', ns]);
  sh('ip', ['addr', 'add', `${link.hostAddr}/30`, 'dev', link.hostIf]);
  sh('ip', ['link', 'set', link.hostIf, 'up']);
  inNs(ns, 'ip', 'addr', 'add', `${link.nsAddr}/30`, 'dev', 'md0');
  inNs(ns, 'ip', 'link', 'set', 'md0', 'up');
  for (const r of routes) sh('ip', ['route', 'add', r, 'via', link.nsAddr, 'dev', link.hostIf]);
  return link;
}

export function removeHostLink(link: HostLink): void {
  if (spawnSync('ip', ['link', 'show', 'dev', link.hostIf]).status === 0) sh('ip', ['link', 'delete', link.hostIf]);
}

/** Names of the links in the host's own namespace. */
export function hostLinks(): string[] {
  return (JSON.parse(sh('ip', ['-j', 'link', 'show'])) as Array<{ ifname: string }>).map((l) => l.ifname);
}
