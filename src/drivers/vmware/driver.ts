import { NovaConf } from '../../conf/schema';
import { adminContext } from '../../context';
import { FlavorCopy } from '../../db/models/instance';
import { ConsoleTypeUnavailable, FlavorDiskSmallerThanImage, ResizeError, VirtDriverNotImplemented } from '../../exception';
import type { ImageService } from '../../image/api';
import { Logger } from '../../lib/log';
import { Semaphore } from '../../lib/semaphore';
import { textOf } from '../../lib/xml';
import {
  ComputeDriver, ConsoleConnection, DriverCapabilities, DriverInstance, HostResources, ImageMeta, InstanceInfo,
  MigrationTarget, NetworkInfo, RebootType, SnapshotTarget, SpawnRequest,
} from '../driver';
import { DatastoreFiles, imageDiskKind } from './datastore_files';
import { MoRef } from './encode';
import { ClusterPlacement, datastoreInfos, dsPath, findCluster, parseDsPath, pickDatastore, usableDatastores } from './inventory';
import { clusterResources, nodeName } from './resources';
import { morefOf, VimFault } from './soap';
import { VimSession } from './session';
import { attachRootDiskSpec, createSpec, flavorSpec, growDiskSpec } from './vm_spec';
import { POWER_STATES, VmOps } from './vmops';

const KB_PER_GB = 1024 * 1024;

/**
 * vmwareapi.VMwareVCDriver: one vCenter cluster ([vmware] cluster_name) as one compute node, driven
 * over the vSphere Web Services SOAP API. VMs are named by instance uuid and found by
 * config.instanceUuid, as Nova does.
 */
export class VMwareVCDriver implements ComputeDriver {
  readonly name = 'vmwareapi.VMwareVCDriver';
  readonly capabilities: DriverCapabilities = {
    has_imagecache: true, supports_evacuate: false, supports_migrate_to_same_host: true, supports_attach_interface: false,
    supports_pause: false, supports_suspend: true, supports_rescue: false, supports_snapshot: true, supports_resize: true,
    supports_live_migration: false, supports_console_output: false, supports_vnc_console: true, supports_spice_console: false,
    supports_serial_console: false, supports_mks_console: false, supports_soft_reboot: true, supports_trigger_crash_dump: false,
  };
  readonly session: VimSession;
  private vms: VmOps;
  private files: DatastoreFiles;
  private placement?: ClusterPlacement;
  private images?: () => Promise<ImageService>;
  /** VNC ports are handed out and the VM created under one lock, so two builds never share a port. */
  private creating = new Semaphore(1);

  constructor(private conf: NovaConf, private log: Logger) {
    this.session = new VimSession(conf.vmware, log);
    this.vms = new VmOps(this.session, conf.vmware, log);
    this.files = new DatastoreFiles(this.session, conf.vmware, log);
  }

  setImageService(images: () => Promise<ImageService>): void { this.images = images; }

  private get place(): ClusterPlacement {
    if (!this.placement) throw new Error('VMware driver used before initHost connected it to vCenter');
    return this.placement;
  }

  private notImplemented(action: string): never {
    throw new VirtDriverNotImplemented({ action, driver: this.name });
  }

  async initHost(_host: string): Promise<void> {
    try {
      await this.session.connect();
      this.placement = await findCluster(this.session, this.conf.vmware.cluster_name);
      pickDatastore(await datastoreInfos(this.session, this.placement.datastores), this.conf.vmware.datastore_regex, this.placement.clusterName);
    } catch (e) {
      await this.session.close().catch(() => undefined);
      throw e;
    }
    this.log.info(`VMware driver manages cluster '${this.place.clusterName}' as node ${nodeName(this.session, this.place)}`);
  }

  async cleanupHost(_host?: string): Promise<void> { await this.session.close(); }

  async getAvailableNodes(): Promise<string[]> { return [nodeName(this.session, this.place)]; }

  async getAvailableResource(node: string): Promise<HostResources> {
    const mine = nodeName(this.session, this.place);
    if (node !== mine) throw new Error(`node ${node} is not managed by this VMware driver (it manages ${mine})`);
    return clusterResources(this.session, this.place, this.conf.vmware.datastore_regex, this.conf.vmware.host_ip);
  }

  async listInstances(): Promise<string[]> { return (await this.vms.listNova(this.place)).map((v) => v.name); }
  async listInstanceUuids(): Promise<string[]> { return (await this.vms.listNova(this.place)).map((v) => v.uuid); }
  async instanceExists(instance: DriverInstance): Promise<boolean> { return !!(await this.vms.find(instance.uuid, this.place)); }

  async getInfo(instance: DriverInstance): Promise<InstanceInfo> {
    const st = await this.vms.state(await this.vms.require(instance, this.place));
    return { state: POWER_STATES[st.powerState], max_mem_kb: st.memoryMB * 1024, mem_kb: st.memoryMB * 1024, num_cpu: st.numCPU, id: st.ref.value };
  }

  // ---- build and delete ----

  async spawn(req: SpawnRequest): Promise<void> {
    const { instance, image_meta: image } = req;
    const place = this.place;
    imageDiskKind(image);
    if (instance.flavor.root_gb > 0 && (image.size ?? 0) > instance.flavor.root_gb * KB_PER_GB * 1024) {
      throw new FlavorDiskSmallerThanImage({ flavor_size: instance.flavor.root_gb * KB_PER_GB * 1024, image_size: image.size });
    }
    if (await this.vms.find(instance.uuid, place)) throw new Error(`a VM for instance ${instance.uuid} already exists in vCenter`);
    const ds = pickDatastore(await datastoreInfos(this.session, place.datastores), this.conf.vmware.datastore_regex, place.clusterName);
    const nics = await this.networks(instance.network_info);
    const vm = await this.creating.run(async () => {
      // As Nova: the VM gets ESX's VNC server only while [vnc] enabled is on.
      const vnc = this.conf.vnc.enabled ? { port: await this.vms.freeVncPort(place), keymap: this.conf.vmware.vnc_keymap } : undefined;
      const config = createSpec({
        uuid: instance.uuid, displayName: instance.display_name, flavor: instance.flavor, datastore: ds.name,
        guestId: image.properties.vmware_ostype || 'otherGuest', vnc, nics,
      });
      return morefOf(await this.session.runTask('CreateVM_Task', place.vmFolder, { config, pool: place.resourcePool }, 'CreateVM_Task'));
    });
    req.progress?.(10);
    try {
      const cached = await this.files.cachedImage(place, ds.name, image, () => this.openImage(image));
      req.progress?.(50);
      const root = dsPath(ds.name, instance.uuid, `${instance.uuid}.vmdk`);
      await this.files.copyDisk(place, cached, root);
      await this.vms.reconfigure(vm, attachRootDiskSpec(root), 'attach root disk');
      await this.growRootDisk(vm, instance.flavor);
      req.progress?.(90);
      await this.vms.powerOn(vm);
      req.progress?.(100);
    } catch (e) {
      await this.vms.remove(vm, false).catch((x) => this.log.warn(`removing half-built VM of ${instance.uuid}: ${(x as Error).message}`));
      throw e;
    }
  }

  private async openImage(image: ImageMeta): Promise<NodeJS.ReadableStream> {
    if (!this.images) throw new Error('the VMware driver has no image service to download images from');
    return (await this.images()).download(adminContext(), image.id);
  }

  /** Port groups named like each VIF's bridge (or network label) in the datacenter. */
  private async networks(networkInfo: NetworkInfo) {
    if (!networkInfo.length) return [];
    const nets = await this.session.objectsIn(this.place.datacenter, 'Network', ['name']);
    return networkInfo.map((vif) => {
      const want = vif.network.bridge || vif.network.label;
      const found = nets.find((n) => textOf(n.props.name) === want);
      if (!found) throw new Error(`network '${want}' of port ${vif.id} has no port group in datacenter ${this.place.datacenterPath} (have: ${nets.map((n) => textOf(n.props.name)).join(', ')})`);
      if (found.obj.type !== 'Network') throw new Error(`network '${want}' is a ${found.obj.type}: only standard port groups are supported by this driver`);
      return { vif, network: found.obj, networkName: want };
    });
  }

  /** Grows the root disk to the flavor's root_gb (0: the image's size stays). */
  private async growRootDisk(vm: MoRef, flavor: FlavorCopy): Promise<void> {
    const disk = (await this.vms.state(vm)).disks.find((d) => d.unitNumber === 0) ?? (await this.vms.state(vm)).disks[0];
    const want = flavor.root_gb * KB_PER_GB;
    if (disk && want > disk.capacityInKB) await this.vms.reconfigure(vm, growDiskSpec(disk, want), 'grow root disk');
  }

  async destroy(instance: DriverInstance, _n: NetworkInfo, destroyDisks: boolean): Promise<void> {
    // A resize keeps the same VM: a revert's destroy on the "destination" must not remove it (as Nova).
    if (instance.task_state === 'resize_reverting') return;
    const ref = await this.vms.find(instance.uuid, this.place);
    if (!ref) return;
    const vmPath = textOf(await this.session.property(ref, 'config.files.vmPathName'));
    await this.vms.remove(ref, !destroyDisks);
    if (destroyDisks && vmPath) {
      const { datastore } = parseDsPath(vmPath);
      await this.files.deleteFile(this.place, dsPath(datastore, instance.uuid)).catch((e) => {
        if (!(e instanceof VimFault && e.faultType === 'FileNotFound')) throw e;
      });
    }
  }

  // ---- power ----

  async reboot(instance: DriverInstance, _n: NetworkInfo, type: RebootType): Promise<void> {
    await this.vms.reboot(await this.vms.require(instance, this.place), type === 'SOFT');
  }
  async powerOff(instance: DriverInstance, timeoutSec?: number, retryIntervalSec?: number): Promise<void> {
    await this.vms.powerOff(await this.vms.require(instance, this.place), timeoutSec, retryIntervalSec);
  }
  async powerOn(instance: DriverInstance, _n?: NetworkInfo): Promise<void> { await this.vms.powerOn(await this.vms.require(instance, this.place)); }
  async suspend(instance: DriverInstance): Promise<void> { await this.vms.suspend(await this.vms.require(instance, this.place)); }
  async resume(instance: DriverInstance, _n?: NetworkInfo): Promise<void> { await this.vms.powerOn(await this.vms.require(instance, this.place)); }
  async pause(_i?: DriverInstance): Promise<void> { this.notImplemented('pause'); }
  async unpause(_i?: DriverInstance): Promise<void> { this.notImplemented('unpause'); }
  async rescue(_i?: DriverInstance, _n?: NetworkInfo, _image?: ImageMeta, _password?: string | null): Promise<void> { this.notImplemented('rescue'); }
  async unrescue(_i?: DriverInstance, _n?: NetworkInfo): Promise<void> { this.notImplemented('unrescue'); }

  // ---- snapshot ----

  /**
   * CreateSnapshot_Task freezes the root disk; its base is copied (CopyVirtualDisk_Task) to a temp
   * folder, the copy's flat extent is streamed to the image, then the copy and snapshot go.
   */
  async snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void> {
    const place = this.place;
    const vm = await this.vms.require(instance, place);
    const snap = morefOf(await this.session.runTask('CreateSnapshot_Task', vm, {
      name: `nova-snapshot-${target.image_id}`, description: `Snapshot of ${instance.uuid} for image ${target.image_id}`, memory: false, quiesce: false,
    }, 'CreateSnapshot_Task'));
    try {
      const disk = (await this.vms.state(vm)).disks.find((d) => d.unitNumber === 0);
      if (!disk) throw new Error(`VM of ${instance.uuid} has no root disk to snapshot`);
      const base = disk.parentFileName ?? disk.fileName;
      const { datastore } = parseDsPath(base);
      const folder = `${this.conf.vmware.cache_prefix}vmware_temp/${target.image_id}`;
      await this.session.invoke('MakeDirectory', this.session.content.fileManager, { name: dsPath(datastore, folder), datacenter: place.datacenter, createParentDirectories: true });
      try {
        await this.files.copyDisk(place, base, dsPath(datastore, folder, `${target.image_id}.vmdk`));
        const { stream, size } = await this.files.download(place, datastore, `${folder}/${target.image_id}-flat.vmdk`);
        await target.upload(stream, { disk_format: 'raw', container_format: 'bare', size });
      } finally {
        await this.files.deleteFile(place, dsPath(datastore, folder)).catch((e) => this.log.warn(`removing ${folder}: ${(e as Error).message}`));
      }
    } finally {
      await this.session.runTask('RemoveSnapshot_Task', snap, { removeChildren: false, consolidate: true }, 'RemoveSnapshot_Task')
        .catch((e) => this.log.warn(`removing snapshot of ${instance.uuid}: ${(e as Error).message}`));
    }
  }

  // ---- resize: the same VM in the same vCenter, reconfigured ----

  async migrateDiskAndPowerOff(instance: DriverInstance, dest: MigrationTarget, newFlavor: FlavorCopy, _n?: NetworkInfo): Promise<Record<string, unknown>> {
    const vm = await this.vms.require(instance, this.place);
    const disk = (await this.vms.state(vm)).disks.find((d) => d.unitNumber === 0);
    if (disk && newFlavor.root_gb > 0 && newFlavor.root_gb * KB_PER_GB < disk.capacityInKB) {
      throw new ResizeError({ reason: `Unable to shrink disk: the root disk of ${instance.uuid} is ${Math.ceil(disk.capacityInKB / KB_PER_GB)} GB, flavor ${newFlavor.name} has ${newFlavor.root_gb} GB` });
    }
    await this.vms.powerOff(vm);
    return { vcenter_uuid: this.session.content.about.instanceUuid, vm: vm.value, source_cluster: this.place.cluster.value, dest_host: dest.dest_host };
  }

  async finishMigration(instance: DriverInstance, info: Record<string, unknown>, _image: ImageMeta, resize: boolean, powerOn: boolean, _n?: NetworkInfo): Promise<void> {
    if (info.vcenter_uuid && info.vcenter_uuid !== this.session.content.about.instanceUuid) {
      throw new Error(`instance ${instance.uuid} is in another vCenter (${String(info.vcenter_uuid)}): moves between vCenters are not supported`);
    }
    const vm = await this.vms.require(instance, this.place);
    await this.intoThisCluster(vm);
    if (resize) {
      await this.vms.reconfigure(vm, flavorSpec(instance.flavor), 'resize');
      await this.growRootDisk(vm, instance.flavor);
    }
    if (powerOn) await this.vms.powerOn(vm);
  }

  async confirmMigration(_i?: DriverInstance, _n?: NetworkInfo): Promise<void> {
    // Nothing left behind: the resized VM is the only one.
  }

  /** Back to the old flavor's memory and vCPUs (a grown disk stays grown: vSphere cannot shrink disks). */
  async finishRevertMigration(instance: DriverInstance, _n: NetworkInfo, powerOn: boolean): Promise<void> {
    const vm = await this.vms.require(instance, this.place);
    await this.vms.powerOff(vm);
    await this.intoThisCluster(vm);
    await this.vms.reconfigure(vm, flavorSpec(instance.flavor), 'revert resize');
    if (powerOn) await this.vms.powerOn(vm);
  }

  /** Moves a VM of another cluster of this vCenter into this one's resource pool (cold migration). */
  private async intoThisCluster(vm: MoRef): Promise<void> {
    const st = await this.vms.state(vm);
    if (st.resourcePool?.equals(this.place.resourcePool)) return;
    await this.session.runTask('RelocateVM_Task', vm, { spec: { pool: this.place.resourcePool } }, 'RelocateVM_Task');
  }

  // ---- image cache ----

  /**
   * Removes cached images (`vmware_base/<image>` on the allowed datastores) no instance of this host
   * uses and older than remove_unused_original_minimum_age_seconds. VMs have their own disk copies,
   * so a cached image is only needed for the next build from it.
   */
  async manageImageCache(usedImageIds: string[]): Promise<void> {
    const d = this.conf.DEFAULT;
    if (!d.remove_unused_base_images) return;
    const used = new Set(usedImageIds);
    const oldest = Date.now() - d.remove_unused_original_minimum_age_seconds * 1000;
    for (const ds of usableDatastores(await datastoreInfos(this.session, this.place.datastores), this.conf.vmware.datastore_regex)) {
      for (const { imageId, modified } of await this.files.cachedImageFolders(ds)) {
        if (used.has(imageId) || this.files.caching(ds.name, imageId)) continue;
        if (!modified || modified.getTime() > oldest) continue;
        this.log.info(`removing unused cached image ${imageId} from datastore ${ds.name}`);
        await this.files.deleteFile(this.place, dsPath(ds.name, this.files.cacheFolder(imageId)));
      }
    }
  }

  // ---- consoles ----

  async getConsoleOutput(_i?: DriverInstance): Promise<string> { this.notImplemented('get_console_output'); }
  async getSpiceConsole(_i?: DriverInstance): Promise<ConsoleConnection> { this.notImplemented('get_spice_console'); }

  /** The VNC server ESX runs for the VM (extraConfig RemoteDisplay.vnc.port) on the VM's host. */
  async getVncConsole(instance: DriverInstance): Promise<ConsoleConnection> {
    const vm = await this.vms.require(instance, this.place);
    const st = await this.vms.state(vm);
    const port = Number(st.extraConfig['RemoteDisplay.vnc.port']);
    if (st.extraConfig['RemoteDisplay.vnc.enabled'] !== 'true' || !Number.isFinite(port)) {
      throw new ConsoleTypeUnavailable({ console_type: 'novnc' }, `VNC is not enabled for the VM of ${instance.uuid} (no RemoteDisplay.vnc.port)`);
    }
    return { host: await this.vms.hostName(vm), port, internal_access_path: null };
  }
}
