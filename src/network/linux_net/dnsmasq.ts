import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '../../lib/log';
import { CommandRunner } from './exec';

/** One guest address dnsmasq hands out: only to this MAC (`static` range). */
export interface DhcpHost { mac: string; ip: string; hostname: string }

/** What one dnsmasq serves: a network on its bridge. */
export interface DhcpNetwork {
  /** The network's database id (leases are recorded against it). */
  networkId: number;
  bridge: string;
  label: string;
  /** The address dnsmasq listens on (the network's dhcp_server on this host). */
  listenAddress: string;
  dhcpStart: string;
  netmask: string;
  /** DHCP option 3 (router) given to guests; null gives none. */
  router: string | null;
  leaseTime: number;
  leaseMax: number;
  domain: string;
  dnsServers: string[];
  dhcpScript: string;
  hosts: DhcpHost[];
}

export interface Lease { expiry: number; mac: string; ip: string; hostname: string }

/** dnsmasq's hosts file: `MAC,HOSTNAME.DOMAIN,IP` per guest (Nova's _host_dhcp). */
export function hostsFileText(net: DhcpNetwork): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const h of net.hosts) {
    if (seen.has(h.mac)) continue;
    seen.add(h.mac);
    const name = h.hostname.length > 63 ? `${h.hostname.slice(0, 2)}-${h.hostname.slice(-60)}` : h.hostname;
    lines.push(`${h.mac},${name}.${net.domain},${h.ip}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** dnsmasq's options file: the router option, or an empty one when guests get no gateway. */
export function optsFileText(net: DhcpNetwork): string {
  return net.router ? `3,${net.router}\n` : '3\n';
}

export function parseLeases(text: string): Lease[] {
  return text.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 3 && /^\d+$/.test(f[0]))
    .map((f) => ({ expiry: Number(f[0]), mac: f[1], ip: f[2], hostname: f[3] ?? '*' }));
}

/**
 * One dnsmasq per bridge with its files in `[DEFAULT] networks_path` (`nova-<bridge>.conf` hosts,
 * `.opts`, `.leases`, `.pid`, `.args`). A change of guests rewrites the hosts file and sends SIGHUP; a
 * change of anything else restarts it.
 */
export class DnsmasqManager {
  constructor(private run: CommandRunner, readonly dir: string, private log: Logger) {}

  file(bridge: string, kind: 'conf' | 'opts' | 'leases' | 'pid' | 'args'): string {
    return path.join(this.dir, `nova-${bridge}.${kind}`);
  }

  /** The command line of a network's dnsmasq (after `dnsmasq`). */
  args(net: DhcpNetwork, runAsRoot: boolean): string[] {
    const a = [
      '--strict-order', '--bind-interfaces', '--conf-file=', `--interface=${net.bridge}`, '--except-interface=lo',
      `--listen-address=${net.listenAddress}`, `--pid-file=${this.file(net.bridge, 'pid')}`,
      `--dhcp-optsfile=${this.file(net.bridge, 'opts')}`, `--dhcp-hostsfile=${this.file(net.bridge, 'conf')}`,
      `--dhcp-leasefile=${this.file(net.bridge, 'leases')}`,
      `--dhcp-range=set:${net.label.replace(/[^A-Za-z0-9_-]/g, '_') || 'net'},${net.dhcpStart},static,${net.netmask},${net.leaseTime}s`,
      `--dhcp-lease-max=${net.leaseMax}`, '--no-hosts', `--domain=${net.domain}`,
    ];
    if (net.dhcpScript) a.push(`--dhcp-script=${net.dhcpScript}`);
    // Forward only to the servers named: never to whatever the host's resolv.conf says.
    a.push('--no-resolv', ...net.dnsServers.map((s) => `--server=${s}`));
    if (runAsRoot) a.push('--user=root', '--group=root');
    return a;
  }

  /** The pid of our dnsmasq for a bridge, when it runs (checked against its command line). */
  pid(bridge: string): number | null {
    try {
      const pid = Number(fs.readFileSync(this.file(bridge, 'pid'), 'utf8').trim());
      if (!pid) return null;
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes(this.file(bridge, 'conf')) ? pid : null;
    } catch {
      return null;
    }
  }

  /** Bridges that have dnsmasq files here (running or left from an earlier run). */
  bridges(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).map((f) => /^nova-(.+)\.args$/.exec(f)?.[1]).filter((b): b is string => !!b);
  }

  /** Starts, reloads or restarts the network's dnsmasq so it serves exactly `net`. */
  async ensure(net: DhcpNetwork): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    const hosts = hostsFileText(net);
    const opts = optsFileText(net);
    const args = this.args(net, !this.readableByOthers());
    const argsText = JSON.stringify(args);
    const hostsChanged = writeIfChanged(this.file(net.bridge, 'conf'), hosts);
    const optsChanged = writeIfChanged(this.file(net.bridge, 'opts'), opts);
    const argsChanged = writeIfChanged(this.file(net.bridge, 'args'), argsText);
    const pid = this.pid(net.bridge);
    if (pid && !argsChanged) {
      if (hostsChanged || optsChanged) {
        process.kill(pid, 'SIGHUP');
        this.log.debug(`dnsmasq ${pid} on ${net.bridge} reloaded (${net.hosts.length} host(s))`);
      }
      return;
    }
    if (pid) await this.kill(pid);
    await this.run.run('dnsmasq', args);
    this.log.info(`dnsmasq started on ${net.bridge} (${net.listenAddress}, ${net.hosts.length} host(s))`);
  }

  /** Stops a bridge's dnsmasq and removes its files. */
  async stop(bridge: string): Promise<void> {
    const pid = this.pid(bridge);
    if (pid) await this.kill(pid);
    for (const kind of ['conf', 'opts', 'leases', 'pid', 'args'] as const) fs.rmSync(this.file(bridge, kind), { force: true });
    if (pid) this.log.info(`dnsmasq on ${bridge} stopped`);
  }

  leases(bridge: string): Lease[] {
    try { return parseLeases(fs.readFileSync(this.file(bridge, 'leases'), 'utf8')); } catch { return []; }
  }

  /**
   * Ends a guest's lease at once so the address can go to another MAC: `dhcp_release` when it is
   * installed, else a restart of dnsmasq without that lease.
   */
  async release(bridge: string, ip: string, mac: string): Promise<void> {
    if (!this.leases(bridge).some((l) => l.ip === ip)) return;
    try {
      await this.run.run('dhcp_release', [bridge, ip, mac]);
      return;
    } catch (e) {
      this.log.debug(`dhcp_release ${bridge} ${ip} ${mac}: ${(e as Error).message}; restarting dnsmasq without the lease`);
    }
    const pid = this.pid(bridge);
    if (pid) await this.kill(pid);
    const file = this.file(bridge, 'leases');
    fs.writeFileSync(file, this.leases(bridge).filter((l) => l.ip !== ip).map((l) => `${l.expiry} ${l.mac} ${l.ip} ${l.hostname} *`).join('\n') + '\n');
    const args = JSON.parse(fs.readFileSync(this.file(bridge, 'args'), 'utf8')) as string[];
    await this.run.run('dnsmasq', args);
  }

  private async kill(pid: number): Promise<void> {
    try { process.kill(pid, 'SIGTERM'); } catch { return; }
    for (let i = 0; i < 100; i++) {
      try { process.kill(pid, 0); } catch { return; }
      await new Promise((r) => setTimeout(r, 20));
    }
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }

  /**
   * dnsmasq drops to `nobody` and re-reads its hosts file on SIGHUP as that user; when the directory
   * cannot be reached by others (a 0700 state_path), it has to stay root.
   */
  private readableByOthers(): boolean {
    for (let d = path.resolve(this.dir); ; d = path.dirname(d)) {
      try { if ((fs.statSync(d).mode & 0o001) === 0) return false; } catch { return false; }
      if (d === path.dirname(d)) return true;
    }
  }
}

function writeIfChanged(file: string, text: string): boolean {
  try { if (fs.readFileSync(file, 'utf8') === text) return false; } catch { /* new */ }
  fs.writeFileSync(file, text, { mode: 0o644 });
  return true;
}
