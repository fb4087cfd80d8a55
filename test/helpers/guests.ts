import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteNamespace, inNs, makeNamespace } from './netns';

/**
 * "Guests" for the nova-network namespace tests: a namespace per guest, linked by a veth pair whose
 * host end is plugged into the network's bridge (as libvirt plugs a tap), with the instance's MAC;
 * it takes its address from dnsmasq with busybox udhcpc and can serve or reach a TCP port.
 */

const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route replace default via "\${router%% *}" dev "$interface"
    ;;
esac
exit 0
`;

let scriptFile = '';
function udhcpcScript(): string {
  if (!scriptFile) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'network-udhcpc-'));
    scriptFile = path.join(dir, 'script.sh');
    fs.writeFileSync(scriptFile, UDHCPC_SCRIPT, { mode: 0o755 });
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return scriptFile;
}

export interface Guest { ns: string; hostEnd: string; servers: ChildProcess[] }

/** A guest namespace whose eth0 (with `mac`) is linked to `bridge` in the host namespace `hostNs`. */
export function attachGuest(hostNs: string, bridge: string, mac: string, tag: string): Guest {
  const ns = makeNamespace(tag);
  const hostEnd = `v${ns.slice(-8)}`.slice(0, 15);
  inNs(hostNs, 'ip', 'link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
  inNs(hostNs, 'ip', 'link', 'set', hostEnd, 'master', bridge);
  inNs(hostNs, 'ip', 'link', 'set', hostEnd, 'up');
  inNs(ns, 'ip', 'link', 'set', 'eth0', 'address', mac);
  inNs(ns, 'ip', 'link', 'set', 'eth0', 'up');
  return { ns, hostEnd, servers: [] };
}

/** Runs busybox udhcpc in the guest; returns the IPv4 address eth0 got (null when none was offered). */
export function dhcp(g: Guest): string | null {
  const r = spawnSync('ip', ['netns', 'exec', g.ns, 'busybox', 'udhcpc', '-i', 'eth0', '-n', '-q', '-f', '-t', '5', '-T', '1', '-s', udhcpcScript()], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const info = JSON.parse(inNs(g.ns, 'ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0')) as Array<{ addr_info: Array<{ local: string }> }>;
  return info[0]?.addr_info[0]?.local ?? null;
}

/** A TCP server in the guest answering `hello from NAME` on `port`; resolves once it listens. */
export async function serve(g: Guest, port: number, name: string): Promise<void> {
  const code = `require('net').createServer((s) => s.end('hello from ${name}\\n')).listen(${port}, () => console.log('ready'))`;
  const child = spawn('ip', ['netns', 'exec', g.ns, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  g.servers.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
    child.on('exit', (c) => reject(new Error(`server in ${g.ns} exited with ${c}`)));
  });
}

/**
 * Connects from namespace `fromNs` to `address:port`: the answer, or null when no connection is made
 * within `waitMs` (dropped by a firewall) or it is refused.
 */
export function connect(fromNs: string, address: string, port: number, waitMs = 1500): string | null {
  const code = `const s = require('net').connect({ host: '${address}', port: ${port} });
    const t = setTimeout(() => process.exit(2), ${waitMs});
    s.on('data', (d) => { process.stdout.write(d); clearTimeout(t); s.destroy(); });
    s.on('error', () => process.exit(3));`;
  const r = spawnSync('ip', ['netns', 'exec', fromNs, process.execPath, '-e', code], { encoding: 'utf8' });
  return r.status === 0 && r.stdout ? r.stdout.trim() : null;
}

export function removeGuest(g: Guest): void {
  for (const s of g.servers) s.kill('SIGKILL');
  // Deleting a namespace frees its veths later (the kernel cleans namespaces up asynchronously), which
  // would leave the host end on the bridge when nova-network tears it down: delete the pair now.
  try { inNs(g.ns, 'ip', 'link', 'del', 'eth0'); } catch { /* already gone */ }
  deleteNamespace(g.ns);
}

/** An "outside" namespace reaching the host namespace through `hostIf` (given `hostCidr`), routing `routes` via it. */
export function attachOutside(hostNs: string, hostIf: string, hostCidr: string, outsideCidr: string, routes: string[]): string {
  const ns = makeNamespace('out');
  inNs(hostNs, 'ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
  inNs(hostNs, 'ip', 'addr', 'add', hostCidr, 'dev', hostIf);
  inNs(hostNs, 'ip', 'link', 'set', hostIf, 'up');
  inNs(ns, 'ip', 'addr', 'add', outsideCidr, 'dev', 'eth0');
  inNs(ns, 'ip', 'link', 'set', 'eth0', 'up');
  const gateway = hostCidr.split('/')[0];
  for (const r of routes) inNs(ns, 'ip', 'route', 'add', r, 'via', gateway);
  return ns;
}
