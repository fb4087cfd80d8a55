import { HostExecutor } from './executor/types';

export interface DiskInfo {
  format: string;
  virtualSize: number;
  actualSize: number;
  backingFile: string | null;
}

/** qemu-img on the hypervisor host. */
export class QemuImg {
  constructor(private exec: HostExecutor) {}

  async info(file: string): Promise<DiskInfo> {
    // -U: the file may be open in a running guest; reading its header is safe.
    const out = (await this.exec.run('qemu-img', ['info', '-U', '--output=json', file])).stdout;
    const j = JSON.parse(out) as { format: string; 'virtual-size': number; 'actual-size'?: number; 'backing-filename'?: string; 'full-backing-filename'?: string };
    return { format: j.format, virtualSize: j['virtual-size'], actualSize: j['actual-size'] ?? 0, backingFile: j['full-backing-filename'] ?? j['backing-filename'] ?? null };
  }

  async create(file: string, format: 'raw' | 'qcow2', bytes: number): Promise<void> {
    await this.exec.run('qemu-img', ['create', '-q', '-f', format, file, String(bytes)]);
  }

  /** A qcow2 overlay on `backing`, optionally larger than it. */
  async createOverlay(file: string, backing: string, backingFormat: string, bytes?: number): Promise<void> {
    await this.exec.run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', backing, '-F', backingFormat, file, ...(bytes ? [String(bytes)] : [])]);
  }

  /** Copies a disk into a standalone image of another format (following backing files). */
  async convert(src: string, srcFormat: string, dest: string, destFormat: 'raw' | 'qcow2', forceShare = false): Promise<void> {
    await this.exec.run('qemu-img', ['convert', ...(forceShare ? ['-U'] : []), '-f', srcFormat, '-O', destFormat, src, dest]);
  }

  async resize(file: string, format: string, bytes: number): Promise<void> {
    await this.exec.run('qemu-img', ['resize', '-q', '-f', format, file, String(bytes)]);
  }

  /** Points an overlay at another copy of the same base without touching data (`rebase -u`). */
  async rebaseUnsafe(file: string, backing: string, backingFormat: string): Promise<void> {
    await this.exec.run('qemu-img', ['rebase', '-u', '-f', 'qcow2', '-b', backing, '-F', backingFormat, file]);
  }
}
