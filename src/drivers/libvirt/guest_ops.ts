import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { InstanceNotRescuable } from '../../exception';
import { DriverInstance, ImageMeta, SnapshotTarget } from '../driver';
import { createRescueDisks, guestDisks, readDiskInfo } from './disks';
import { renderDomainXml } from './domain_xml';
import type { LibvirtDriver } from './driver';
import { LibvirtHost } from './host';


/** Snapshot and rescue: operations that work on an instance's disks beside its running domain. */
export class GuestOps {
  constructor(private host: LibvirtHost, private driver: LibvirtDriver) {}

  private diskDeps() {
    const h = this.host;
    return { exec: h.exec, qemuImg: h.qemuImg, cache: h.cache, imagesType: h.settings.imagesType };
  }

  /**
   * A cold snapshot: the guest is paused (QEMU flushes its disk caches when it stops the vCPUs),
   * the root disk with its base is converted to one standalone qcow2, the guest runs again, and the
   * file is uploaded to the image service.
   */
  async snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void> {
    const state = await this.driver.requireDomain(instance);
    const files = this.host.files(instance.uuid);
    const info = await readDiskInfo(this.host.exec, files.diskInfo);
    const root = info?.disks.find((d) => d.file === 'disk');
    if (!root) throw new Error(`instance ${instance.uuid} has no root disk record in ${files.diskInfo}`);
    const dir = this.host.settings.snapshotsDir;
    await this.host.exec.mkdir(dir);
    const out = path.posix.join(dir, `${instance.uuid}-${randomBytes(4).toString('hex')}.qcow2`);
    const pauseIt = state.state === 'running';
    try {
      if (pauseIt) await this.host.virsh.suspend(instance.name);
      try {
        await this.host.qemuImg.convert(files.disk, root.format, out, 'qcow2', state.state !== 'shut off');
      } finally {
        if (pauseIt) await this.host.virsh.resume(instance.name);
      }
      const size = (await this.host.exec.stat(out))?.size;
      await target.upload(await this.host.exec.createReadStream(out), { disk_format: 'qcow2', container_format: 'bare', size });
    } finally {
      await this.host.exec.remove(out).catch(() => undefined);
    }
  }

  /**
   * Boots the rescue image with the instance's own root disk attached second; the domain's XML is
   * kept in unrescue.xml to be restored by unrescue.
   */
  async rescue(instance: DriverInstance, rescueImage: ImageMeta): Promise<void> {
    const before = await this.driver.requireDomain(instance);
    const files = this.host.files(instance.uuid);
    if (await this.host.exec.stat(files.unrescueXml)) {
      throw new InstanceNotRescuable({ instance_id: instance.uuid, reason: 'it is already in rescue mode' });
    }
    const info = await readDiskInfo(this.host.exec, files.diskInfo);
    if (!info) throw new InstanceNotRescuable({ instance_id: instance.uuid, reason: `${files.diskInfo} is missing` });
    const original = await this.host.virsh.dumpXml(instance.name, true);
    await this.host.exec.writeFile(files.unrescueXml, original);
    try {
      const rescue = await createRescueDisks(this.diskDeps(), files, rescueImage);
      const [root] = guestDisks(files, info);
      const xml = renderDomainXml({
        instance, flavor: instance.flavor, image: rescueImage, disks: [rescue.disk, root],
        kernel: rescue.kernel, ramdisk: rescue.ramdisk, consoleLog: files.consoleLog, serialPort: await this.host.serialPorts.forGuest(files),
      }, this.host.settings);
      await this.host.forceOff(instance.name);
      await this.host.define(files, xml);
      await this.host.bootFresh(instance);
    } catch (e) {
      await this.restoreOriginal(instance, files)
        .then(() => (before.state === 'running' ? this.host.bootFresh(instance) : undefined))
        .catch((x) => this.host.log.warn(`restoring ${instance.name} after a failed rescue: ${x.message}`));
      throw e;
    }
  }

  async unrescue(instance: DriverInstance): Promise<void> {
    await this.driver.requireDomain(instance);
    const files = this.host.files(instance.uuid);
    if (!(await this.host.exec.stat(files.unrescueXml))) {
      throw new InstanceNotRescuable({ instance_id: instance.uuid, reason: 'it is not in rescue mode' }, `Instance ${instance.uuid} is not in rescue mode`);
    }
    await this.restoreOriginal(instance, files);
    await this.host.bootFresh(instance);
  }

  /** Stops the domain, defines it from unrescue.xml again and removes the rescue files. */
  private async restoreOriginal(instance: DriverInstance, files: ReturnType<LibvirtHost['files']>): Promise<void> {
    await this.host.forceOff(instance.name);
    const original = await this.host.exec.readFile(files.unrescueXml);
    await this.host.define(files, original.toString('utf8'));
    for (const f of [files.rescueDisk, files.rescueKernel, files.rescueRamdisk, files.unrescueXml]) await this.host.exec.remove(f);
  }
}
