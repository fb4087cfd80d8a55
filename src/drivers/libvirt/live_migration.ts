import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { RequestContext } from '../../context';
import { InstanceNotRunning, MigrationError, MigrationPreCheckError } from '../../exception';
import { DriverInstance, ImageMeta, LiveMigrationTarget } from '../driver';
import { createInstanceDisks } from './disks';
import type { LibvirtDriver } from './driver';
import { LibvirtHost } from './host';
import { InstanceFiles } from './instance_files';
import { withSerialPort } from './serial_ports';
import { HypervisorAddress, parseConnectionUri, sameHypervisor } from './uri';
import { LibvirtError } from './virsh';

/** How long one live migration may take before virsh is stopped (a big guest over a slow link). */
const MIGRATE_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * Live migration on libvirt. The source host's libvirt moves the running guest to the destination's
 * libvirtd (`virsh migrate --live`, run on the source host; libvirt's client reaches a remote
 * destination over libssh2 with this driver's key and known_hosts). Without shared instance storage
 * (block migration) the destination first makes the same disks, overlays on its own cached bases,
 * and libvirt copies what the guest wrote (--copy-storage-inc); the domain XML is rewritten for the
 * destination's instances_path and instance name, and its TCP serial console for a port the
 * destination reserved (the source QEMU holds the old one until the switch-over). When libvirt
 * refuses before the guest moved (two hosts on one libvirtd: "Attempt to migrate guest to the same
 * host") the error is a MigrationPreCheckError carrying libvirt's reason, and the guest runs on
 * where it was.
 */
export class LiveMigration {
  /** Destination: serial console ports held for guests on their way here, by instance uuid. */
  private serialPorts = new Map<string, number>();

  constructor(private host: LibvirtHost, private driver: LibvirtDriver) {}

  /**
   * Destination, at the pre-check: how the source reaches this host, a marker to detect shared
   * storage and, with serial consoles, a port of this host's for the guest's (the source's is taken
   * by the source QEMU, which runs until the switch-over).
   */
  async target(instance: Pick<DriverInstance, 'uuid' | 'name'>): Promise<Omit<LiveMigrationTarget, 'dest_host'>> {
    const marker = `.nova-shared-storage-test-${randomBytes(6).toString('hex')}`;
    await this.host.exec.mkdir(this.host.settings.instancesPath);
    await this.host.exec.writeFile(path.posix.join(this.host.settings.instancesPath, marker), '');
    const serial = await this.reserveSerialPort(instance.uuid);
    return {
      ...(await this.driver.migrationTarget()), dest_instance_name: instance.name, shared_storage_marker: marker,
      ...(serial !== null ? { serial_listen_addr: this.host.settings.serial.listen, serial_listen_ports: [serial] } : {}),
    };
  }

  private async reserveSerialPort(uuid: string): Promise<number | null> {
    this.releaseSerialPort(uuid);
    const port = await this.host.serialPorts.reserve();
    if (port !== null) this.serialPorts.set(uuid, port);
    return port;
  }

  private releaseSerialPort(uuid: string): void {
    const port = this.serialPorts.get(uuid);
    if (port !== undefined) this.host.serialPorts.release(port);
    this.serialPorts.delete(uuid);
  }

  /** Source: whether the destination's instances_path is this host's too (Nova's shared storage test). */
  async sharesStorage(dest: LiveMigrationTarget): Promise<boolean> {
    if (!dest.shared_storage_marker) return false;
    const here = path.posix.join(this.host.settings.instancesPath, dest.shared_storage_marker);
    return (await this.host.exec.stat(here)) !== null;
  }

  /** Destination, before: drops the marker; for a block migration, makes the disks the guest's data lands on. */
  async pre(instance: DriverInstance, image: ImageMeta, block: boolean, marker: string | undefined, ctx?: RequestContext): Promise<void> {
    if (marker) await this.host.exec.remove(path.posix.join(this.host.settings.instancesPath, marker));
    const files = this.host.files(instance.uuid);
    if (!block) {
      if (!(await this.host.exec.stat(files.disk))) {
        throw new MigrationPreCheckError({ reason: `${files.disk} is not visible on ${this.host.virsh.where}: the hosts do not share instances_path, use block migration` });
      }
      return;
    }
    if (await this.host.exec.stat(files.dir)) {
      throw new MigrationPreCheckError({ reason: `${files.dir} already exists on ${this.host.virsh.where}` });
    }
    await this.host.exec.mkdir(files.dir);
    try {
      await createInstanceDisks({ exec: this.host.exec, qemuImg: this.host.qemuImg, cache: this.host.cache, imagesType: this.host.settings.imagesType },
        files, instance, instance.flavor, image, ctx);
    } catch (e) {
      await this.host.exec.remove(files.dir).catch(() => undefined);
      throw e;
    }
  }

  /** Destination, after a failed migration: what pre made goes (the guest is still on the source). */
  async rollbackAtDestination(instance: DriverInstance, block: boolean): Promise<void> {
    this.releaseSerialPort(instance.uuid);
    if (block && !(await this.host.virsh.state(instance.name))) await this.host.exec.remove(this.host.files(instance.uuid).dir);
  }

  /** Destination, after: keeps the domain's XML beside its disks, as a spawn does. */
  async post(instance: DriverInstance): Promise<void> {
    const xml = await this.host.virsh.dumpXml(instance.name, true);
    await this.host.exec.writeFile(this.host.files(instance.uuid).domainXml, xml);
    this.host.serialPorts.written(xml);
    this.serialPorts.delete(instance.uuid);
  }

  /** Source: moves the running guest. */
  async migrate(instance: DriverInstance, dest: LiveMigrationTarget, block: boolean): Promise<void> {
    const s = this.host.settings;
    if (!dest.dest_address) throw new MigrationPreCheckError({ reason: `the destination ${dest.dest_host} gave no libvirt address` });
    const to = parseConnectionUri(dest.dest_address);
    if (sameHypervisor(to, s.address)) {
      throw new MigrationPreCheckError({ reason: `${dest.dest_host} is managed through the same libvirt connection as this host (${s.address.uri})` });
    }
    const state = await this.driver.requireDomain(instance);
    if (state.state !== 'running' && state.state !== 'paused') throw new InstanceNotRunning({ instance_id: instance.uuid });

    const files = this.host.files(instance.uuid);
    const destFiles = new InstanceFiles(dest.dest_instances_path ?? s.instancesPath, instance.uuid);
    const destName = dest.dest_instance_name ?? instance.name;
    // Paths follow the destination's instances_path; the name stays (libvirt checks it) and --dname renames.
    let xml = (await this.host.virsh.run(['dumpxml', '--migratable', instance.name])).split(`${files.dir}/`).join(`${destFiles.dir}/`);
    const serialPort = dest.serial_listen_ports?.[0];
    if (dest.serial_listen_addr && serialPort) xml = withSerialPort(xml, dest.serial_listen_addr, serialPort);
    const xmlFile = files.file('migrate.xml');
    await this.host.exec.writeFile(xmlFile, xml);
    const args = ['migrate', '--live', '--persistent', '--undefinesource', '--xml', xmlFile, '--persistent-xml', xmlFile, '--dname', destName,
      ...(block ? ['--copy-storage-inc'] : []),
      ...(to.ssh ? ['--migrateuri', `tcp://${to.ssh.host}`, ...(block ? ['--disks-uri', `tcp://${to.ssh.host}`] : [])] : []),
      instance.name, this.clientUri(to)];
    try {
      await this.host.virsh.run(args, { timeoutMs: MIGRATE_TIMEOUT_MS });
    } catch (e) {
      if (!(e instanceof LibvirtError)) throw e;
      const still = await this.host.virsh.state(instance.name).catch(() => null);
      // Still running here: libvirt refused or gave up before the switch-over; nothing moved.
      if (still && (still.state === 'running' || still.state === 'paused')) throw new MigrationPreCheckError({ reason: `libvirt refused: ${e.libvirtMessage}` });
      throw new MigrationError({ reason: e.message });
    } finally {
      await this.host.exec.remove(xmlFile).catch(() => undefined);
    }
  }

  /** Source, after: the guest left (libvirt undefined it here); its files go unless shared with the destination. */
  async cleanupSource(instance: DriverInstance, shared: boolean): Promise<void> {
    if (!shared) await this.host.exec.remove(this.host.files(instance.uuid).dir);
  }

  /** The URI libvirt's client on this host uses for the destination: libssh2 with our key and known_hosts. */
  private clientUri(to: HypervisorAddress): string {
    if (!to.ssh) return to.libvirtUri;
    const { sshOptions } = this.host.settings;
    const q = new URLSearchParams({ keyfile: sshOptions.privateKeyPath, known_hosts: sshOptions.knownHostsFile, sshauth: 'privkey' });
    const hostPart = to.ssh.host.includes(':') ? `[${to.ssh.host}]` : to.ssh.host;
    return `${to.libvirtUri.replace(/:\/\/.*$/, '')}+libssh2://${encodeURIComponent(to.ssh.username)}@${hostPart}:${to.ssh.port}${new URL(to.libvirtUri).pathname}?${q}`;
  }
}
