import { opt } from '../opt';

/** [vmware]: the vmwareapi.VMwareVCDriver's vCenter connection, with Nova's option names. */
export const vmware = {
  host_ip: opt.str('', 'Hostname or IP address of the vCenter server.'),
  host_port: opt.int(443, 'HTTPS port of the vCenter server.', { min: 1, max: 65535 }),
  host_username: opt.str('', 'User name for the vCenter login.'),
  host_password: opt.str('', 'Password for the vCenter login.', { secret: true }),
  ca_file: opt.str('', 'CA bundle (PEM) that verifies the vCenter certificate (empty: the system CAs).'),
  insecure: opt.bool(false, 'Do not verify the vCenter certificate. Ignored when ca_file is set.'),
  cluster_name: opt.str('', 'Name of the vCenter cluster this compute service manages (one node).'),
  datastore_regex: opt.str('', 'Regular expression selecting the datastores to use (empty: any; the one with most free space wins).'),
  task_poll_interval: opt.float(0.5, 'Seconds between polls of a running vCenter task.', { min: 0.01 }),
  api_retry_count: opt.int(10, 'Retries of a vCenter API call after a connection failure.', { min: 0 }),
  maximum_objects: opt.int(100, 'Objects returned per property-collector page.', { min: 1 }),
  vnc_port: opt.int(5900, 'First VNC port handed to instances (RemoteDisplay.vnc.port).', { min: 1, max: 65535 }),
  vnc_port_total: opt.int(10000, 'Number of VNC ports available from vnc_port.', { min: 1 }),
  vnc_keymap: opt.str('en-us', 'Keymap of the instances\' VNC consoles.'),
  cache_prefix: opt.str('', 'Prefix of the image cache folder on the datastore (folder is <prefix>vmware_base; empty: vmware_base).'),
  image_transfer_timeout_secs: opt.int(7200, 'Seconds an image upload or download to a datastore may take.', { min: 1 }),
};
