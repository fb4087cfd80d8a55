import { emptyTable, IptablesState, TableRules } from './linux_net/iptables';

/**
 * The iptables rules of one host, built from what it serves (Nova's linux_net init_host,
 * metadata_forward, floating_forward_rules and get_gateway_rules, and the per-instance chains of
 * nova/virt/firewall.py's IptablesFirewallDriver). Pure: the same input always gives the same rules.
 */

export interface ServedNetwork { cidr: string; bridge: string | null; dhcp: boolean }
export interface FloatingForward { floating: string; fixed: string }

/** An ingress rule as the firewall applies it: sources already resolved to CIDRs. */
export interface FirewallRule { protocol: string | null; from_port: number | null; to_port: number | null; sources: string[] }

export interface GuestFirewall {
  /** Chain name suffix, unique per instance (Nova: `inst-<instance id>`). */
  chain: string;
  fixedIps: string[];
  /** DHCP servers the guest may hear from. */
  dhcpServers: string[];
  /** CIDRs of its networks, accepted when allow_same_net_traffic. */
  sameNet: string[];
  rules: FirewallRule[];
}

export interface HostRulesInput {
  networks: ServedNetwork[];
  floating: FloatingForward[];
  guests: GuestFirewall[];
  publicInterface: string;
  routingSourceIp: string;
  metadataHost: string;
  metadataPort: number;
  /** Install the 169.254.169.254 DNAT and the SNAT (hosts that run guests). */
  l3: boolean;
}

const h32 = (ip: string) => (ip.includes('/') ? ip : `${ip}/32`);

/** The match part of one firewall rule (protocol and ports), without source and target. */
export function ruleMatch(r: FirewallRule): string {
  const proto = r.protocol?.toLowerCase() ?? null;
  if (!proto) return '';
  if (proto === 'tcp' || proto === 'udp') {
    const from = r.from_port ?? 1;
    const to = r.to_port ?? 65535;
    return from === to ? `-p ${proto} -m ${proto} --dport ${from}` : `-p ${proto} -m multiport --dports ${from}:${to}`;
  }
  if (proto === 'icmp') {
    const type = r.from_port ?? -1;
    const code = r.to_port ?? -1;
    if (type === -1) return '-p icmp';
    return `-p icmp -m icmp --icmp-type ${code === -1 ? type : `${type}/${code}`}`;
  }
  return `-p ${proto}`;
}

/** The rules of one guest's chain: state, DHCP, same network, its groups' rules, then the fallback. */
export function guestChain(g: GuestFirewall, allowSameNet: boolean): string[] {
  const out = ['-m conntrack --ctstate INVALID -j DROP', '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'];
  for (const s of g.dhcpServers) out.push(`-s ${h32(s)} -p udp -m udp --sport 67 --dport 68 -j ACCEPT`);
  if (allowSameNet) for (const c of g.sameNet) out.push(`-s ${c} -j ACCEPT`);
  for (const r of g.rules) {
    const match = ruleMatch(r);
    for (const src of r.sources) out.push([src === '0.0.0.0/0' ? '' : `-s ${src}`, match, '-j ACCEPT'].filter(Boolean).join(' '));
  }
  out.push('-j $sg-fallback');
  return out;
}

function table(chains: Array<[string, string[]]>, hooks: Array<[string, string]>): TableRules {
  const t = emptyTable();
  for (const [name, rules] of chains) t.chains.set(name, rules);
  t.hooks = hooks.map(([builtin, chain]) => ({ builtin, chain }));
  return t;
}

/** Every rule of ours on a host; empty tables when it serves nothing (then nothing of ours is left). */
export function hostRules(i: HostRulesInput, allowSameNet: boolean): IptablesState {
  const bridges = [...new Set(i.networks.map((n) => n.bridge).filter((b): b is string => !!b))];
  const dhcpBridges = [...new Set(i.networks.filter((n) => n.dhcp && n.bridge).map((n) => n.bridge as string))];
  const anything = i.networks.length > 0 || i.guests.length > 0 || i.floating.length > 0;
  if (!anything) return { filter: emptyTable(), nat: emptyTable() };

  const local = i.guests.flatMap((g) => g.fixedIps.map((ip) => `-d ${h32(ip)} -j $inst-${g.chain}`));
  const forward = ['-j $local', ...bridges.flatMap((b) => [`-i ${b} -j ACCEPT`, `-o ${b} -j ACCEPT`])];
  const input = dhcpBridges.flatMap((b) => [
    `-i ${b} -p udp -m udp --dport 67 -j ACCEPT`, `-i ${b} -p udp -m udp --dport 53 -j ACCEPT`, `-i ${b} -p tcp -m tcp --dport 53 -j ACCEPT`,
  ]);
  const filter = table([
    ['FORWARD', forward], ['INPUT', input], ['local', local], ['sg-fallback', ['-j DROP']],
    ...i.guests.map((g): [string, string[]] => [`inst-${g.chain}`, guestChain(g, allowSameNet)]),
  ], [['FORWARD', 'FORWARD'], ['INPUT', 'INPUT']]);

  const prerouting: string[] = [];
  const output: string[] = [];
  const postrouting: string[] = [];
  const floatSnat: string[] = [];
  const snat: string[] = [];
  if (i.l3) {
    prerouting.push(i.metadataHost === '127.0.0.1'
      ? `-d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports ${i.metadataPort}`
      : `-d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination ${i.metadataHost}:${i.metadataPort}`);
    for (const n of i.networks) {
      if (i.metadataHost) postrouting.push(`-s ${n.cidr} -d ${h32(i.metadataHost)} -j ACCEPT`);
      postrouting.push(`-s ${n.cidr} -d ${n.cidr} -m conntrack ! --ctstate DNAT -j ACCEPT`);
      if (i.routingSourceIp) snat.push(`-s ${n.cidr} -o ${i.publicInterface} -j SNAT --to-source ${i.routingSourceIp}`);
    }
  }
  for (const f of i.floating) {
    prerouting.push(`-d ${h32(f.floating)} -j DNAT --to-destination ${f.fixed}`);
    output.push(`-d ${h32(f.floating)} -j DNAT --to-destination ${f.fixed}`);
    postrouting.push(`-s ${h32(f.fixed)} -m conntrack --ctstate DNAT -j SNAT --to-source ${f.floating}`);
    floatSnat.push(`-s ${h32(f.fixed)} -d ${h32(f.fixed)} -j SNAT --to-source ${f.floating}`);
    floatSnat.push(`-s ${h32(f.fixed)} -o ${i.publicInterface} -j SNAT --to-source ${f.floating}`);
  }
  postrouting.push('-j $float-snat', '-j $snat');
  const nat = table([
    ['PREROUTING', prerouting], ['OUTPUT', output], ['POSTROUTING', postrouting], ['float-snat', floatSnat], ['snat', snat],
  ], [['PREROUTING', 'PREROUTING'], ['OUTPUT', 'OUTPUT'], ['POSTROUTING', 'POSTROUTING']]);
  return { filter, nat };
}
