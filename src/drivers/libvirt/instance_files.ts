import * as path from 'node:path';

/** Where one instance's files live on the hypervisor host (Nova's layout under instances_path). */
export class InstanceFiles {
  constructor(readonly instancesPath: string, readonly uuid: string) {}
  get dir(): string { return path.posix.join(this.instancesPath, this.uuid); }
  /** Where the source keeps the files during a cold migration or resize, until confirm or revert. */
  get resizeDir(): string { return `${this.dir}_resize`; }
  file(name: string): string { return path.posix.join(this.dir, name); }
  get disk(): string { return this.file('disk'); }
  get ephemeral(): string { return this.file('disk.local'); }
  get swap(): string { return this.file('disk.swap'); }
  get rescueDisk(): string { return this.file('disk.rescue'); }
  get kernel(): string { return this.file('kernel'); }
  get ramdisk(): string { return this.file('ramdisk'); }
  get rescueKernel(): string { return this.file('kernel.rescue'); }
  get rescueRamdisk(): string { return this.file('ramdisk.rescue'); }
  get consoleLog(): string { return this.file('console.log'); }
  get domainXml(): string { return this.file('libvirt.xml'); }
  get unrescueXml(): string { return this.file('unrescue.xml'); }
  /** JSON: which bases the disks are made from (see DiskInfo). */
  get diskInfo(): string { return this.file('disk.info'); }
}

/** One disk file of an instance and what it is made from. */
export interface DiskRecord {
  file: 'disk' | 'disk.local' | 'disk.swap';
  format: 'qcow2' | 'raw';
  /** Base file name in the image cache the disk is an overlay of (null: standalone). */
  base: string | null;
  baseFormat: 'qcow2' | 'raw' | null;
  /** Virtual size in bytes. */
  size: number;
}

/** What `disk.info` records, so moves, cleanups and rebuilds know the disks without asking qemu-img. */
export interface DiskInfo {
  image_id: string;
  kernel_id: string | null;
  ramdisk_id: string | null;
  disks: DiskRecord[];
}

/** Cache names of the swap and ephemeral bases (Nova: swap_<MiB>, ephemeral_<GiB>_<fs>). */
export const swapBaseName = (mb: number): string => `swap_${mb}`;
export const ephemeralBaseName = (gb: number): string => `ephemeral_${gb}_ext4`;
