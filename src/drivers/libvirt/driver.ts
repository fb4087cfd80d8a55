import { NovaConf } from '../../conf/schema';
import { RequestContext } from '../../context';
import { FlavorCopy } from '../../db/models/instance';
import { ConsoleTypeUnavailable, HypervisorUnavailable, InstanceNotFound, InstanceNotRunning } from '../../exception';
import { ImageService } from '../../image/api';
import { Logger } from '../../lib/log';
import {
  ComputeDriver, ConsoleConnection, DriverCapabilities, DriverInstance, HostResources, ImageMeta, InstanceInfo,
  LiveMigrationTarget, MigrationTarget, NetworkInfo, RebootType, SnapshotTarget, SpawnRequest,
} from '../driver';
import { LibvirtSettings, readSettings } from './config';
import { createInstanceDisks, readDiskInfo } from './disks';
import { renderDomainXml } from './domain_xml';
import { serialPortOf } from './serial_ports';
import { GuestOps } from './guest_ops';
import { SshError } from './executor/ssh';
import { executorFor, LibvirtHost } from './host';
import { hostResources } from './host_info';
import { baseName } from './image_cache';
import { LiveMigration } from './live_migration';
import { Migration } from './migration';
import { powerStateOf } from './virsh';
import { markPhase } from '../../lib/phase_trace';


const CONSOLE_LOG_MAX_BYTES = 100 * 1024;

/**
 * Nova's libvirt driver on QEMU guests, reached with `virsh -c <uri>` through a HostExecutor:
 * on this host, or on another over SSH when [libvirt] connection_uri is qemu+ssh://. Disks are
 * qcow2 overlays on cached base images under instances_path; the domain XML comes from
 * templates/libvirt/domain.xml.
 */
export class LibvirtDriver implements ComputeDriver {
  readonly name = 'libvirt.LibvirtDriver';
  readonly capabilities: DriverCapabilities = {
    has_imagecache: true, supports_evacuate: false, supports_migrate_to_same_host: true, supports_attach_interface: false,
    supports_pause: true, supports_suspend: true, supports_rescue: true, supports_snapshot: true, supports_resize: true,
    supports_live_migration: true, supports_console_output: true, supports_vnc_console: true, supports_spice_console: true,
    supports_serial_console: true, supports_mks_console: false, supports_soft_reboot: true, supports_trigger_crash_dump: true,
  };
  readonly settings: LibvirtSettings;
  readonly host: LibvirtHost;
  private hostName = '';
  private readonly guestOps: GuestOps;
  private readonly migration: Migration;
  private readonly live: LiveMigration;

  constructor(conf: NovaConf, readonly log: Logger) {
    this.settings = readSettings(conf);
    if (conf.libvirt.inject_password) {
      throw new Error('[libvirt] inject_password = true is not supported by this driver: set it to false and pass passwords through the metadata service');
    }
    this.host = new LibvirtHost(executorFor(this.settings.address, this.settings, log), this.settings, log);
    this.guestOps = new GuestOps(this.host, this);
    this.migration = new Migration(this.host, this, () => this.hostName);
    this.live = new LiveMigration(this.host, this);
  }

  /** The image service the driver downloads images from (the compute manager hands it over). */
  setImageService(images: () => Promise<ImageService>): void { this.host.cache.setImageService(images); }

  private get virsh() { return this.host.virsh; }

  async initHost(host: string): Promise<void> {
    this.hostName = host;
    const where = this.virsh.where;
    try {
      await this.virsh.version();
    } catch (e) {
      const hint = e instanceof SshError ? '' : ' (is libvirtd running? see scripts/ci/setup-libvirt.sh)';
      throw new HypervisorUnavailable({ host }, `cannot reach libvirt at ${where}: ${(e as Error).message}${hint}`);
    }
    if (this.settings.virtType === 'kvm') {
      const cpuinfo = (await this.host.exec.readFile('/proc/cpuinfo')).toString('utf8');
      if (!/^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo)) {
        throw new HypervisorUnavailable({ host }, `[libvirt] virt_type = kvm but the CPU of ${where} has no vmx/svm flag `
          + '(no hardware virtualization): set [libvirt] virt_type = qemu');
      }
    }
    await this.host.exec.mkdir(this.settings.baseDir);
    this.log.info(`libvirt driver on ${where}, virt_type ${this.settings.virtType}, instances in ${this.settings.instancesPath}`);
  }

  async cleanupHost(): Promise<void> { await this.host.exec.close(); }

  async getAvailableNodes(): Promise<string[]> { return [await this.virsh.hostname()]; }

  async getAvailableResource(_node: string): Promise<HostResources> {
    const ip = this.settings.address.ssh?.host ?? this.settings.myIp;
    return hostResources(this.virsh, this.host.exec, this.settings.instancesPath, this.settings.virtType, ip);
  }

  async listInstances(): Promise<string[]> { return this.virsh.listNames(); }
  async listInstanceUuids(): Promise<string[]> { return this.virsh.listUuids(); }
  async instanceExists(instance: DriverInstance): Promise<boolean> { return (await this.virsh.state(instance.name)) !== null; }

  async getInfo(instance: DriverInstance): Promise<InstanceInfo> {
    const state = await this.virsh.state(instance.name);
    if (!state) throw new InstanceNotFound({ instance_id: instance.uuid });
    const info = await this.virsh.info(instance.name);
    return { state: powerStateOf(state), max_mem_kb: info.maxMemKb, mem_kb: info.usedMemKb, num_cpu: info.vcpus, cpu_time_ns: info.cpuTimeNs, id: info.id ?? undefined };
  }

  /** The domain state, or InstanceNotFound. */
  async requireDomain(instance: DriverInstance) {
    const state = await this.virsh.state(instance.name);
    if (!state) throw new InstanceNotFound({ instance_id: instance.uuid });
    return state;
  }

  async spawn(req: SpawnRequest): Promise<void> {
    const { instance, image_meta: image } = req;
    if (await this.virsh.state(instance.name)) {
      throw new Error(`domain ${instance.name} already exists on ${this.virsh.where}; refusing to spawn instance ${instance.uuid} over it`);
    }
    await this.createGuest(instance, instance.flavor, image, req.context, req.progress);
  }

  /** Disks, XML, define, start; on any failure nothing of the guest is left behind. */
  async createGuest(instance: DriverInstance, flavor: FlavorCopy, image: ImageMeta, ctx?: RequestContext, progress?: (pct: number) => void): Promise<void> {
    const files = this.host.files(instance.uuid);
    const mark = (phase: string) => markPhase(instance.uuid, `libvirt: ${phase}`);
    try {
      mark('spawn checked');
      await this.host.exec.mkdir(files.dir);
      const prepared = await createInstanceDisks(
        { exec: this.host.exec, qemuImg: this.host.qemuImg, cache: this.host.cache, imagesType: this.settings.imagesType },
        files, instance, flavor, image, ctx, mark);
      progress?.(50);
      const xml = renderDomainXml({
        instance, flavor, image, disks: prepared.disks, kernel: prepared.kernel, ramdisk: prepared.ramdisk, consoleLog: files.consoleLog,
        serialPort: await this.host.serialPorts.forGuest(files),
      }, this.settings);
      mark('XML rendered');
      await this.host.define(files, xml);
      mark('domain defined');
      await this.host.bootFresh(instance, mark);
      progress?.(100);
    } catch (e) {
      await this.host.removeDomain(instance.name).catch((x) => this.log.warn(`cleaning up domain ${instance.name}: ${x.message}`));
      await this.host.exec.remove(files.dir).catch((x) => this.log.warn(`removing ${files.dir}: ${x.message}`));
      throw e;
    }
  }

  async destroy(instance: DriverInstance, _networkInfo: NetworkInfo, destroyDisks: boolean): Promise<void> {
    await this.host.removeDomain(instance.name);
    if (destroyDisks) {
      const files = this.host.files(instance.uuid);
      await this.host.exec.remove(files.dir);
      await this.host.exec.remove(files.resizeDir);
    }
  }

  async reboot(instance: DriverInstance, _networkInfo: NetworkInfo, type: RebootType): Promise<void> {
    const state = await this.requireDomain(instance);
    if (type === 'SOFT' && state.state === 'running') {
      // As Nova: a clean shutdown and a start, so we know the guest really went down; else hard.
      await this.virsh.shutdown(instance.name);
      const { ok } = await this.host.waitFor(instance.name, (s) => s?.state === 'shut off', this.settings.waitSoftRebootSec * 1000);
      if (ok) {
        await this.virsh.start(instance.name);
        await this.host.started(instance, 'reboot');
        return;
      }
      this.log.warn(`instance ${instance.uuid} did not shut down within ${this.settings.waitSoftRebootSec}s of an ACPI shutdown; rebooting it hard`);
    }
    await this.hardReboot(instance);
  }

  private async hardReboot(instance: DriverInstance): Promise<void> {
    await this.host.forceOff(instance.name);
    const files = this.host.files(instance.uuid);
    if (await this.host.exec.stat(files.domainXml)) await this.virsh.define(files.domainXml);
    await this.host.bootFresh(instance);
  }

  async powerOff(instance: DriverInstance, timeoutSec?: number, retryIntervalSec = 10): Promise<void> {
    const state = await this.requireDomain(instance);
    if (state.state === 'shut off') return;
    const timeout = timeoutSec ?? this.settings.shutdownTimeoutSec;
    if (timeout > 0 && state.state === 'running') {
      const until = Date.now() + timeout * 1000;
      while (Date.now() < until) {
        await this.virsh.shutdown(instance.name).catch(() => undefined); // re-sent: a guest may miss the first ACPI event while booting
        const wait = Math.min(retryIntervalSec * 1000, until - Date.now());
        const { ok } = await this.host.waitFor(instance.name, (s) => !s || s.state === 'shut off', wait);
        if (ok) return;
      }
      this.log.info(`instance ${instance.uuid} did not shut down within ${timeout}s; destroying it`);
    }
    await this.host.forceOff(instance.name);
  }

  async powerOn(instance: DriverInstance, _networkInfo?: NetworkInfo): Promise<void> {
    const state = await this.requireDomain(instance);
    if (state.state === 'running') return;
    await this.hardReboot(instance);
  }

  async pause(instance: DriverInstance): Promise<void> {
    await this.requireDomain(instance);
    await this.virsh.suspend(instance.name);
  }

  async unpause(instance: DriverInstance): Promise<void> {
    await this.requireDomain(instance);
    await this.virsh.resume(instance.name);
  }

  /** Nova's suspend: the guest's memory goes to a managed save image and the domain stops. */
  async suspend(instance: DriverInstance): Promise<void> {
    const state = await this.requireDomain(instance);
    if (state.state !== 'running' && state.state !== 'paused') {
      throw new InstanceNotRunning({ instance_id: instance.uuid });
    }
    await this.virsh.managedSave(instance.name);
  }

  async resume(instance: DriverInstance, _networkInfo?: NetworkInfo): Promise<void> {
    const state = await this.requireDomain(instance);
    if (state.state === 'running') return;
    await this.virsh.start(instance.name); // restores the managed save image
    await this.host.started(instance, 'resume');
  }

  rescue(instance: DriverInstance, _n: NetworkInfo, rescueImage: ImageMeta, _rescuePassword?: string | null): Promise<void> { return this.guestOps.rescue(instance, rescueImage); }
  unrescue(instance: DriverInstance, _n?: NetworkInfo): Promise<void> { return this.guestOps.unrescue(instance); }
  snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void> { return this.guestOps.snapshot(instance, target); }

  /** Rebuild: the guest is made again from the (new) image on fresh disks. */
  async rebuild(req: SpawnRequest): Promise<void> {
    await this.destroy(req.instance, req.instance.network_info, true);
    await this.createGuest(req.instance, req.instance.flavor, req.image_meta, req.context, req.progress);
  }

  async triggerCrashDump(instance: DriverInstance): Promise<void> {
    const state = await this.requireDomain(instance);
    if (state.state !== 'running') throw new InstanceNotRunning({ instance_id: instance.uuid });
    await this.virsh.injectNmi(instance.name);
  }

  migrationTarget(): Promise<Omit<MigrationTarget, 'dest_host'>> { return this.migration.target(); }
  migrateDiskAndPowerOff(instance: DriverInstance, dest: MigrationTarget, newFlavor: FlavorCopy, _n?: NetworkInfo): Promise<Record<string, unknown>> {
    return this.migration.migrateDiskAndPowerOff(instance, dest, newFlavor);
  }
  finishMigration(instance: DriverInstance, info: Record<string, unknown>, image: ImageMeta, resize: boolean, powerOn: boolean): Promise<void> {
    return this.migration.finishMigration(instance, info, image, resize, powerOn);
  }
  confirmMigration(instance: DriverInstance, _n?: NetworkInfo): Promise<void> { return this.migration.confirmMigration(instance); }
  finishRevertMigration(instance: DriverInstance, _n: NetworkInfo, powerOn: boolean): Promise<void> {
    return this.migration.finishRevertMigration(instance, powerOn);
  }

  liveMigrationTarget(instance: DriverInstance): Promise<Omit<LiveMigrationTarget, 'dest_host'>> { return this.live.target(instance); }
  liveMigrationSharesStorage(dest: LiveMigrationTarget): Promise<boolean> { return this.live.sharesStorage(dest); }
  preLiveMigration(instance: DriverInstance, image: ImageMeta, block: boolean, dest: LiveMigrationTarget): Promise<void> {
    return this.live.pre(instance, image, block, dest.shared_storage_marker);
  }
  liveMigration(instance: DriverInstance, dest: LiveMigrationTarget, block: boolean): Promise<void> { return this.live.migrate(instance, dest, block); }
  postLiveMigrationAtDestination(instance: DriverInstance): Promise<void> { return this.live.post(instance); }
  rollbackLiveMigrationAtDestination(instance: DriverInstance, block: boolean): Promise<void> { return this.live.rollbackAtDestination(instance, block); }
  cleanupLiveMigrationSource(instance: DriverInstance, shared: boolean): Promise<void> { return this.live.cleanupSource(instance, shared); }

  /** The last 100 KiB of the serial console log. */
  async getConsoleOutput(instance: DriverInstance): Promise<string> {
    await this.requireDomain(instance);
    const log = this.host.files(instance.uuid).consoleLog;
    if (!(await this.host.exec.stat(log))) return '';
    return (await this.host.exec.readTail(log, CONSOLE_LOG_MAX_BYTES)).toString('utf8');
  }

  async getSerialConsole(instance: DriverInstance): Promise<ConsoleConnection> {
    if (!this.settings.serial.enabled) throw new ConsoleTypeUnavailable({ console_type: 'serial' });
    const state = await this.requireDomain(instance);
    if (state.state !== 'running' && state.state !== 'paused') throw new InstanceNotRunning({ instance_id: instance.uuid });
    const port = serialPortOf(await this.virsh.dumpXml(instance.name));
    // A guest defined before [serial_console] was enabled keeps its pty serial until it is rebuilt.
    if (port === null) throw new ConsoleTypeUnavailable({ console_type: 'serial' });
    return { host: this.settings.serial.listen, port, internal_access_path: null };
  }

  getVncConsole(instance: DriverInstance): Promise<ConsoleConnection> { return this.graphicalConsole(instance, 'vnc'); }
  getSpiceConsole(instance: DriverInstance): Promise<ConsoleConnection> { return this.graphicalConsole(instance, 'spice'); }

  private async graphicalConsole(instance: DriverInstance, type: 'vnc' | 'spice'): Promise<ConsoleConnection> {
    const settings = this.settings[type];
    if (!settings.enabled) throw new ConsoleTypeUnavailable({ console_type: type === 'vnc' ? 'novnc' : 'spice-html5' });
    const state = await this.requireDomain(instance);
    if (state.state !== 'running' && state.state !== 'paused') throw new InstanceNotRunning({ instance_id: instance.uuid });
    const { port } = await this.virsh.display(instance.name, type);
    return { host: settings.proxyHost, port, internal_access_path: null, ...(type === 'spice' ? { tls_port: null } : {}) };
  }

  async getHostUptime(): Promise<string> { return (await this.host.exec.run('uptime', [])).stdout.trim(); }

  /**
   * Removes cached bases that neither `usedImageIds` nor any disk under instances_path (disk.info,
   * including `_resize` copies) refers to, once older than remove_unused_original_minimum_age_seconds.
   */
  async manageImageCache(usedImageIds: string[]): Promise<void> {
    if (!this.settings.removeUnusedBases) return;
    const inUse = new Set(usedImageIds.map(baseName));
    const { exec } = this.host;
    const root = this.settings.instancesPath;
    for (const entry of await exec.listDir(root).catch(() => [] as string[])) {
      const info = await readDiskInfo(exec, `${root}/${entry}/disk.info`);
      if (!info) continue;
      for (const id of [info.image_id, info.kernel_id, info.ramdisk_id]) if (id) inUse.add(baseName(id));
      for (const d of info.disks) if (d.base) inUse.add(d.base);
    }
    await this.host.cache.removeUnused(inUse, this.settings.minUnusedAgeSec);
  }
}
