import { PowerState, PowerStateValue } from '../../compute/power_state';
import { InstanceNotFound } from '../../exception';
import { DriverInstance } from '../driver';
import { Ref, XenAPIError, XenAPISession, XenRecord } from './session';
import { RpcValue } from './xmlrpc';

export const POWER_STATES: Record<string, PowerStateValue> = {
  Running: PowerState.RUNNING, Halted: PowerState.SHUTDOWN, Paused: PowerState.PAUSED, Suspended: PowerState.SUSPENDED,
};

export interface FoundVm { ref: Ref; rec: XenRecord }

const isNova = (r: XenRecord) => !r.is_a_template && !r.is_a_snapshot && !r.is_control_domain && !!(r.other_config as Record<string, RpcValue> | undefined)?.nova_uuid;

/** VM lookups and the power and removal steps of XAPI, as Nova's XenAPI driver uses them. */
export class XenVmOps {
  constructor(private s: XenAPISession) {}

  /**
   * The VM whose other_config nova_uuid is the instance's: looked up by its name first, then among
   * all VMs (a guest whose instance record is gone has no name to go by).
   */
  async find(instance: DriverInstance): Promise<FoundVm | undefined> {
    const mine = (rec: XenRecord) => isNova(rec) && (rec.other_config as Record<string, RpcValue>).nova_uuid === instance.uuid;
    for (const ref of await this.s.call<Ref[]>('VM.get_by_name_label', instance.name)) {
      const rec = await this.s.call<XenRecord>('VM.get_record', ref);
      if (mine(rec)) return { ref, rec };
    }
    const found = Object.entries(await this.s.call<Record<Ref, XenRecord>>('VM.get_all_records')).find(([, rec]) => mine(rec));
    return found ? { ref: found[0], rec: found[1] } : undefined;
  }

  async require(instance: DriverInstance): Promise<FoundVm> {
    const vm = await this.find(instance);
    if (!vm) throw new InstanceNotFound({ instance_id: instance.uuid });
    return vm;
  }

  async novaVms(): Promise<XenRecord[]> {
    return Object.values(await this.s.call<Record<Ref, XenRecord>>('VM.get_all_records')).filter(isNova);
  }

  async powerState(ref: Ref): Promise<string> { return String(await this.s.call('VM.get_power_state', ref)); }

  async start(ref: Ref): Promise<void> {
    if ((await this.powerState(ref)) === 'Halted') await this.s.call('VM.start', ref, false, false);
  }

  /** Clean shutdown when asked (falling back to hard when the guest refuses), else hard. */
  async shutdown(ref: Ref, clean: boolean): Promise<void> {
    const state = await this.powerState(ref);
    if (state === 'Halted') return;
    if (clean && state === 'Running') {
      try {
        await this.s.call('VM.clean_shutdown', ref);
        return;
      } catch (e) {
        if (!(e instanceof XenAPIError)) throw e;
      }
    }
    await this.s.call('VM.hard_shutdown', ref);
  }

  /** The VDIs behind a VM's disk VBDs, root (userdevice 0) first. */
  async disks(vm: XenRecord): Promise<Array<{ vbd: Ref; vdi: Ref; userdevice: string }>> {
    const out: Array<{ vbd: Ref; vdi: Ref; userdevice: string }> = [];
    for (const vbd of (vm.VBDs as Ref[] | undefined) ?? []) {
      const r = await this.s.call<XenRecord>('VBD.get_record', vbd);
      if (r.type === 'Disk' && !r.empty && r.VDI && r.VDI !== 'OpaqueRef:NULL') out.push({ vbd, vdi: String(r.VDI), userdevice: String(r.userdevice) });
    }
    return out.sort((a, b) => Number(a.userdevice) - Number(b.userdevice));
  }

  /** Hard shutdown, its disks destroyed (unless kept), the VM record destroyed. */
  async remove(ref: Ref, destroyDisks: boolean): Promise<void> {
    await this.shutdown(ref, false);
    const rec = await this.s.call<XenRecord>('VM.get_record', ref);
    const disks = destroyDisks ? await this.disks(rec) : [];
    await this.s.call('VM.destroy', ref);
    for (const d of disks) await this.s.call('VDI.destroy', d.vdi);
  }
}
