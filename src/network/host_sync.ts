import * as fs from 'node:fs';
import * as path from 'node:path';
import { NovaConf } from '../conf/schema';
import { fixedIpsSetLeased } from '../db/api/fixed_ips';
import { Logger } from '../lib/log';
import { NetworkHostSetupFailed } from './errors';
import { emptyPlan, HostPlan, planHost } from './host_plan';
import { DnsmasqManager } from './linux_net/dnsmasq';
import { CommandRunner } from './linux_net/exec';
import { IptablesManager } from './linux_net/iptables';
import { LinkManager } from './linux_net/links';
import { ManagerKind } from './managers';

/** What this service made on the host, kept on disk so a restart can undo what is no longer wanted. */
interface AppliedRecord {
  bridges: Array<{ name: string; vlanDev: string | null; uplink: string | null; address: string | null }>;
  addresses: Array<{ dev: string; cidr: string }>;
}

/**
 * Makes one host match its plan: bridges and VLANs, gateway and floating addresses, a dnsmasq per
 * network, and our iptables chains; then removes what it made earlier that the plan no longer has.
 * Runs one at a time, so concurrent requests never interleave their changes.
 */
export class HostSync {
  readonly run: CommandRunner;
  readonly links: LinkManager;
  readonly dnsmasq: DnsmasqManager;
  readonly iptables: IptablesManager;
  readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private conf: NovaConf, private kind: ManagerKind, readonly host: string, private log: Logger) {
    this.run = new CommandRunner(conf.DEFAULT.network_namespace, log);
    this.links = new LinkManager(this.run);
    this.dir = path.join(path.resolve(conf.DEFAULT.networks_path), host);
    this.dnsmasq = new DnsmasqManager(this.run, this.dir, log);
    this.iptables = new IptablesManager(this.run);
  }

  /** Refuses to start without what the work needs, naming it and the fix. */
  async checkPrerequisites(): Promise<void> {
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new NetworkHostSetupFailed({ reason: 'it must run as root (it manages bridges, iptables and dnsmasq)' });
    }
    const ns = this.conf.DEFAULT.network_namespace;
    if (ns && !fs.existsSync(`/run/netns/${ns}`)) {
      throw new NetworkHostSetupFailed({ reason: `network namespace '${ns}' ([DEFAULT] network_namespace) does not exist: create it with \`ip netns add ${ns}\`` });
    }
    const tools = ['iptables-save', 'iptables-restore', ...(this.kind.dhcp ? ['dnsmasq'] : [])];
    for (const tool of ['ip', ...tools]) {
      await this.run.run(tool === 'ip' ? 'ip' : 'sh', tool === 'ip' ? ['-V'] : ['-c', `command -v ${tool}`]).catch(() => {
        throw new NetworkHostSetupFailed({ reason: `${tool} is not installed (run scripts/ci/setup-network.sh, or install iproute2, iptables and dnsmasq-base)` });
      });
    }
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Brings the host to what the database says it should have. */
  sync(): Promise<HostPlan> {
    return this.serialize(async () => {
      const plan = await planHost(this.conf, this.kind, this.host);
      await this.apply(plan);
      await this.recordLeases(plan);
      return plan;
    });
  }

  /** Removes everything this service made on the host. */
  teardown(): Promise<void> {
    return this.serialize(async () => { await this.apply(emptyPlan()); });
  }

  /** Records in fixed_ips which addresses dnsmasq has leased (instead of a dhcp-script callback). */
  async recordLeases(plan: HostPlan): Promise<void> {
    for (const net of plan.dhcp) await fixedIpsSetLeased(net.networkId, this.dnsmasq.leases(net.bridge).map((l) => l.ip));
  }

  private recordFile(): string { return path.join(this.dir, 'applied.json'); }

  private readRecord(): AppliedRecord {
    try { return JSON.parse(fs.readFileSync(this.recordFile(), 'utf8')) as AppliedRecord; } catch { return { bridges: [], addresses: [] }; }
  }

  private writeRecord(r: AppliedRecord): void {
    if (!r.bridges.length && !r.addresses.length) { fs.rmSync(this.recordFile(), { force: true }); return; }
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(this.recordFile(), JSON.stringify(r, null, 1));
  }

  private async apply(plan: HostPlan): Promise<void> {
    const before = this.readRecord();
    const record: AppliedRecord = { bridges: [...before.bridges], addresses: [...before.addresses] };
    const keepBridge = (r: AppliedRecord['bridges'][number]) => { record.bridges = [...record.bridges.filter((b) => b.name !== r.name), r]; this.writeRecord(record); };

    if (plan.bridges.length) await this.links.enableForwarding();
    for (const b of plan.bridges) {
      const vlanDev = b.vlan ? await this.links.ensureVlan(b.vlan.id, b.vlan.trunk) : null;
      keepBridge({ name: b.name, vlanDev, uplink: b.uplink, address: before.bridges.find((x) => x.name === b.name)?.address ?? null });
      await this.links.ensureBridge(b.name, b.uplink);
      const old = record.bridges.find((x) => x.name === b.name)?.address ?? null;
      if (old && old !== b.address?.cidr) await this.links.deleteAddress(b.name, old);
      if (b.address) await this.links.addAddress(b.name, b.address.cidr, b.address.brd);
      keepBridge({ name: b.name, vlanDev, uplink: b.uplink, address: b.address?.cidr ?? null });
    }

    for (const a of plan.addresses) {
      await this.links.addAddress(a.dev, a.cidr);
      if (!record.addresses.some((x) => x.dev === a.dev && x.cidr === a.cidr)) record.addresses.push(a);
      this.writeRecord(record);
    }

    for (const net of plan.dhcp) {
      if (this.conf.DEFAULT.force_dhcp_release) {
        for (const lease of this.dnsmasq.leases(net.bridge)) {
          if (!net.hosts.some((h) => h.ip === lease.ip && h.mac === lease.mac)) await this.dnsmasq.release(net.bridge, lease.ip, lease.mac);
        }
      }
      await this.dnsmasq.ensure(net);
    }
    for (const bridge of this.dnsmasq.bridges()) if (!plan.dhcp.some((n) => n.bridge === bridge)) await this.dnsmasq.stop(bridge);

    await this.iptables.apply(plan.iptables);

    for (const a of before.addresses.filter((x) => !plan.addresses.some((p) => p.dev === x.dev && p.cidr === x.cidr))) {
      if (await this.links.exists(a.dev)) await this.links.deleteAddress(a.dev, a.cidr);
      record.addresses = record.addresses.filter((x) => !(x.dev === a.dev && x.cidr === a.cidr));
      this.writeRecord(record);
    }
    for (const b of record.bridges.filter((x) => !plan.bridges.some((p) => p.name === x.name))) {
      const removed = await this.removeBridge(b);
      // A bridge kept for what is still plugged in stays on record: a later run removes it.
      record.bridges = record.bridges.filter((x) => x.name !== b.name).concat(removed ? [] : [{ ...b, address: null }]);
      this.writeRecord(record);
    }
  }

  /**
   * Deletes a bridge we made (and its VLAN), unless something else than its uplink is still plugged
   * in (a guest's tap): then only its address goes. True when it is gone.
   */
  private async removeBridge(b: AppliedRecord['bridges'][number]): Promise<boolean> {
    if (await this.links.exists(b.name)) {
      const others = (await this.links.ports(b.name)).filter((p) => p !== b.uplink && p !== b.vlanDev);
      if (others.length) {
        if (b.address) await this.links.deleteAddress(b.name, b.address);
        this.log.warn(`bridge ${b.name} is no longer used by nova-network but ${others.join(', ')} still plugged in: left in place without its address`);
        return false;
      }
      await this.links.deleteLink(b.name);
    }
    if (b.vlanDev) await this.links.deleteLink(b.vlanDev);
    this.log.info(`bridge ${b.name}${b.vlanDev ? ` and ${b.vlanDev}` : ''} removed`);
    return true;
  }
}
