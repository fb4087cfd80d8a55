import { NovaConf } from '../../conf/schema';
import { adminContext } from '../../context';
import { FlavorCopy } from '../../db/models/instance';
import { FlavorDiskSmallerThanImage, ImageUnacceptable, ResizeError, VirtDriverNotImplemented } from '../../exception';
import type { ImageService } from '../../image/api';
import { Logger } from '../../lib/log';
import {
  ComputeDriver, ConsoleConnection, DriverCapabilities, DriverInstance, HostResources, ImageMeta, InstanceInfo,
  MigrationTarget, NetworkInfo, RebootType, SnapshotTarget, SpawnRequest,
} from '../driver';
import { findSr, hostResources } from './host';
import { Ref, XenAPISession, XenRecord } from './session';
import { int64, memoryLimits, vbdRecord, vdiRecord, vifRecord, vmRecord } from './vm_record';
import { POWER_STATES, XenVmOps } from './vmops';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const TRANSFER_TIMEOUT_MS = 2 * 3600_000;

/**
 * xenapi.XenAPIDriver: one XAPI host ([xenserver] connection_url) as one compute node, over
 * XML-RPC. VMs are built from a record (as Nova does, no template), disks imported raw through
 * /import_raw_vdi, snapshots exported through /export_raw_vdi.
 */
export class XenAPIDriver implements ComputeDriver {
  readonly name = 'xenapi.XenAPIDriver';
  readonly capabilities: DriverCapabilities = {
    has_imagecache: false, supports_evacuate: false, supports_migrate_to_same_host: true, supports_attach_interface: false,
    supports_pause: true, supports_suspend: true, supports_rescue: false, supports_snapshot: true, supports_resize: true,
    supports_live_migration: false, supports_console_output: false, supports_vnc_console: true, supports_spice_console: false,
    supports_serial_console: false, supports_mks_console: false, supports_soft_reboot: true, supports_trigger_crash_dump: false,
  };
  readonly session: XenAPISession;
  private vms: XenVmOps;
  private host?: { ref: Ref; name: string; uuid: string };
  private sr?: Ref;
  private images?: () => Promise<ImageService>;

  constructor(private conf: NovaConf, private log: Logger) {
    this.session = new XenAPISession(conf.xenserver, log);
    this.vms = new XenVmOps(this.session);
  }

  setImageService(images: () => Promise<ImageService>): void { this.images = images; }

  private get placed(): { host: { ref: Ref; name: string; uuid: string }; sr: Ref } {
    if (!this.host || !this.sr) throw new Error('XenAPI driver used before initHost connected it to XAPI');
    return { host: this.host, sr: this.sr };
  }

  private notImplemented(action: string): never {
    throw new VirtDriverNotImplemented({ action, driver: this.name });
  }

  async initHost(_host: string): Promise<void> {
    try {
      await this.session.login();
      const ref = await this.session.call<Ref>('session.get_this_host', this.session.sessionRef!);
      const rec = await this.session.call<XenRecord>('host.get_record', ref);
      this.host = { ref, name: String(rec.hostname || rec.name_label), uuid: String(rec.uuid) };
      this.sr = await findSr(this.session, this.conf.xenserver.sr_matching_filter);
    } catch (e) {
      await this.session.close().catch(() => undefined);
      throw e;
    }
    this.log.info(`XenAPI driver manages host ${this.host.name} (${this.host.uuid})`);
  }

  async cleanupHost(_host?: string): Promise<void> { await this.session.close(); }

  async getAvailableNodes(): Promise<string[]> { return [this.placed.host.name]; }

  async getAvailableResource(node: string): Promise<HostResources> {
    const { host, sr } = this.placed;
    if (node !== host.name) throw new Error(`node ${node} is not managed by this XenAPI driver (it manages ${host.name})`);
    return hostResources(this.session, host.ref, sr);
  }

  async listInstances(): Promise<string[]> { return (await this.vms.novaVms()).map((r) => String(r.name_label)); }
  async listInstanceUuids(): Promise<string[]> { return (await this.vms.novaVms()).map((r) => String((r.other_config as Record<string, string>).nova_uuid)); }
  async instanceExists(instance: DriverInstance): Promise<boolean> { return !!(await this.vms.find(instance)); }

  async getInfo(instance: DriverInstance): Promise<InstanceInfo> {
    const { ref, rec } = await this.vms.require(instance);
    const state = POWER_STATES[String(rec.power_state)] ?? 0;
    const kb = Number(rec.memory_static_max) / 1024;
    return { state: state as InstanceInfo['state'], max_mem_kb: kb, mem_kb: kb, num_cpu: Number(rec.VCPUs_max), id: ref };
  }

  // ---- build and delete ----

  async spawn(req: SpawnRequest): Promise<void> {
    const { instance, image_meta: image } = req;
    const { sr } = this.placed;
    if (image.disk_format !== 'raw') {
      throw new ImageUnacceptable({ image_id: image.id, reason: `disk_format '${image.disk_format ?? 'unset'}' cannot be used by the XenAPI driver (it imports raw images through /import_raw_vdi)` });
    }
    if (!image.size) throw new ImageUnacceptable({ image_id: image.id, reason: 'image has no data (size 0 or unknown)' });
    if (instance.flavor.root_gb > 0 && image.size > instance.flavor.root_gb * GiB) {
      throw new FlavorDiskSmallerThanImage({ flavor_size: instance.flavor.root_gb * GiB, image_size: image.size });
    }
    if (await this.vms.find(instance)) throw new Error(`a VM for instance ${instance.uuid} already exists on XAPI`);
    const networks = await this.networks(instance.network_info);
    const vm = await this.session.call<Ref>('VM.create', vmRecord(instance, image, this.conf.xenserver.default_os_type));
    req.progress?.(10);
    let vdi: Ref | undefined;
    try {
      const size = Math.max(Math.ceil(image.size / MiB) * MiB, instance.flavor.root_gb * GiB);
      vdi = await this.session.call<Ref>('VDI.create', vdiRecord(sr, `${instance.name}-root`, size, instance.uuid));
      await this.session.put('/import_raw_vdi', { vdi, format: 'raw' }, await this.openImage(image), image.size, TRANSFER_TIMEOUT_MS);
      req.progress?.(70);
      await this.session.call('VBD.create', vbdRecord(vm, vdi, '0', true));
      for (const [i, n] of networks.entries()) await this.session.call('VIF.create', vifRecord(vm, n.network, i, n.mac, n.portId));
      await this.session.call('VM.start', vm, false, false);
      req.progress?.(100);
    } catch (e) {
      await this.vms.shutdown(vm, false).catch(() => undefined);
      await this.session.call('VM.destroy', vm).catch((x) => this.log.warn(`removing half-built VM of ${instance.uuid}: ${(x as Error).message}`));
      if (vdi) await this.session.call('VDI.destroy', vdi).catch(() => undefined);
      throw e;
    }
  }

  private async openImage(image: ImageMeta): Promise<NodeJS.ReadableStream> {
    if (!this.images) throw new Error('the XenAPI driver has no image service to download images from');
    return (await this.images()).download(adminContext(), image.id);
  }

  /** XAPI networks whose bridge (or name) is each VIF's bridge (or network label). */
  private async networks(networkInfo: NetworkInfo) {
    if (!networkInfo.length) return [];
    const all = Object.entries(await this.session.call<Record<Ref, XenRecord>>('network.get_all_records'));
    return networkInfo.map((vif) => {
      const want = vif.network.bridge || vif.network.label;
      const found = all.find(([, r]) => r.bridge === want || r.name_label === want);
      if (!found) throw new Error(`network '${want}' of port ${vif.id} is not a network of XAPI ${this.session.endpoint} (have: ${all.map(([, r]) => r.bridge).join(', ')})`);
      return { network: found[0], mac: vif.address, portId: vif.id };
    });
  }

  async destroy(instance: DriverInstance, _n: NetworkInfo, destroyDisks: boolean): Promise<void> {
    // A resize keeps the same VM: a revert's destroy on the "destination" must not remove it.
    if (instance.task_state === 'resize_reverting') return;
    const vm = await this.vms.find(instance);
    if (vm) await this.vms.remove(vm.ref, destroyDisks);
  }

  // ---- power ----

  async reboot(instance: DriverInstance, _n: NetworkInfo, type: RebootType): Promise<void> {
    const { ref } = await this.vms.require(instance);
    if ((await this.vms.powerState(ref)) !== 'Running') {
      await this.vms.start(ref);
      return;
    }
    await this.session.call(type === 'HARD' ? 'VM.hard_reboot' : 'VM.clean_reboot', ref);
  }
  async powerOff(instance: DriverInstance, timeoutSec = 0): Promise<void> {
    await this.vms.shutdown((await this.vms.require(instance)).ref, timeoutSec > 0);
  }
  async powerOn(instance: DriverInstance, _n?: NetworkInfo): Promise<void> { await this.vms.start((await this.vms.require(instance)).ref); }
  async pause(instance: DriverInstance): Promise<void> { await this.session.call('VM.pause', (await this.vms.require(instance)).ref); }
  async unpause(instance: DriverInstance): Promise<void> { await this.session.call('VM.unpause', (await this.vms.require(instance)).ref); }
  async suspend(instance: DriverInstance): Promise<void> { await this.session.call('VM.suspend', (await this.vms.require(instance)).ref); }
  async resume(instance: DriverInstance, _n?: NetworkInfo): Promise<void> { await this.session.call('VM.resume', (await this.vms.require(instance)).ref, false, false); }
  async rescue(_i?: DriverInstance, _n?: NetworkInfo, _image?: ImageMeta, _password?: string | null): Promise<void> { this.notImplemented('rescue'); }
  async unrescue(_i?: DriverInstance, _n?: NetworkInfo): Promise<void> { this.notImplemented('unrescue'); }

  // ---- snapshot: VM.snapshot, the root VDI exported raw, the snapshot removed ----

  async snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void> {
    const { ref } = await this.vms.require(instance);
    const snap = await this.session.call<Ref>('VM.snapshot', ref, `nova-snapshot-${target.image_id}`);
    try {
      const rec = await this.session.call<XenRecord>('VM.get_record', snap);
      const [root] = await this.vms.disks(rec);
      if (!root) throw new Error(`snapshot of ${instance.uuid} has no disk`);
      const { stream, size } = await this.session.get('/export_raw_vdi', { vdi: root.vdi, format: 'raw' }, TRANSFER_TIMEOUT_MS);
      await target.upload(stream, { disk_format: 'raw', container_format: 'bare', size });
    } finally {
      await this.vms.remove(snap, true).catch((e) => this.log.warn(`removing snapshot VM of ${instance.uuid}: ${(e as Error).message}`));
    }
  }

  // ---- resize: the same VM on the same XAPI host, reconfigured ----

  async migrateDiskAndPowerOff(instance: DriverInstance, dest: MigrationTarget, newFlavor: FlavorCopy, _n?: NetworkInfo): Promise<Record<string, unknown>> {
    const { ref, rec } = await this.vms.require(instance);
    const [root] = await this.vms.disks(rec);
    if (root && newFlavor.root_gb > 0) {
      const size = Number((await this.session.call<XenRecord>('VDI.get_record', root.vdi)).virtual_size);
      if (newFlavor.root_gb * GiB < size) throw new ResizeError({ reason: `Unable to shrink disk: the root disk of ${instance.uuid} is ${Math.ceil(size / GiB)} GB, flavor ${newFlavor.name} has ${newFlavor.root_gb} GB` });
    }
    await this.vms.shutdown(ref, true);
    return { xapi_host_uuid: this.placed.host.uuid, dest_host: dest.dest_host };
  }

  async finishMigration(instance: DriverInstance, info: Record<string, unknown>, _image: ImageMeta, resize: boolean, powerOn: boolean, _n?: NetworkInfo): Promise<void> {
    if (info.xapi_host_uuid && info.xapi_host_uuid !== this.placed.host.uuid) {
      throw new Error(`instance ${instance.uuid} is on another XAPI host (${String(info.xapi_host_uuid)}): moves between hosts are not supported by this driver`);
    }
    const { ref, rec } = await this.vms.require(instance);
    if (resize) {
      await this.setFlavor(ref, rec, instance.flavor);
      const [root] = await this.vms.disks(rec);
      const want = instance.flavor.root_gb * GiB;
      if (root && want > Number((await this.session.call<XenRecord>('VDI.get_record', root.vdi)).virtual_size)) {
        await this.session.call('VDI.resize', root.vdi, int64(want));
      }
    }
    if (powerOn) await this.vms.start(ref);
  }

  async confirmMigration(_i?: DriverInstance, _n?: NetworkInfo): Promise<void> {
    // Nothing left behind: the resized VM is the only one.
  }

  /** Back to the old flavor's memory and vCPUs (a grown disk stays grown). */
  async finishRevertMigration(instance: DriverInstance, _n: NetworkInfo, powerOn: boolean): Promise<void> {
    const { ref, rec } = await this.vms.require(instance);
    await this.vms.shutdown(ref, true);
    await this.setFlavor(ref, rec, instance.flavor);
    if (powerOn) await this.vms.start(ref);
  }

  /** Memory and vCPUs of a halted VM (VCPUs_at_startup may never exceed VCPUs_max, so the order follows the direction). */
  private async setFlavor(ref: Ref, rec: XenRecord, flavor: FlavorCopy): Promise<void> {
    await this.session.call('VM.set_memory_limits', ref, ...memoryLimits(flavor));
    const n = int64(flavor.vcpus);
    if (flavor.vcpus >= Number(rec.VCPUs_max)) {
      await this.session.call('VM.set_VCPUs_max', ref, n);
      await this.session.call('VM.set_VCPUs_at_startup', ref, n);
    } else {
      await this.session.call('VM.set_VCPUs_at_startup', ref, n);
      await this.session.call('VM.set_VCPUs_max', ref, n);
    }
  }

  // ---- consoles ----

  async getConsoleOutput(_i?: DriverInstance): Promise<string> { this.notImplemented('get_console_output'); }
  async getSpiceConsole(_i?: DriverInstance): Promise<ConsoleConnection> { this.notImplemented('get_spice_console'); }

  /** The VM's RFB console: host and port of its location URL, the path with this session for the proxy. */
  async getVncConsole(instance: DriverInstance): Promise<ConsoleConnection> {
    const { ref } = await this.vms.require(instance);
    for (const c of await this.session.call<Ref[]>('VM.get_consoles', ref)) {
      const rec = await this.session.call<XenRecord>('console.get_record', c);
      if (rec.protocol !== 'rfb') continue;
      const loc = new URL(String(rec.location));
      const port = Number(loc.port) || (loc.protocol === 'https:' ? 443 : 80);
      return {
        host: this.conf.xenserver.console_public_hostname || loc.hostname, port,
        internal_access_path: `${loc.pathname}${loc.search}${loc.search ? '&' : '?'}session_id=${this.session.sessionRef ?? ''}`,
      };
    }
    throw new Error(`the VM of ${instance.uuid} has no RFB console (is it running?)`);
  }
}
