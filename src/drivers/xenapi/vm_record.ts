import { FlavorCopy } from '../../db/models/instance';
import { DriverInstance, ImageMeta } from '../driver';
import { Ref, XenRecord } from './session';

const MiB = 1024 * 1024;

/** XAPI's int64 fields travel as decimal strings. */
export const int64 = (n: number): string => String(Math.round(n));

/**
 * The record VM.create takes for an instance, as Nova's XenAPI driver builds it (no template):
 * named by the instance name, the instance uuid in other_config, memory fixed at the flavor's size,
 * HVM booting from disk unless the image says vm_mode=xen (PV through pygrub).
 */
export function vmRecord(instance: DriverInstance, image: ImageMeta, defaultOsType: string): XenRecord {
  const memory = int64(instance.flavor.memory_mb * MiB);
  const pv = image.properties.vm_mode === 'xen';
  return {
    name_label: instance.name,
    name_description: `${instance.display_name} (nova instance ${instance.uuid})`,
    user_version: int64(1),
    is_a_template: false,
    affinity: 'OpaqueRef:NULL',
    memory_static_max: memory, memory_dynamic_max: memory, memory_dynamic_min: memory, memory_static_min: memory,
    VCPUs_params: {},
    VCPUs_max: int64(instance.flavor.vcpus),
    VCPUs_at_startup: int64(instance.flavor.vcpus),
    actions_after_shutdown: 'destroy',
    actions_after_reboot: 'restart',
    actions_after_crash: 'destroy',
    PV_bootloader: pv ? 'pygrub' : '',
    PV_kernel: '', PV_ramdisk: '', PV_args: '', PV_bootloader_args: '', PV_legacy_args: '',
    HVM_boot_policy: pv ? '' : 'BIOS order',
    HVM_boot_params: pv ? {} : { order: 'dc' },
    platform: pv ? {} : { acpi: 'true', apic: 'true', pae: 'true', nx: 'true', viridian: String((image.properties.os_type ?? defaultOsType) === 'windows') },
    PCI_bus: '',
    other_config: { nova_uuid: instance.uuid },
    recommendations: '',
  };
}

export function vdiRecord(sr: Ref, name: string, sizeBytes: number, uuid: string): XenRecord {
  return {
    name_label: name, name_description: `root disk of nova instance ${uuid}`, SR: sr, virtual_size: int64(sizeBytes), type: 'user',
    sharable: false, read_only: false, other_config: { nova_uuid: uuid }, xenstore_data: {}, sm_config: {}, tags: [],
  };
}

export function vbdRecord(vm: Ref, vdi: Ref, userdevice: string, bootable: boolean): XenRecord {
  return {
    VM: vm, VDI: vdi, userdevice, bootable, mode: 'RW', type: 'Disk', empty: false, other_config: {},
    qos_algorithm_type: '', qos_algorithm_params: {},
  };
}

export function vifRecord(vm: Ref, network: Ref, device: number, mac: string, portId: string): XenRecord {
  return {
    device: String(device), network, VM: vm, MAC: mac, MTU: int64(1500), other_config: { 'nicira-iface-id': portId },
    qos_algorithm_type: '', qos_algorithm_params: {},
  };
}

/** memory limits for VM.set_memory_limits (static_min, static_max, dynamic_min, dynamic_max). */
export function memoryLimits(flavor: FlavorCopy): [string, string, string, string] {
  const m = int64(flavor.memory_mb * MiB);
  return [m, m, m, m];
}
