import { PowerStateValue } from '../compute/power_state';
import { RequestContext } from '../context';
import { FlavorCopy } from '../db/models/instance';
import type { ImageService } from '../image/api';
import type { Capability } from './capability_names';

/**
 * The hypervisor-facing interface every compute driver implements (libvirt, fake, VMware, XenAPI),
 * after Nova's nova/virt/driver.py. The compute manager only ever talks to a driver through this.
 */

/** What a driver knows about an instance: everything needed to build and run it, no database rows. */
export interface DriverInstance {
  uuid: string;
  /** Hypervisor name, from `instance_name_template` (instance-0000002a). */
  name: string;
  display_name: string;
  hostname: string | null;
  project_id: string;
  user_id: string;
  flavor: FlavorCopy;
  image_ref: string;
  kernel_id: string | null;
  ramdisk_id: string | null;
  key_data: string | null;
  user_data: string | null;
  metadata: Record<string, string>;
  network_info: NetworkInfo;
  power_state: number;
  vm_state: string;
  task_state: string | null;
  host: string | null;
  node: string | null;
}

export interface ImageMeta {
  id: string;
  name?: string;
  disk_format?: string;
  container_format?: string;
  size?: number;
  checksum?: string;
  min_disk?: number;
  min_ram?: number;
  properties: Record<string, string>;
}

/** One virtual interface as Nova's network_info model carries it. */
export interface Vif {
  id: string;
  address: string;
  network: { id: string; bridge: string | null; label: string; subnets: Array<{ cidr: string; gateway?: string; dns?: string[]; ips: Array<{ address: string; type: 'fixed' | 'floating'; floating_ips?: string[] }> }>; meta?: Record<string, unknown> };
  type: string;
  devname?: string;
  vlan?: number | null;
  meta?: Record<string, unknown>;
}
export type NetworkInfo = Vif[];

export interface InstanceInfo {
  state: PowerStateValue;
  max_mem_kb?: number;
  mem_kb?: number;
  num_cpu?: number;
  cpu_time_ns?: number;
  id?: string;
}

/** Host resources, as `get_available_resource` reports them into compute_nodes. */
export interface HostResources {
  hypervisor_hostname: string;
  hypervisor_type: string;
  hypervisor_version: number;
  host_ip?: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  disk_available_least?: number;
  cpu_info: Record<string, unknown>;
  supported_instances?: Array<[string, string, string]>;
}

export interface ConsoleConnection {
  host: string;
  port: number;
  internal_access_path?: string | null;
  /** For TLS consoles (SPICE tls_port). */
  tls_port?: number | null;
  password?: string | null;
}

export type DriverCapabilities = Record<Capability, boolean>;

export type RebootType = 'SOFT' | 'HARD';

export interface SpawnRequest {
  instance: DriverInstance;
  image_meta: ImageMeta;
  admin_password?: string | null;
  injected_files?: Array<[string, string]>;
  block_device_info?: unknown;
  /** Report progress (0-100) while spawning. */
  progress?: (pct: number) => void;
  /** The caller's context, for image downloads on its behalf (an admin context when absent). */
  context?: RequestContext;
}

/** Where snapshot data goes: the compute manager gives the driver an upload function. */
export interface SnapshotTarget {
  image_id: string;
  upload(data: NodeJS.ReadableStream | Buffer, meta: { disk_format: string; container_format: string; size?: number }): Promise<void>;
}

export interface MigrationTarget {
  dest_host: string;
  /** Where the destination driver is reached (its libvirt URI, SSH address, ...). */
  dest_address?: string;
  /** Where the destination keeps instance directories (when it differs from the source's). */
  dest_instances_path?: string;
}

/** What the destination of a live migration tells the source (Nova's migrate_data). */
export interface LiveMigrationTarget extends MigrationTarget {
  /** The guest's name on the destination (its instance_name_template). */
  dest_instance_name?: string;
  /** A file the destination made in its instances_path: seen by the source means shared storage. */
  shared_storage_marker?: string;
  /** Where the guest's serial console listens on the destination ([serial_console] enabled there), as Nova's migrate_data. */
  serial_listen_addr?: string;
  serial_listen_ports?: number[];
}

export interface ComputeDriver {
  readonly capabilities: DriverCapabilities;
  /** `fake.FakeDriver`, `libvirt.LibvirtDriver`, ... */
  readonly name: string;

  /** Connects to the hypervisor and checks it can be used. Throws a clear error when it cannot. */
  initHost(host: string): Promise<void>;
  /** Hands the driver the image service it downloads images from (drivers with local disks need it). Called before initHost. */
  setImageService?(images: () => Promise<ImageService>): void;
  cleanupHost?(host: string): Promise<void>;
  /** The nodes this driver manages (one for most drivers; clusters for VMware). */
  getAvailableNodes(): Promise<string[]>;
  getAvailableResource(node: string): Promise<HostResources>;
  /** Names of the instances the hypervisor has (for power-state sync and leak checks). */
  listInstances(): Promise<string[]>;
  /** UUIDs of the instances the hypervisor has. */
  listInstanceUuids(): Promise<string[]>;
  instanceExists(instance: DriverInstance): Promise<boolean>;
  getInfo(instance: DriverInstance): Promise<InstanceInfo>;

  spawn(req: SpawnRequest): Promise<void>;
  /** Removes the guest and, with `destroyDisks`, its disks. Succeeds if it is already gone. */
  destroy(instance: DriverInstance, networkInfo: NetworkInfo, destroyDisks: boolean): Promise<void>;
  reboot(instance: DriverInstance, networkInfo: NetworkInfo, type: RebootType): Promise<void>;
  powerOff(instance: DriverInstance, timeoutSec?: number, retryIntervalSec?: number): Promise<void>;
  powerOn(instance: DriverInstance, networkInfo: NetworkInfo): Promise<void>;
  pause(instance: DriverInstance): Promise<void>;
  unpause(instance: DriverInstance): Promise<void>;
  suspend(instance: DriverInstance): Promise<void>;
  resume(instance: DriverInstance, networkInfo: NetworkInfo): Promise<void>;
  rescue(instance: DriverInstance, networkInfo: NetworkInfo, rescueImage: ImageMeta, rescuePassword: string | null): Promise<void>;
  unrescue(instance: DriverInstance, networkInfo: NetworkInfo): Promise<void>;
  /** Rebuild in place: the driver may re-create the guest from a new image. */
  rebuild?(req: SpawnRequest): Promise<void>;
  snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void>;
  triggerCrashDump?(instance: DriverInstance): Promise<void>;

  /** Cold resize/migrate, source side: stop the guest and move its disks to the destination. */
  migrateDiskAndPowerOff(instance: DriverInstance, dest: MigrationTarget, newFlavor: FlavorCopy, networkInfo: NetworkInfo): Promise<Record<string, unknown>>;
  /** Destination side: build the guest from the moved disks with the new flavor. */
  finishMigration(instance: DriverInstance, migrationInfo: Record<string, unknown>, imageMeta: ImageMeta, resizeInstance: boolean, powerOn: boolean, networkInfo: NetworkInfo): Promise<void>;
  /** Source side, after confirm: remove what is left of the old guest. */
  confirmMigration(instance: DriverInstance, networkInfo: NetworkInfo): Promise<void>;
  /** Source side, after revert: bring the old guest back. */
  finishRevertMigration(instance: DriverInstance, networkInfo: NetworkInfo, powerOn: boolean): Promise<void>;
  /** Live migration, destination side at the pre-check: how the source reaches this host. */
  liveMigrationTarget?(instance: DriverInstance): Promise<Omit<LiveMigrationTarget, 'dest_host'>>;
  /** Source side: whether the destination shares this host's instance storage. */
  liveMigrationSharesStorage?(dest: LiveMigrationTarget): Promise<boolean>;
  /** Destination side, before: the disks a block migration copies into. */
  preLiveMigration?(instance: DriverInstance, imageMeta: ImageMeta, blockMigration: boolean, dest: LiveMigrationTarget): Promise<void>;
  /** Source side: moves the running guest. Refusals before the guest moved are MigrationPreCheckError. */
  liveMigration?(instance: DriverInstance, dest: LiveMigrationTarget, blockMigration: boolean): Promise<void>;
  /** Destination side, after the guest arrived. */
  postLiveMigrationAtDestination?(instance: DriverInstance): Promise<void>;
  /** Destination side, after a failure: what preLiveMigration made goes. */
  rollbackLiveMigrationAtDestination?(instance: DriverInstance, blockMigration: boolean): Promise<void>;
  /** Source side, after the guest left: its files go unless shared. */
  cleanupLiveMigrationSource?(instance: DriverInstance, sharedStorage: boolean): Promise<void>;
  /** Destination side, before a cold migration: how the source reaches this host (dest_address, dest_instances_path). */
  migrationTarget?(): Promise<Omit<MigrationTarget, 'dest_host'>>;

  getConsoleOutput(instance: DriverInstance): Promise<string>;
  getVncConsole(instance: DriverInstance): Promise<ConsoleConnection>;
  getSpiceConsole(instance: DriverInstance): Promise<ConsoleConnection>;
  getSerialConsole?(instance: DriverInstance): Promise<ConsoleConnection>;

  plugVifs?(instance: DriverInstance, networkInfo: NetworkInfo): Promise<void>;
  unplugVifs?(instance: DriverInstance, networkInfo: NetworkInfo): Promise<void>;
  /** Removes cached images no instance uses any more. */
  manageImageCache?(usedImageIds: string[]): Promise<void>;
  getHostUptime?(): Promise<string>;
}

export const NO_CAPABILITIES: DriverCapabilities = {
  has_imagecache: false, supports_evacuate: false, supports_migrate_to_same_host: false, supports_attach_interface: false,
  supports_pause: false, supports_suspend: false, supports_rescue: false, supports_snapshot: false, supports_resize: false,
  supports_live_migration: false, supports_console_output: false, supports_vnc_console: false, supports_spice_console: false,
  supports_serial_console: false, supports_mks_console: false, supports_soft_reboot: false, supports_trigger_crash_dump: false,
};
