import { NetworkHostSetupFailed } from '../errors';
import { CommandRunner } from './exec';

interface IpAddrInfo { ifname: string; addr_info?: Array<{ family: string; local: string; prefixlen: number }> }
interface IpLinkInfo { ifname: string; master?: string; operstate?: string }

/**
 * Bridges, VLAN interfaces and addresses with `ip` (Nova's LinuxBridgeInterfaceDriver, without brctl).
 * Every operation checks first, so running it again changes nothing.
 */
export class LinkManager {
  constructor(private run: CommandRunner) {}

  async exists(dev: string): Promise<boolean> {
    return this.run.succeeds('ip', ['link', 'show', 'dev', dev]);
  }

  /** A bridge (STP off, no forwarding delay), up, with `uplink` enslaved when given. */
  async ensureBridge(bridge: string, uplink: string | null): Promise<void> {
    if (!(await this.exists(bridge))) {
      await this.run.run('ip', ['link', 'add', 'name', bridge, 'type', 'bridge', 'forward_delay', '0', 'stp_state', '0']);
    }
    await this.run.run('ip', ['link', 'set', bridge, 'up']);
    if (uplink) {
      if (!(await this.exists(uplink))) throw new NetworkHostSetupFailed({ reason: `interface ${uplink} (the uplink of bridge ${bridge}) does not exist: check flat_interface or the network's bridge_interface` });
      const info = await this.link(uplink);
      if (info?.master !== bridge) await this.run.run('ip', ['link', 'set', uplink, 'master', bridge]);
      await this.run.run('ip', ['link', 'set', uplink, 'up']);
    }
  }

  /** `vlan<N>` on the trunk interface, up; returns its name. */
  async ensureVlan(vlan: number, trunk: string): Promise<string> {
    const dev = `vlan${vlan}`;
    if (!(await this.exists(dev))) {
      if (!(await this.exists(trunk))) throw new NetworkHostSetupFailed({ reason: `VLAN trunk interface ${trunk} does not exist: check [DEFAULT] vlan_interface or the network's bridge_interface` });
      await this.run.run('ip', ['link', 'add', 'link', trunk, 'name', dev, 'type', 'vlan', 'id', String(vlan)]);
    }
    await this.run.run('ip', ['link', 'set', dev, 'up']);
    return dev;
  }

  async link(dev: string): Promise<IpLinkInfo | null> {
    const r = await this.run.run('ip', ['-j', 'link', 'show', 'dev', dev], { ok: [0, 1, 255] });
    if (r.code !== 0) return null;
    return (JSON.parse(r.stdout || '[]') as IpLinkInfo[])[0] ?? null;
  }

  /** Interfaces enslaved to a bridge. */
  async ports(bridge: string): Promise<string[]> {
    const r = await this.run.run('ip', ['-j', 'link', 'show', 'master', bridge], { ok: [0, 1, 255] });
    if (r.code !== 0) return [];
    return (JSON.parse(r.stdout || '[]') as IpLinkInfo[]).map((l) => l.ifname);
  }

  async deleteLink(dev: string): Promise<void> {
    if (await this.exists(dev)) await this.run.run('ip', ['link', 'delete', 'dev', dev], { ok: [0, 1, 2] });
  }

  /** IPv4 addresses of a device as `a.b.c.d/len`. */
  async addresses(dev: string): Promise<string[]> {
    const r = await this.run.run('ip', ['-j', '-4', 'addr', 'show', 'dev', dev], { ok: [0, 1, 255] });
    if (r.code !== 0) return [];
    const info = (JSON.parse(r.stdout || '[]') as IpAddrInfo[])[0];
    return (info?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
  }

  async addAddress(dev: string, cidr: string, brd?: string): Promise<void> {
    if ((await this.addresses(dev)).includes(cidr)) return;
    await this.run.run('ip', ['addr', 'add', cidr, ...(brd ? ['brd', brd] : []), 'dev', dev], { ok: [0, 2] });
  }

  async deleteAddress(dev: string, cidr: string): Promise<void> {
    if (!(await this.addresses(dev)).includes(cidr)) return;
    await this.run.run('ip', ['addr', 'del', cidr, 'dev', dev], { ok: [0, 2] });
  }

  /** Routing between guests' networks and the rest is the point of a network host (Nova's _enable_ipv4_forwarding). */
  async enableForwarding(): Promise<void> {
    const r = await this.run.run('sysctl', ['-n', 'net.ipv4.ip_forward']);
    if (r.stdout.trim() !== '1') await this.run.run('sysctl', ['-w', 'net.ipv4.ip_forward=1']);
  }
}
