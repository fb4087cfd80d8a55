import { PowerState, PowerStateValue } from '../../compute/power_state';
import { NovaConf } from '../../conf/schema';
import { InstanceNotFound } from '../../exception';
import { Logger } from '../../lib/log';
import { ParsedXml, textOf } from '../../lib/xml';
import { DriverInstance } from '../driver';
import { MoRef, SoapFields } from './encode';
import { ClusterPlacement } from './inventory';
import { morefOf, VimFault } from './soap';
import { asObjects, VimSession } from './session';
import { DiskDevice } from './vm_spec';

export type VmPowerState = 'poweredOn' | 'poweredOff' | 'suspended';

/** What the driver reads about one VM. */
export interface VmState {
  ref: MoRef;
  name: string;
  powerState: VmPowerState;
  memoryMB: number;
  numCPU: number;
  disks: DiskDevice[];
  extraConfig: Record<string, string>;
  host?: MoRef;
  resourcePool?: MoRef;
  toolsRunning: boolean;
}

const VM_PATHS = ['name', 'runtime.powerState', 'config.hardware.memoryMB', 'config.hardware.numCPU', 'config.hardware.device',
  'config.extraConfig', 'runtime.host', 'resourcePool', 'guest.toolsRunningStatus'];

export const POWER_STATES: Record<VmPowerState, PowerStateValue> = {
  poweredOn: PowerState.RUNNING, poweredOff: PowerState.SHUTDOWN, suspended: PowerState.SUSPENDED,
};

/** The extraConfig options of a VM as a plain map. */
export function optionMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of asObjects((v as ParsedXml | undefined)?.OptionValue)) out[textOf(o.key)] = textOf(o.value);
  return out;
}

/** The virtual disks among a VM's devices, with the file each one (and its snapshot parent) uses. */
export function disksOf(devices: unknown): DiskDevice[] {
  return asObjects((devices as ParsedXml | undefined)?.VirtualDevice)
    .filter((d) => d['@_type'] === 'VirtualDisk')
    .map((d) => {
      const backing = (d.backing ?? {}) as ParsedXml;
      const parent = backing.parent as ParsedXml | undefined;
      return {
        key: Number(textOf(d.key)), label: textOf((d.deviceInfo as ParsedXml | undefined)?.label), controllerKey: Number(textOf(d.controllerKey)), unitNumber: Number(textOf(d.unitNumber)),
        capacityInKB: Number(textOf(d.capacityInKB)), fileName: textOf(backing.fileName),
        parentFileName: parent ? textOf(parent.fileName) || undefined : undefined,
      };
    });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Operations on one VM: lookup by instance uuid, state, power, removal. */
export class VmOps {
  constructor(private s: VimSession, private conf: NovaConf['vmware'], private log: Logger) {}

  /** The VM whose config.instanceUuid is the instance's uuid (SearchIndex.FindByUuid). */
  async find(uuid: string, place?: ClusterPlacement): Promise<MoRef | undefined> {
    const found = await this.s.invoke('FindByUuid', this.s.content.searchIndex, {
      datacenter: place?.datacenter, uuid, vmSearch: true, instanceUuid: true,
    });
    return found ? morefOf(found) : undefined;
  }

  async require(instance: DriverInstance, place?: ClusterPlacement): Promise<MoRef> {
    const ref = await this.find(instance.uuid, place);
    if (!ref) throw new InstanceNotFound({ instance_id: instance.uuid });
    return ref;
  }

  async state(ref: MoRef): Promise<VmState> {
    const p = await this.s.properties(ref, VM_PATHS);
    return {
      ref, name: textOf(p.name), powerState: textOf(p['runtime.powerState']) as VmPowerState,
      memoryMB: Number(textOf(p['config.hardware.memoryMB'])), numCPU: Number(textOf(p['config.hardware.numCPU'])),
      disks: disksOf(p['config.hardware.device']), extraConfig: optionMap(p['config.extraConfig']),
      host: p['runtime.host'] ? morefOf(p['runtime.host']) : undefined,
      resourcePool: p.resourcePool ? morefOf(p.resourcePool) : undefined,
      toolsRunning: textOf(p['guest.toolsRunningStatus']) === 'guestToolsRunning',
    };
  }

  /** Nova's VMs in the cluster (those carrying extraConfig nvp.vm-uuid): name and instance uuid. */
  async listNova(place: ClusterPlacement): Promise<Array<{ name: string; uuid: string; extraConfig: Record<string, string> }>> {
    const vms = await this.s.objectsIn(place.cluster, 'VirtualMachine', ['name', 'config.extraConfig']);
    return vms.map((v) => ({ name: textOf(v.props.name), extraConfig: optionMap(v.props['config.extraConfig']) }))
      .filter((v) => v.extraConfig['nvp.vm-uuid'])
      .map((v) => ({ name: v.name, uuid: v.extraConfig['nvp.vm-uuid'], extraConfig: v.extraConfig }));
  }

  async reconfigure(ref: MoRef, spec: SoapFields, what: string): Promise<void> {
    await this.s.runTask('ReconfigVM_Task', ref, { spec }, what);
  }

  async powerOn(ref: MoRef): Promise<void> {
    const st = await this.state(ref);
    if (st.powerState !== 'poweredOn') await this.s.runTask('PowerOnVM_Task', ref, {}, 'PowerOnVM_Task');
  }

  /** Powers off; with a timeout and VMware Tools running, asks the guest first (ShutdownGuest). */
  async powerOff(ref: MoRef, timeoutSec = 0, retryIntervalSec = 5): Promise<void> {
    let st = await this.state(ref);
    if (st.powerState === 'poweredOff') return;
    if (timeoutSec > 0 && st.powerState === 'poweredOn' && st.toolsRunning) {
      await this.s.invoke('ShutdownGuest', ref);
      const end = Date.now() + timeoutSec * 1000;
      while (Date.now() < end) {
        await sleep(Math.min(retryIntervalSec * 1000, Math.max(end - Date.now(), 0)));
        st = await this.state(ref);
        if (st.powerState === 'poweredOff') return;
      }
      this.log.info(`guest of ${st.name} did not shut down in ${timeoutSec}s: powering it off`);
    }
    await this.s.runTask('PowerOffVM_Task', ref, {}, 'PowerOffVM_Task');
  }

  /** Soft: RebootGuest when VMware Tools run, else (or when the guest cannot) a reset, as Nova does. */
  async reboot(ref: MoRef, soft: boolean): Promise<void> {
    const st = await this.state(ref);
    if (st.powerState !== 'poweredOn') {
      await this.powerOn(ref);
      return;
    }
    if (soft && st.toolsRunning) {
      try {
        await this.s.invoke('RebootGuest', ref);
        return;
      } catch (e) {
        if (!(e instanceof VimFault)) throw e;
        this.log.info(`RebootGuest of ${st.name} refused (${e.faultType}): doing a hard reboot`);
      }
    } else if (soft) {
      this.log.info(`VMware Tools are not running in ${st.name}: doing a hard reboot`);
    }
    await this.s.runTask('ResetVM_Task', ref, {}, 'ResetVM_Task');
  }

  async suspend(ref: MoRef): Promise<void> {
    const st = await this.state(ref);
    if (st.powerState === 'suspended') return;
    if (st.powerState !== 'poweredOn') throw new Error(`cannot suspend ${st.name}: it is ${st.powerState}`);
    await this.s.runTask('SuspendVM_Task', ref, {}, 'SuspendVM_Task');
  }

  /** Powers off and removes the VM; `keepFiles` unregisters it instead (its folder stays). */
  async remove(ref: MoRef, keepFiles: boolean): Promise<void> {
    const st = await this.state(ref);
    if (st.powerState !== 'poweredOff') await this.s.runTask('PowerOffVM_Task', ref, {}, 'PowerOffVM_Task');
    if (keepFiles) await this.s.invoke('UnregisterVM', ref);
    else await this.s.runTask('Destroy_Task', ref, {}, 'Destroy_Task');
  }

  /** The lowest VNC port in [vnc_port, vnc_port + vnc_port_total) no VM of the cluster uses. */
  async freeVncPort(place: ClusterPlacement): Promise<number> {
    const vms = await this.s.objectsIn(place.cluster, 'VirtualMachine', ['config.extraConfig']);
    const used = new Set(vms.map((v) => Number(optionMap(v.props['config.extraConfig'])['RemoteDisplay.vnc.port'])).filter(Number.isFinite));
    for (let p = this.conf.vnc_port; p < this.conf.vnc_port + this.conf.vnc_port_total; p++) if (!used.has(p)) return p;
    throw new Error(`no free VNC port in [vmware] vnc_port ${this.conf.vnc_port} + vnc_port_total ${this.conf.vnc_port_total}`);
  }

  /** The ESX host name a VM runs on (where its VNC port listens). */
  async hostName(ref: MoRef): Promise<string> {
    const st = await this.state(ref);
    if (!st.host) throw new Error(`VM ${st.name} is on no host`);
    return textOf(await this.s.property(st.host, 'name'));
  }
}
