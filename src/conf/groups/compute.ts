import { CAPABILITY_NAMES } from '../../drivers/capability_names';
import { opt } from '../opt';

export const quota = {
  instances: opt.int(10, 'Instances per project (-1: unlimited).', { min: -1 }),
  cores: opt.int(20, 'vCPUs per project.', { min: -1 }),
  ram: opt.int(51200, 'MiB of RAM per project.', { min: -1 }),
  metadata_items: opt.int(128, 'Metadata items per instance.', { min: -1 }),
  injected_files: opt.int(5, 'Injected files per instance.', { min: -1 }),
  injected_file_content_bytes: opt.int(10240, 'Bytes per injected file.', { min: -1 }),
  injected_file_path_length: opt.int(255, 'Length of an injected file path.', { min: -1 }),
  key_pairs: opt.int(100, 'Key pairs per user.', { min: -1 }),
  server_groups: opt.int(10, 'Server groups per project.', { min: -1 }),
  server_group_members: opt.int(10, 'Servers per server group.', { min: -1 }),
  floating_ips: opt.int(10, 'Floating IPs per project (nova-network).', { min: -1 }),
  fixed_ips: opt.int(-1, 'Fixed IPs per project (nova-network).', { min: -1 }),
  security_groups: opt.int(10, 'Security groups per project (nova-network).', { min: -1 }),
  security_group_rules: opt.int(20, 'Rules per security group (nova-network).', { min: -1 }),
  driver: opt.str('nova.quota.DbQuotaDriver', 'Quota driver.', { choices: ['nova.quota.DbQuotaDriver', 'nova.quota.NoopQuotaDriver'] }),
};

export const scheduler = {
  max_attempts: opt.int(3, 'Hosts tried for one build before it fails.', { min: 1 }),
  discover_hosts_in_cells_interval: opt.int(-1, 'Kept for compatibility: hosts are usable on their first heartbeat.'),
  workers: opt.int(1, 'Scheduler workers.', { min: 1 }),
};

export const filter_scheduler = {
  enabled_filters: opt.list(['ComputeFilter', 'AvailabilityZoneFilter', 'RamFilter', 'DiskFilter', 'CoreFilter',
    'ComputeCapabilitiesFilter', 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter'],
  'Filters applied, in order.'),
  available_filters: opt.multi(['nova.scheduler.filters.all_filters'], 'Filter classes that may be enabled.'),
  weight_classes: opt.list(['nova.scheduler.weights.all_weighers'], 'Weighers used to rank hosts.'),
  host_subset_size: opt.int(1, 'Pick at random among the best N hosts.', { min: 1 }),
  ram_weight_multiplier: opt.float(1.0, 'RAM weigher multiplier (negative stacks).'),
  cpu_weight_multiplier: opt.float(1.0, 'CPU weigher multiplier.'),
  disk_weight_multiplier: opt.float(1.0, 'Disk weigher multiplier.'),
  io_ops_weight_multiplier: opt.float(-1.0, 'IO ops weigher multiplier.'),
  num_instances_weight_multiplier: opt.float(0.0, 'Instance count weigher multiplier (negative spreads).'),
  build_failure_weight_multiplier: opt.float(1000000.0, 'Penalty per recent build failure.'),
  soft_affinity_weight_multiplier: opt.float(1.0, 'Soft affinity weigher multiplier.'),
  soft_anti_affinity_weight_multiplier: opt.float(1.0, 'Soft anti-affinity weigher multiplier.'),
  max_io_ops_per_host: opt.int(8, 'IO-heavy operations per host.', { min: 0 }),
  max_instances_per_host: opt.int(50, 'Instances per host for NumInstancesFilter.', { min: 1 }),
  isolated_images: opt.list([], 'Images only for isolated hosts.'),
  isolated_hosts: opt.list([], 'Hosts only for isolated images.'),
  restrict_isolated_hosts_to_isolated_images: opt.bool(true, 'Keep isolated hosts for isolated images.'),
  aggregate_image_properties_isolation_namespace: opt.str('', 'Namespace of image properties matched to aggregate metadata.'),
  aggregate_image_properties_isolation_separator: opt.str('.', 'Separator of that namespace.'),
};

export const fake_driver = {
  vcpus: opt.int(16, 'vCPUs the fake driver reports.', { min: 1 }),
  memory_mb: opt.int(32768, 'MiB of memory the fake driver reports.', { min: 1 }),
  local_gb: opt.int(1024, 'GiB of disk the fake driver reports.', { min: 1 }),
  spawn_delay_ms: opt.int(0, 'Milliseconds each spawn takes (to model slow hypervisors).', { min: 0 }),
  fail_spawn_for: opt.list([], 'Instance names whose spawn fails (failure injection for tests).'),
  unsupported_capabilities: opt.list([], 'Driver capabilities the fake driver reports as missing (supports_pause, ...), to model a hypervisor that cannot do some actions.',
    { choices: CAPABILITY_NAMES }),
};

export const upgrade_levels = {
  compute: opt.str('', 'RPC version cap for compute (kept for compatibility).'),
  conductor: opt.str('', 'RPC version cap for conductor.'),
  scheduler: opt.str('', 'RPC version cap for scheduler.'),
};

export const oslo_messaging_amqp = {
  container_name: opt.str('', 'AMQP container name (default: host-pid).'),
  idle_timeout: opt.int(0, 'Seconds of idle before the connection is dropped (0: never).', { min: 0 }),
  connection_retry_interval: opt.float(1, 'Seconds before the first reconnect.', { min: 0.05 }),
  connection_retry_backoff: opt.float(2, 'Added to the retry interval on each failure.', { min: 0 }),
  connection_retry_interval_max: opt.float(30, 'Longest wait between reconnects.', { min: 0.05 }),
  default_send_timeout: opt.int(30, 'Seconds a cast may wait for the broker.', { min: 1 }),
  durable_queues: opt.bool(true, 'Work queues survive a broker restart.'),
};
