import { PowerState, PowerStateValue } from '../../compute/power_state';
import { NovaConf } from '../../conf/schema';
import { FlavorCopy } from '../../db/models/instance';
import { InstanceNotFound } from '../../exception';
import {
  ComputeDriver, ConsoleConnection, DriverCapabilities, DriverInstance, HostResources, ImageMeta, InstanceInfo,
  MigrationTarget, NetworkInfo, RebootType, SnapshotTarget, SpawnRequest,
} from '../driver';

interface FakeGuest {
  uuid: string;
  name: string;
  state: PowerStateValue;
  flavor: FlavorCopy;
  image_id: string;
  console: string[];
  rescued: boolean;
}

/** A hook a test sets to make one operation fail: return an Error to throw it. */
export type FailureHook = (op: string, instance: DriverInstance) => Error | undefined;

/**
 * The fake hypervisor (nova/virt/fake.py): keeps guests in memory, reports configured resources,
 * and can fail on purpose (`[fake_driver] fail_spawn_for`, or `failureHook` in tests).
 */
export class FakeDriver implements ComputeDriver {
  readonly name = 'fake.FakeDriver';
  readonly capabilities: DriverCapabilities = {
    has_imagecache: false, supports_evacuate: true, supports_migrate_to_same_host: true, supports_attach_interface: true,
    supports_pause: true, supports_suspend: true, supports_rescue: true, supports_snapshot: true, supports_resize: true,
    supports_live_migration: true, supports_console_output: true, supports_vnc_console: true, supports_spice_console: true,
    supports_serial_console: true, supports_mks_console: false, supports_soft_reboot: true, supports_trigger_crash_dump: true,
  };
  /** Guests of every FakeDriver in this process by host, so a fake migration can move one. */
  private static hosts = new Map<string, Map<string, FakeGuest>>();
  private guests = new Map<string, FakeGuest>();
  private host = '';
  failureHook?: FailureHook;

  constructor(private conf: NovaConf) {}

  async initHost(host: string): Promise<void> {
    this.host = host;
    const existing = FakeDriver.hosts.get(host);
    if (existing) this.guests = existing;
    else FakeDriver.hosts.set(host, this.guests);
  }

  private fail(op: string, instance: DriverInstance): void {
    const hooked = this.failureHook?.(op, instance);
    if (hooked) throw hooked;
    if (op === 'spawn' && this.conf.fake_driver.fail_spawn_for.includes(instance.display_name)) {
      throw new Error(`fake driver: spawn of ${instance.display_name} fails by configuration ([fake_driver] fail_spawn_for)`);
    }
  }

  private guest(instance: DriverInstance): FakeGuest {
    const g = this.guests.get(instance.uuid);
    if (!g) throw new InstanceNotFound({ instance_id: instance.uuid });
    return g;
  }

  private set(instance: DriverInstance, state: PowerStateValue, line: string): void {
    const g = this.guest(instance);
    g.state = state;
    g.console.push(line);
  }

  async getAvailableNodes(): Promise<string[]> { return [this.host]; }

  async getAvailableResource(node: string): Promise<HostResources> {
    const f = this.conf.fake_driver;
    const used = [...this.guests.values()];
    return {
      hypervisor_hostname: node, hypervisor_type: 'fake', hypervisor_version: 1000, host_ip: this.conf.DEFAULT.my_ip,
      vcpus: f.vcpus, memory_mb: f.memory_mb, local_gb: f.local_gb,
      vcpus_used: used.reduce((a, g) => a + g.flavor.vcpus, 0),
      memory_mb_used: used.reduce((a, g) => a + g.flavor.memory_mb, 0),
      local_gb_used: used.reduce((a, g) => a + g.flavor.root_gb + g.flavor.ephemeral_gb, 0),
      disk_available_least: f.local_gb,
      cpu_info: { arch: 'x86_64', model: 'fake', vendor: 'fake', topology: { sockets: 1, cores: f.vcpus, threads: 1 }, features: [] },
      supported_instances: [['x86_64', 'fake', 'hvm']],
    };
  }

  async listInstances(): Promise<string[]> { return [...this.guests.values()].map((g) => g.name); }
  async listInstanceUuids(): Promise<string[]> { return [...this.guests.keys()]; }
  async instanceExists(instance: DriverInstance): Promise<boolean> { return this.guests.has(instance.uuid); }

  async getInfo(instance: DriverInstance): Promise<InstanceInfo> {
    const g = this.guest(instance);
    return { state: g.state, max_mem_kb: g.flavor.memory_mb * 1024, mem_kb: g.flavor.memory_mb * 1024, num_cpu: g.flavor.vcpus, cpu_time_ns: 0 };
  }

  async spawn(req: SpawnRequest): Promise<void> {
    const { instance } = req;
    this.fail('spawn', instance);
    const delay = this.conf.fake_driver.spawn_delay_ms;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    req.progress?.(100);
    this.guests.set(instance.uuid, {
      uuid: instance.uuid, name: instance.name, state: PowerState.RUNNING, flavor: instance.flavor, image_id: req.image_meta.id,
      console: [`fake guest ${instance.name} booted from image ${req.image_meta.id}`], rescued: false,
    });
  }

  async destroy(instance: DriverInstance): Promise<void> {
    this.fail('destroy', instance);
    this.guests.delete(instance.uuid);
  }

  async reboot(instance: DriverInstance, _n: NetworkInfo, type: RebootType): Promise<void> {
    this.fail('reboot', instance);
    this.set(instance, PowerState.RUNNING, `${type === 'HARD' ? 'hard' : 'soft'} reboot`);
  }
  async powerOff(instance: DriverInstance): Promise<void> { this.fail('power_off', instance); this.set(instance, PowerState.SHUTDOWN, 'powered off'); }
  async powerOn(instance: DriverInstance): Promise<void> { this.fail('power_on', instance); this.set(instance, PowerState.RUNNING, 'powered on'); }
  async pause(instance: DriverInstance): Promise<void> { this.fail('pause', instance); this.set(instance, PowerState.PAUSED, 'paused'); }
  async unpause(instance: DriverInstance): Promise<void> { this.fail('unpause', instance); this.set(instance, PowerState.RUNNING, 'unpaused'); }
  async suspend(instance: DriverInstance): Promise<void> { this.fail('suspend', instance); this.set(instance, PowerState.SUSPENDED, 'suspended'); }
  async resume(instance: DriverInstance): Promise<void> { this.fail('resume', instance); this.set(instance, PowerState.RUNNING, 'resumed'); }

  async rescue(instance: DriverInstance, _n: NetworkInfo, image: ImageMeta): Promise<void> {
    this.fail('rescue', instance);
    this.guest(instance).rescued = true;
    this.set(instance, PowerState.RUNNING, `rescued with image ${image.id}`);
  }
  async unrescue(instance: DriverInstance): Promise<void> {
    this.fail('unrescue', instance);
    this.guest(instance).rescued = false;
    this.set(instance, PowerState.RUNNING, 'unrescued');
  }

  async rebuild(req: SpawnRequest): Promise<void> {
    this.fail('rebuild', req.instance);
    this.guests.delete(req.instance.uuid);
    await this.spawn(req);
  }

  async snapshot(instance: DriverInstance, target: SnapshotTarget): Promise<void> {
    this.fail('snapshot', instance);
    const g = this.guest(instance);
    const data = Buffer.from(`fake disk of ${g.name} from image ${g.image_id}\n`);
    await target.upload(data, { disk_format: 'raw', container_format: 'bare', size: data.length });
  }

  async triggerCrashDump(instance: DriverInstance): Promise<void> { this.set(instance, this.guest(instance).state, 'NMI received: crash dump'); }

  async migrateDiskAndPowerOff(instance: DriverInstance, dest: MigrationTarget): Promise<Record<string, unknown>> {
    this.fail('migrate_disk_and_power_off', instance);
    const g = this.guest(instance);
    g.state = PowerState.SHUTDOWN;
    return { source_host: this.host, dest_host: dest.dest_host, image_id: g.image_id, console: g.console };
  }

  async finishMigration(instance: DriverInstance, info: Record<string, unknown>, image: ImageMeta, _resize: boolean, powerOn: boolean): Promise<void> {
    this.fail('finish_migration', instance);
    this.guests.set(instance.uuid, {
      uuid: instance.uuid, name: instance.name, state: powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN, flavor: instance.flavor,
      image_id: String(info.image_id ?? image.id), console: [...((info.console as string[]) ?? []), 'migrated here'], rescued: false,
    });
  }

  async confirmMigration(instance: DriverInstance): Promise<void> {
    // Source side: the old guest goes, unless the resize stayed on this host (then it is the new one).
    const movedAway = [...FakeDriver.hosts].some(([h, m]) => h !== this.host && m.has(instance.uuid));
    if (movedAway) this.guests.delete(instance.uuid);
  }

  async finishRevertMigration(instance: DriverInstance, _n: NetworkInfo, powerOn: boolean): Promise<void> {
    const g = this.guests.get(instance.uuid);
    if (g) { g.state = powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN; g.flavor = instance.flavor; return; }
    this.guests.set(instance.uuid, {
      uuid: instance.uuid, name: instance.name, state: powerOn ? PowerState.RUNNING : PowerState.SHUTDOWN, flavor: instance.flavor,
      image_id: instance.image_ref, console: ['resize reverted'], rescued: false,
    });
  }

  async getConsoleOutput(instance: DriverInstance): Promise<string> {
    return this.guest(instance).console.join('\n') + '\n';
  }

  async getVncConsole(instance: DriverInstance): Promise<ConsoleConnection> {
    this.guest(instance);
    return { host: this.conf.DEFAULT.my_ip, port: 6969, internal_access_path: null };
  }

  async getSpiceConsole(instance: DriverInstance): Promise<ConsoleConnection> {
    this.guest(instance);
    return { host: this.conf.DEFAULT.my_ip, port: 6970, tls_port: 6971, internal_access_path: null };
  }

  async getSerialConsole(instance: DriverInstance): Promise<ConsoleConnection> {
    this.guest(instance);
    return { host: this.conf.serial_console.proxyclient_address, port: 6972, internal_access_path: null };
  }

  async getHostUptime(): Promise<string> {
    return ` ${new Date().toTimeString().slice(0, 8)} up 1 day, load average: 0.00, 0.00, 0.00`;
  }

  /** For tests: forget every guest of every fake host in this process. */
  static reset(): void {
    for (const m of FakeDriver.hosts.values()) m.clear();
    FakeDriver.hosts.clear();
  }
}

