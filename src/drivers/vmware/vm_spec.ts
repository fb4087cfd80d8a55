import { FlavorCopy } from '../../db/models/instance';
import { Vif } from '../driver';
import { MoRef, SoapFields, typed, Typed, xsdString } from './encode';

/**
 * VirtualMachineConfigSpec pieces, fields in the vim25 WSDL's order (vCenter reads a sequence).
 * Keys below zero are placeholders vCenter replaces when it adds the device.
 */
const CONTROLLER_KEY = -100;
const DISK_KEY = -101;

export interface CreateSpecInput {
  uuid: string;
  displayName: string;
  flavor: FlavorCopy;
  datastore: string;
  guestId: string;
  vnc?: { port: number; keymap: string };
  nics: Array<{ vif: Vif; network: MoRef; networkName: string }>;
}

/** extraConfig entries Nova writes: the instance uuid, and VNC when a port was handed out. */
function extraConfig(input: Pick<CreateSpecInput, 'uuid' | 'vnc'>): Typed[] {
  const opts: Array<[string, string]> = [['nvp.vm-uuid', input.uuid]];
  if (input.vnc) {
    opts.push(['RemoteDisplay.vnc.enabled', 'true'], ['RemoteDisplay.vnc.port', String(input.vnc.port)], ['RemoteDisplay.vnc.keyMap', input.vnc.keymap]);
  }
  return opts.map(([key, value]) => typed('OptionValue', { key, value: xsdString(value) }));
}

function nicDevice(n: CreateSpecInput['nics'][number], index: number): Typed {
  return typed('VirtualDeviceConfigSpec', {
    operation: 'add',
    device: typed('VirtualVmxnet3', {
      key: -200 - index,
      backing: typed('VirtualEthernetCardNetworkBackingInfo', { deviceName: n.networkName, network: n.network }),
      connectable: { startConnected: true, allowGuestControl: true, connected: true },
      addressType: 'manual',
      macAddress: n.vif.address,
    }),
  });
}

/** The VM as CreateVM_Task makes it: named by instance uuid (as Nova does), no disk yet. */
export function createSpec(input: CreateSpecInput): SoapFields {
  return {
    name: input.uuid,
    instanceUuid: input.uuid,
    guestId: input.guestId,
    annotation: `name:${input.displayName}\ncreatedBy:nova`,
    files: { vmPathName: `[${input.datastore}]` },
    numCPUs: input.flavor.vcpus,
    memoryMB: input.flavor.memory_mb,
    deviceChange: input.nics.map(nicDevice),
    extraConfig: extraConfig(input),
  };
}

/** Adds an LSI Logic controller and the root disk, an existing file (the image's copy). */
export function attachRootDiskSpec(fileName: string): SoapFields {
  return {
    deviceChange: [
      typed('VirtualDeviceConfigSpec', {
        operation: 'add',
        device: typed('VirtualLsiLogicController', { key: CONTROLLER_KEY, busNumber: 0, sharedBus: 'noSharing' }),
      }),
      typed('VirtualDeviceConfigSpec', {
        operation: 'add',
        device: typed('VirtualDisk', {
          key: DISK_KEY,
          backing: typed('VirtualDiskFlatVer2BackingInfo', { fileName, diskMode: 'persistent', thinProvisioned: true }),
          controllerKey: CONTROLLER_KEY,
          unitNumber: 0,
          capacityInKB: 0,
        }),
      }),
    ],
  };
}

/** A disk as read back from config.hardware.device, enough to edit it. */
export interface DiskDevice {
  key: number;
  label: string;
  controllerKey: number;
  unitNumber: number;
  capacityInKB: number;
  fileName: string;
  parentFileName?: string;
}

/** Grows a disk in place (vCenter extends the file; it cannot shrink one). */
export function growDiskSpec(disk: DiskDevice, newKb: number): SoapFields {
  return {
    deviceChange: [typed('VirtualDeviceConfigSpec', {
      operation: 'edit',
      device: typed('VirtualDisk', {
        key: disk.key,
        // vCenter ignores an edit's description; govmomi's simulator needs one present.
        deviceInfo: { label: disk.label || 'Hard disk 1', summary: disk.label || 'Hard disk 1' },
        backing: typed('VirtualDiskFlatVer2BackingInfo', { fileName: disk.fileName, diskMode: 'persistent' }),
        controllerKey: disk.controllerKey,
        unitNumber: disk.unitNumber,
        capacityInKB: newKb,
      }),
    })],
  };
}

/** Memory and vCPUs of a flavor (resize, revert). */
export function flavorSpec(flavor: FlavorCopy): SoapFields {
  return { numCPUs: flavor.vcpus, memoryMB: flavor.memory_mb };
}
