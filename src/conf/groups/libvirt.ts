import { opt } from '../opt';

/** `[libvirt]`: the libvirt compute driver (Nova's nova/conf/libvirt.py names). */
export const libvirt = {
  virt_type: opt.str('kvm', 'Domain type: kvm (hardware acceleration) or qemu (software emulation, for hosts without VT-x/AMD-V).',
    { choices: ['kvm', 'qemu'] }),
  connection_uri: opt.str('', 'Libvirt connection URI. Empty: qemu:///system on this host. qemu+ssh://user@host:port/system '
    + 'manages the hypervisor of another host: every command and file operation goes over one SSH connection.',
  { sample: 'qemu+ssh://root@compute1:22/system' }),
  images_type: opt.str('default', 'Instance disk type: qcow2 (copy-on-write overlay on a cached base image), raw or flat '
    + '(a full copy of the base image), default (qcow2).', { choices: ['default', 'qcow2', 'raw', 'flat'] }),
  inject_password: opt.bool(false, 'Inject the admin password into the disk at boot. Not supported by this driver: '
    + 'use the metadata service or a config drive instead.'),
  cpu_mode: opt.str('', 'Guest CPU: host-model, host-passthrough, custom (first of cpu_models) or none. Empty: host-model for kvm, none for qemu.',
    { choices: ['', 'host-model', 'host-passthrough', 'custom', 'none'] }),
  cpu_models: opt.list([], 'CPU models for cpu_mode=custom (e.g. Nehalem, Haswell-noTSX).'),
  wait_soft_reboot_seconds: opt.int(120, 'Seconds to wait for a guest to shut down on a soft reboot before a hard reboot is done.', { min: 1 }),
  snapshots_directory: opt.str('$instances_path/snapshots', 'Where snapshot images are written on the hypervisor host before upload.'),
  migration_inbound_addr: opt.str('$my_ip', 'Address other compute hosts use to copy disks to this host on a cold migration or resize '
    + '(host, user@host:port, or a qemu+ssh:// URI). Ignored when connection_uri already names a remote host.'),
  ssh_private_key: opt.str('', 'Private key for qemu+ssh connections (OpenSSH or PEM format). Empty: ~/.ssh/id_ed25519, then id_ecdsa, then id_rsa.'),
  ssh_known_hosts_file: opt.str('', 'known_hosts file the remote host key is checked against. Empty: ~/.ssh/known_hosts.'),
  ssh_strict_host_key_checking: opt.str('yes', 'yes: refuse unknown and changed host keys; accept-new: add unknown keys to the '
    + 'known_hosts file, refuse changed ones; no: accept any key (logged).', { choices: ['yes', 'accept-new', 'no'] }),
  ssh_connect_timeout: opt.int(20, 'Seconds to wait for an SSH connection to the hypervisor host.', { min: 1 }),
};

/** `[vnc]`: VNC consoles (nova/conf/vnc.py). */
export const vnc = {
  enabled: opt.bool(true, 'Give guests a VNC console.'),
  server_listen: opt.str('127.0.0.1', 'Address the VNC servers of the guests listen on.'),
  server_proxyclient_address: opt.str('127.0.0.1', 'Address the VNC proxy connects to for consoles of this host\'s guests.'),
};

/** `[spice]`: SPICE consoles (nova/conf/spice.py). */
export const spice = {
  enabled: opt.bool(false, 'Give guests a SPICE console.'),
  server_listen: opt.str('127.0.0.1', 'Address the SPICE servers of the guests listen on.'),
  server_proxyclient_address: opt.str('127.0.0.1', 'Address the SPICE proxy connects to for consoles of this host\'s guests.'),
};

/** Image cache options Nova keeps in [DEFAULT] (spread into the DEFAULT group). */
export const imageCacheDefaults = {
  image_cache_subdirectory_name: opt.str('_base', 'Directory under instances_path where cached base images are kept.'),
  remove_unused_base_images: opt.bool(true, 'Remove cached base images that no instance on this host uses.'),
  remove_unused_original_minimum_age_seconds: opt.int(86400, 'Unused base images younger than this are kept.', { min: 0 }),
  image_cache_manager_interval: opt.int(2400, 'Seconds between image cache cleanups (0: every periodic run, -1: never).', { min: -1 }),
  force_raw_images: opt.bool(true, 'Convert cached base images to raw (faster overlays, more disk).'),
  shutdown_timeout: opt.int(60, 'Seconds a guest gets to shut down cleanly on power off before it is destroyed.', { min: 0 }),
};
