import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NovaConf } from '../../conf/schema';
import { SshOptions, StrictHostKeyChecking } from './executor/ssh';
import { parsePortRange, SerialSettings } from './serial_ports';
import { HypervisorAddress, parseConnectionUri } from './uri';

export interface ConsoleSettings { enabled: boolean; listen: string; proxyHost: string }

/** The driver's settings, read once from nova.conf and checked. */
export interface LibvirtSettings {
  address: HypervisorAddress;
  virtType: 'kvm' | 'qemu';
  sshOptions: SshOptions;
  /** Absolute, on the hypervisor host. */
  instancesPath: string;
  baseDir: string;
  snapshotsDir: string;
  imagesType: 'qcow2' | 'raw';
  forceRawImages: boolean;
  removeUnusedBases: boolean;
  minUnusedAgeSec: number;
  cpuMode: 'host-model' | 'host-passthrough' | 'custom' | 'none';
  cpuModels: string[];
  waitSoftRebootSec: number;
  shutdownTimeoutSec: number;
  migrationInboundAddr: string;
  vnc: ConsoleSettings;
  spice: ConsoleSettings;
  serial: SerialSettings;
  myIp: string;
  /** [DEFAULT] network_namespace: where nova-network's bridges are (empty: this namespace); see vifs.ts. */
  vifNamespace: string;
}

function defaultKey(): string {
  const dir = path.join(os.homedir(), '.ssh');
  const found = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => path.join(dir, k)).find((p) => {
    try { return fs.statSync(p).isFile(); } catch { return false; }
  });
  return found ?? path.join(dir, 'id_ed25519');
}

export function readSettings(conf: NovaConf): LibvirtSettings {
  const lv = conf.libvirt;
  const address = parseConnectionUri(lv.connection_uri);
  // Paths name places on the hypervisor host: a relative one only makes sense for this host.
  const abs = (p: string, what: string): string => {
    if (path.isAbsolute(p)) return path.normalize(p);
    if (address.ssh) throw new Error(`${what} '${p}' must be an absolute path on ${address.ssh.host} when [libvirt] connection_uri names a remote host`);
    return path.resolve(p);
  };
  const instancesPath = abs(conf.DEFAULT.instances_path, '[DEFAULT] instances_path');
  const strict: StrictHostKeyChecking = address.params.no_verify ? 'no' : lv.ssh_strict_host_key_checking as StrictHostKeyChecking;
  const cpuMode = (lv.cpu_mode || (lv.virt_type === 'kvm' ? 'host-model' : 'none')) as LibvirtSettings['cpuMode'];
  if (cpuMode === 'custom' && lv.cpu_models.length === 0) throw new Error('[libvirt] cpu_mode = custom needs [libvirt] cpu_models');
  return {
    address,
    virtType: lv.virt_type as 'kvm' | 'qemu',
    sshOptions: {
      privateKeyPath: address.params.keyfile || lv.ssh_private_key || defaultKey(),
      knownHostsFile: address.params.known_hosts || lv.ssh_known_hosts_file || path.join(os.homedir(), '.ssh', 'known_hosts'),
      strictHostKeyChecking: strict,
      connectTimeoutSec: lv.ssh_connect_timeout,
    },
    instancesPath,
    baseDir: path.posix.join(instancesPath, conf.DEFAULT.image_cache_subdirectory_name),
    snapshotsDir: abs(lv.snapshots_directory, '[libvirt] snapshots_directory'),
    imagesType: lv.images_type === 'raw' || lv.images_type === 'flat' ? 'raw' : 'qcow2',
    forceRawImages: conf.DEFAULT.force_raw_images,
    removeUnusedBases: conf.DEFAULT.remove_unused_base_images,
    minUnusedAgeSec: conf.DEFAULT.remove_unused_original_minimum_age_seconds,
    cpuMode,
    cpuModels: lv.cpu_models,
    waitSoftRebootSec: lv.wait_soft_reboot_seconds,
    shutdownTimeoutSec: conf.DEFAULT.shutdown_timeout,
    migrationInboundAddr: lv.migration_inbound_addr,
    vnc: { enabled: conf.vnc.enabled, listen: conf.vnc.server_listen, proxyHost: conf.vnc.server_proxyclient_address },
    spice: { enabled: conf.spice.enabled, listen: conf.spice.server_listen, proxyHost: conf.spice.server_proxyclient_address },
    serial: {
      enabled: conf.serial_console.enabled, listen: conf.serial_console.proxyclient_address,
      portRange: conf.serial_console.enabled ? parsePortRange(conf.serial_console.port_range) : { min: 0, max: -1 },
    },
    myIp: conf.DEFAULT.my_ip,
    vifNamespace: conf.DEFAULT.network_namespace,
  };
}
