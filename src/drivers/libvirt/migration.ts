import * as path from 'node:path';
import { ResizeError } from '../../exception';
import { FlavorCopy } from '../../db/models/instance';
import { DriverInstance, ImageMeta, MigrationTarget } from '../driver';
import { ephemeralBase, guestDisks, readDiskInfo, swapBase } from './disks';
import { renderDomainXml } from './domain_xml';
import type { LibvirtDriver } from './driver';
import { HostExecutor } from './executor/types';
import { executorFor, LibvirtHost } from './host';
import { DiskInfo } from './instance_files';
import { parseConnectionUri, sameHypervisor } from './uri';


const GIB = 1024 ** 3;

/** What the source hands the destination (Nova's disk_info of migrate_disk_and_power_off). */
export interface MigratedDisks {
  source_host: string;
  dest_dir: string;
  same_host: boolean;
  disk_info: DiskInfo;
  /** Files copied, beside the disks. */
  files: string[];
}

/** Files of an instance directory that move with it. */
const MOVED_FILES = ['disk', 'disk.local', 'disk.swap', 'kernel', 'ramdisk', 'disk.info', 'console.log'];

/** `host`, `user@host:port` or a URI: the libvirt URI another host reaches this one by. */
export function inboundUri(addr: string): string {
  if (addr.includes('://')) return addr;
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(addr.trim());
  if (!m) throw new Error(`[libvirt] migration_inbound_addr '${addr}' is not host, user@host:port or a qemu+ssh:// URI`);
  return `qemu+ssh://${m[1] ? `${m[1]}@` : ''}${m[2]}${m[3] ? `:${m[3]}` : ''}/system`;
}

/**
 * Cold migration and resize. The source stops the guest, keeps its directory as `<uuid>_resize`
 * (for a revert) and copies the disks into the destination's instances_path through the two hosts'
 * executors (SFTP when the destination is remote). The destination re-creates the bases from the
 * image service, points the overlays at them, grows the root disk to the new flavor and defines
 * the guest. Confirm drops the source copy; revert brings it back (and defines the source's domain
 * again from its saved XML: on a move to another host the source undefines it once the disks left).
 */
export class Migration {
  constructor(private host: LibvirtHost, private driver: LibvirtDriver, private hostName: () => string) {}

  /** How a source reaches this host as a destination. */
  async target(): Promise<Omit<MigrationTarget, 'dest_host'>> {
    const s = this.host.settings;
    const address = s.address.ssh ? s.address.uri : inboundUri(s.migrationInboundAddr);
    return { dest_address: address, dest_instances_path: s.instancesPath };
  }

  async migrateDiskAndPowerOff(instance: DriverInstance, dest: MigrationTarget, newFlavor: FlavorCopy): Promise<Record<string, unknown>> {
    const old = instance.flavor;
    if (newFlavor.root_gb < old.root_gb || newFlavor.ephemeral_gb < old.ephemeral_gb) {
      throw new ResizeError({ reason: 'Unable to resize disk down.' });
    }
    await this.driver.requireDomain(instance);
    const s = this.host.settings;
    const destAddress = dest.dest_address ? parseConnectionUri(dest.dest_address) : s.address;
    const sameHost = sameHypervisor(destAddress, s.address) || dest.dest_host === this.hostName();
    if (!sameHost && !destAddress.ssh) {
      throw new ResizeError({ reason: `destination ${dest.dest_host} gave no remote address (${dest.dest_address ?? 'none'}): set its [libvirt] migration_inbound_addr` });
    }
    const files = this.host.files(instance.uuid);
    const info = await readDiskInfo(this.host.exec, files.diskInfo);
    if (!info) throw new ResizeError({ reason: `${files.diskInfo} is missing on the source` });

    await this.driver.powerOff(instance);
    const destExec: HostExecutor = sameHost ? this.host.exec : executorFor(destAddress, s, this.host.log);
    const destDir = path.posix.join(dest.dest_instances_path ?? s.instancesPath, instance.uuid);
    const { exec } = this.host;
    await exec.remove(files.resizeDir);
    await exec.rename(files.dir, files.resizeDir);
    const moved: string[] = [];
    try {
      await destExec.mkdir(destDir);
      for (const name of MOVED_FILES) {
        const from = path.posix.join(files.resizeDir, name);
        if (!(await exec.stat(from))) continue;
        const to = path.posix.join(destDir, name);
        if (sameHost) await exec.run('cp', ['--sparse=always', '--', from, to]);
        else await destExec.writeStream(to, await exec.createReadStream(from));
        moved.push(name);
      }
      // The destination defines the guest under the same uuid, which one libvirtd refuses twice (two
      // hosts may share a libvirtd): the definition waits in <uuid>_resize/libvirt.xml for a revert.
      if (!sameHost) await this.host.removeDomain(instance.name);
    } catch (e) {
      await destExec.remove(destDir).catch(() => undefined);
      await exec.remove(files.dir).catch(() => undefined);
      await exec.rename(files.resizeDir, files.dir).catch(() => undefined);
      throw e;
    } finally {
      if (!sameHost) await destExec.close();
    }
    const result: MigratedDisks = { source_host: this.hostName(), dest_dir: destDir, same_host: sameHost, disk_info: info, files: moved };
    return result as unknown as Record<string, unknown>;
  }

  async finishMigration(instance: DriverInstance, raw: Record<string, unknown>, image: ImageMeta, resize: boolean, powerOn: boolean): Promise<void> {
    const moved = raw as unknown as MigratedDisks;
    const files = this.host.files(instance.uuid);
    if (moved.dest_dir !== files.dir) {
      throw new ResizeError({ reason: `the disks were copied to ${moved.dest_dir} but this host keeps instances in ${files.dir}` });
    }
    const info = moved.disk_info;
    const flavor = instance.flavor;
    const deps = { exec: this.host.exec, qemuImg: this.host.qemuImg, cache: this.host.cache, imagesType: this.host.settings.imagesType };
    try {
      // Overlays name the source's cache: point them at this host's copy of the same bases.
      for (const d of info.disks) {
        if (!d.base) continue;
        const disk = files.file(d.file);
        const base = d.file === 'disk' ? await this.host.cache.fetchDiskImage(image.id === info.image_id ? image : await this.host.cache.lookup(info.image_id))
          : d.file === 'disk.local' ? await ephemeralBase(deps, Math.round(d.size / GIB)) : await swapBase(deps, Math.round(d.size / 1024 ** 2));
        await this.host.qemuImg.rebaseUnsafe(disk, base.path, base.format);
      }
      const root = info.disks.find((d) => d.file === 'disk');
      if (resize && root && flavor.root_gb * GIB > root.size) {
        await this.host.qemuImg.resize(files.disk, root.format, flavor.root_gb * GIB);
        root.size = flavor.root_gb * GIB;
      }
      await this.host.exec.writeFile(files.diskInfo, JSON.stringify(info, null, 1));
      const xml = renderDomainXml({
        instance, flavor, image, disks: guestDisks(files, info), consoleLog: files.consoleLog,
        kernel: moved.files.includes('kernel') ? files.kernel : null, ramdisk: moved.files.includes('ramdisk') ? files.ramdisk : null,
        serialPort: await this.host.serialPorts.forGuest(files),
      }, this.host.settings);
      await this.host.define(files, xml);
      if (powerOn) await this.host.bootFresh(instance);
    } catch (e) {
      if (!moved.same_host) await this.host.removeDomain(instance.name).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Source side after confirm: the kept copy goes. The old domain went when the disks left (or, on a
   * resize here, became the new one): removing a domain by name now could hit the guest the
   * destination defined, when both hosts share one libvirtd and one instance_name_template.
   */
  async confirmMigration(instance: DriverInstance): Promise<void> {
    await this.host.exec.remove(this.host.files(instance.uuid).resizeDir);
  }

  /** Source side after revert: the kept copy comes back and the old domain is defined (and started) again. */
  async finishRevertMigration(instance: DriverInstance, powerOn: boolean): Promise<void> {
    const files = this.host.files(instance.uuid);
    if (await this.host.exec.stat(files.resizeDir)) {
      await this.host.forceOff(instance.name);
      await this.host.exec.remove(files.dir);
      await this.host.exec.rename(files.resizeDir, files.dir);
    }
    if (!(await this.host.exec.stat(files.domainXml))) {
      throw new ResizeError({ reason: `nothing to revert to: ${files.domainXml} is missing on ${this.hostName()}` });
    }
    await this.host.virsh.define(files.domainXml);
    if (powerOn) await this.host.bootFresh(instance);
  }
}
