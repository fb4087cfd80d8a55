import * as fs from 'node:fs';
import * as path from 'node:path';
import { FlavorCopy } from '../../db/models/instance';
import { DriverInstance, ImageMeta } from '../driver';
import { LibvirtSettings } from './config';
import { renderTemplate, TemplateScope } from './template';
import { tapAndBridge } from './vifs';

/** templates/libvirt/domain.xml, from dist/src/drivers/libvirt or src/drivers/libvirt alike. */
const TEMPLATE_FILE = path.resolve(__dirname, '..', '..', '..', ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? ['..'] : []), 'templates', 'libvirt', 'domain.xml');
let templateText: string | undefined;

export type DiskBus = 'virtio' | 'sata' | 'scsi' | 'ide';
const BUS_PREFIX: Record<DiskBus, string> = { virtio: 'vd', sata: 'sd', scsi: 'sd', ide: 'hd' };

export interface GuestDisk {
  path: string;
  format: 'qcow2' | 'raw';
}

export interface DomainSpec {
  instance: DriverInstance;
  flavor: FlavorCopy;
  image: ImageMeta;
  /** In boot order: the first is the root disk. */
  disks: GuestDisk[];
  kernel?: string | null;
  ramdisk?: string | null;
  consoleLog: string;
  /** The TCP port of the serial console ([serial_console] enabled), from SerialPorts.forGuest. */
  serialPort?: number | null;
}

/** The disk bus an image asks for (hw_disk_bus), virtio by default. */
export function diskBus(image: ImageMeta): DiskBus {
  const bus = image.properties.hw_disk_bus;
  if (!bus) return 'virtio';
  if (!(bus in BUS_PREFIX)) throw new Error(`image ${image.id} asks for hw_disk_bus=${bus}, which this driver does not support (virtio, sata, scsi, ide)`);
  return bus as DiskBus;
}

/** vda, vdb, ... sdz, sdaa: the guest device name of the n-th disk on a bus. */
export function deviceName(bus: DiskBus, index: number): string {
  let suffix = '';
  let n = index;
  do { suffix = String.fromCharCode(97 + (n % 26)) + suffix; n = Math.floor(n / 26) - 1; } while (n >= 0);
  return BUS_PREFIX[bus] + suffix;
}

/** Nova's kernel command line for direct kernel boot, unless the image sets os_command_line. */
export function kernelCmdline(image: ImageMeta): string {
  return image.properties.os_command_line || `root=/dev/${deviceName(diskBus(image), 0)} console=tty0 console=ttyS0`;
}

function cpuScope(s: LibvirtSettings, vcpus: number): TemplateScope | null {
  if (s.cpuMode === 'none') return null;
  if (s.cpuMode === 'custom') return { mode: 'custom', custom: true, model: s.cpuModels[0], sockets: vcpus };
  return { mode: s.cpuMode, custom: false, model: null, sockets: vcpus };
}

function requireSerialPort(spec: DomainSpec): number {
  if (!spec.serialPort) throw new Error(`[serial_console] is enabled but no serial port was picked for instance ${spec.instance.uuid}`);
  return spec.serialPort;
}

/** What the template is filled with: everything decided here, nothing computed in the template. */
export function domainScope(spec: DomainSpec, s: LibvirtSettings): TemplateScope {
  const { instance, flavor, image } = spec;
  const bus = diskBus(image);
  const graphics = s.vnc.enabled || s.spice.enabled;
  return {
    domain_type: s.virtType,
    name: instance.name,
    uuid: instance.uuid,
    display_name: instance.display_name,
    user_id: instance.user_id,
    project_id: instance.project_id,
    image_id: image.id,
    flavor: { name: flavor.name, memory_mb: flavor.memory_mb, root_gb: flavor.root_gb, swap: flavor.swap, ephemeral_gb: flavor.ephemeral_gb, vcpus: flavor.vcpus },
    memory_mb: flavor.memory_mb,
    vcpus: flavor.vcpus,
    arch: image.properties.hw_architecture || image.properties.architecture || 'x86_64',
    kernel: spec.kernel ?? null,
    ramdisk: spec.kernel ? spec.ramdisk ?? null : null,
    cmdline: spec.kernel ? kernelCmdline(image) : null,
    cpu: cpuScope(s, flavor.vcpus),
    disks: spec.disks.map((d, i) => ({ path: d.path, format: d.format, dev: deviceName(bus, i), bus })),
    vifs: instance.network_info.map((vif) => {
      const model = image.properties.hw_vif_model || 'virtio';
      // Bridges in a network namespace: libvirt only makes the tap; VifPlugger plugs it (vifs.ts).
      if (s.vifNamespace) return { mac: vif.address, ethernet: true, bridge: null, devname: tapAndBridge(vif, instance.uuid).dev, model };
      const bridge = vif.network.bridge;
      if (!bridge) throw new Error(`VIF ${vif.id} of instance ${instance.uuid} has no bridge; this driver plugs VIFs into bridges only`);
      return { mac: vif.address, ethernet: false, bridge, devname: vif.devname ?? null, model };
    }),
    console_log: spec.consoleLog,
    // With serial consoles the serial port listens on TCP for nova-serialproxy and still logs to console.log.
    serial_tcp: s.serial.enabled ? { host: s.serial.listen, port: requireSerialPort(spec) } : null,
    vnc: s.vnc.enabled ? { listen: s.vnc.listen } : null,
    spice: s.spice.enabled ? { listen: s.spice.listen } : null,
    video: graphics ? image.properties.hw_video_model || 'vga' : null,
  };
}

export function renderDomainXml(spec: DomainSpec, s: LibvirtSettings): string {
  templateText ??= fs.readFileSync(TEMPLATE_FILE, 'utf8');
  return renderTemplate(templateText, domainScope(spec, s), TEMPLATE_FILE);
}
