import { Logger } from '../../lib/log';
import { DriverInstance, Vif } from '../driver';
import { HostExecutor } from './executor/types';

/**
 * Guest NICs and nova-network's bridges. Normally the bridge is in the host's own network namespace
 * and libvirt plugs the tap into it (`<interface type='bridge'>`); this class then has nothing to do.
 *
 * With `[DEFAULT] network_namespace` nova-network keeps its bridges in that namespace, which libvirt
 * cannot reach: the domain gets `<interface type='ethernet'>` (libvirt makes the tap in its own
 * namespace and hands the open tap to QEMU), and once the domain runs, `plug` moves the tap into the
 * namespace and enslaves it to the bridge there. Measured with libvirt 9.0 / QEMU 7.2 / Linux 6.1:
 * QEMU's open tap keeps working after the move (DHCP, TCP, suspend/resume), and when QEMU closes it
 * the kernel removes the tap from the namespace. It cannot happen earlier: after an ethernet
 * interface's <script> runs, libvirt looks the tap up by name in its own namespace and fails the start.
 */
export class VifPlugger {
  constructor(private readonly exec: HostExecutor, readonly namespace: string, private readonly log: Logger) {}

  /** True when VIFs are `<interface type='ethernet'>` plugged by this class after each start. */
  get plugsItself(): boolean { return this.namespace !== ''; }

  /** Plugs every VIF of a running domain into its bridge in the namespace (no-op without one). */
  async plug(instance: Pick<DriverInstance, 'uuid' | 'network_info'>): Promise<void> {
    if (!this.plugsItself) return;
    for (const vif of instance.network_info) {
      const { dev, bridge } = tapAndBridge(vif, instance.uuid);
      // A tap still in the host namespace is new (a fresh start); one already moved is left where it is.
      if ((await this.exec.run('ip', ['link', 'show', 'dev', dev], { okCodes: [1] })).code === 0) {
        await this.exec.run('ip', ['link', 'set', 'dev', dev, 'netns', this.namespace]);
      }
      await this.exec.run('ip', ['netns', 'exec', this.namespace, 'ip', 'link', 'set', 'dev', dev, 'master', bridge, 'up']);
      this.log.debug(`plugged ${dev} of instance ${instance.uuid} into ${bridge} in network namespace ${this.namespace}`);
    }
  }
}

/** The tap name and bridge of a VIF; both are needed to plug it. */
export function tapAndBridge(vif: Vif, instanceUuid: string): { dev: string; bridge: string } {
  const bridge = vif.network.bridge;
  if (!bridge) throw new Error(`VIF ${vif.id} of instance ${instanceUuid} has no bridge; this driver plugs VIFs into bridges only`);
  if (!vif.devname) throw new Error(`VIF ${vif.id} of instance ${instanceUuid} has no tap device name (devname), which plugging into a bridge in a network namespace needs`);
  return { dev: vif.devname, bridge };
}
