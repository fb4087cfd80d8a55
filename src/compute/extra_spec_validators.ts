import { ValidationError } from '../exception';

/**
 * Flavor extra spec validation of microversion 2.86 (Nova's nova/api/validation/extra_specs): a key
 * Nova knows must have a valid value; an unknown key in a namespace Nova knows is refused; any other
 * key passes. Standard resource classes and traits are matched by shape (upper case, digits and
 * underscores) rather than against os-resource-classes/os-traits' lists.
 */

type ValueRule =
  | { type: 'str'; enum?: string[]; pattern?: string }
  | { type: 'int'; min?: number; max?: number }
  | { type: 'bool' };

interface SpecRule { name: string; regex: RegExp; value: ValueRule }

const GROUP = '([a-zA-Z0-9_-]{1,64})?';
const CPU_SET = '\\^?\\d+((-\\d+)?(,\\^?\\d+(-\\d+)?)?)*';
const str = (...values: string[]): ValueRule => (values.length ? { type: 'str', enum: values } : { type: 'str' });
const pattern = (p: string): ValueRule => ({ type: 'str', pattern: p });
const int = (min?: number, max?: number): ValueRule => ({ type: 'int', min, max });
const bool: ValueRule = { type: 'bool' };

/** `name` is a literal key, or a template whose `{param}` parts match the given patterns. */
function rule(name: string, value: ValueRule, params: Record<string, string> = {}): SpecRule {
  let regex = name.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  for (const [p, pat] of Object.entries(params)) regex = regex.replace(`{${p}}`, `(${pat})`);
  return { name, regex: new RegExp(`^(?:${regex})$`), value };
}

const CAPABILITIES = ['id', 'uuid', 'service_id', 'host', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
  'local_gb_used', 'hypervisor_type', 'hypervisor_version', 'hypervisor_hostname', 'free_ram_mb', 'free_disk_gb',
  'current_workload', 'running_vms', 'disk_available_least', 'host_ip', 'mapped', 'cpu_allocation_ratio',
  'ram_allocation_ratio', 'disk_allocation_ratio', 'total_usable_ram_mb', 'total_usable_disk_gb', 'disk_mb_used',
  'free_disk_mb', 'vcpus_total', 'num_instances', 'num_io_ops', 'failed_builds', 'aggregates', 'cell_uuid', 'updated'];
const CAPABILITIES_WITH_FILTER = ['cpu_info', 'metrics', 'stats', 'numa_topology', 'supported_hv_specs', 'pci_device_pools',
  'nodename', 'pci_stats', 'supported_instances', 'limits', 'instances'];

const RULES: SpecRule[] = [
  rule('accel:device_profile', str()),
  rule('aggregate_instance_extra_specs:{key}', str(), { key: '.+' }),
  ...CAPABILITIES.map((c) => rule(`capabilities:${c}`, str())),
  ...CAPABILITIES_WITH_FILTER.map((c) => rule(`capabilities:${c}{filter}`, str(), { filter: '(:\\w+)*' })),
  rule('hw:cpu_realtime', bool),
  rule('hw:cpu_realtime_mask', pattern(`(\\^)?\\d+((-\\d+)?(,\\^?\\d+(-\\d+)?)?)*`)),
  rule('hw:hide_hypervisor_id', bool),
  rule('hw:cpu_policy', str('dedicated', 'shared', 'mixed')),
  rule('hw:cpu_thread_policy', str('prefer', 'isolate', 'require')),
  rule('hw:emulator_threads_policy', str('isolate', 'share')),
  rule('hw:cpu_dedicated_mask', pattern(CPU_SET)),
  rule('hw:mem_page_size', pattern('(large|small|any|\\d+([kKMGT]i?)?(b|bit|B)?)')),
  rule('hw:locked_memory', bool),
  rule('hw:numa_nodes', int(1)),
  rule('hw:numa_cpus.{num}', pattern(CPU_SET), { num: '\\d+' }),
  rule('hw:numa_mem.{num}', int(1), { num: '\\d+' }),
  rule('hw:pci_numa_affinity_policy', str('required', 'preferred', 'legacy', 'socket')),
  ...['cpu_sockets', 'cpu_cores', 'cpu_threads', 'cpu_max_sockets', 'cpu_max_cores', 'cpu_max_threads'].map((k) => rule(`hw:${k}`, int(1))),
  ...['boot_menu', 'vif_multiqueue_enabled', 'mem_encryption', 'pmu', 'virtio_packed_ring', 'ephemeral_encryption'].map((k) => rule(`hw:${k}`, bool)),
  rule('hw:mem_encryption_model', str('amd-sev', 'amd-sev-es', 'amd-sev-snp')),
  rule('hw:pmem', pattern('([a-zA-Z0-9_]+(,)?)+')),
  rule('hw:serial_port_count', int(0)),
  rule('hw:tpm_model', str('tpm-tis', 'tpm-crb')),
  rule('hw:tpm_version', str('1.2', '2.0')),
  rule('hw:tpm_secret_security', str('user', 'host', 'deployment')),
  rule('hw:watchdog_action', str('none', 'pause', 'poweroff', 'reset', 'disabled')),
  rule('hw:viommu_model', str('intel', 'smmuv3', 'virtio', 'auto')),
  rule('hw:sound_model', str()),
  rule('hw:usb_model', str()),
  rule('hw:redirected_usb_ports', int(0, 15)),
  rule('hw:ephemeral_encryption_format', str('luks', 'plain')),
  rule('hw_rng:allowed', bool),
  rule('hw_rng:rate_bytes', int(0)),
  rule('hw_rng:rate_period', int(0)),
  rule('hw_video:ram_max_mb', int(0)),
  rule('hide_hypervisor_id', bool),
  rule('group_policy', str('isolate', 'none')),
  rule('os:secure_boot', str('disabled', 'required')),
  rule('pci_passthrough:alias', pattern('[^:]+:\\d+(?:\\s*,\\s*[^:]+:\\d+)*')),
  ...['cpu', 'memory', 'disk_io', 'vif'].flatMap((k) => [
    rule(`quota:${k}_limit`, int(0)),
    rule(`quota:${k}_reservation`, int()),
    rule(`quota:${k}_shares_level`, str('custom', 'high', 'normal', 'low')),
    rule(`quota:${k}_shares_share`, int(0)),
  ]),
  rule('quota:cpu_shares', int(0)),
  rule('quota:cpu_period', int(0)),
  rule('quota:cpu_quota', int()),
  ...['read', 'write', 'total'].flatMap((s) => ['bytes', 'iops'].map((m) => rule(`quota:disk_${s}_${m}_sec`, int(0)))),
  ...['inbound', 'outbound'].flatMap((s) => ['average', 'peak', 'burst'].map((m) => rule(`quota:vif_${s}_${m}`, int(0)))),
  rule('resources{group}:{resource}', int(), { group: GROUP, resource: '[A-Z0-9_]+' }),
  rule('trait{group}:{trait}', str('required', 'forbidden'), { group: GROUP, trait: '[A-Z0-9_]+' }),
  rule('vmware:hw_version', str()),
  rule('vmware:storage_policy', str()),
];

/** Namespaces (the part before ':') of the known keys; resources and traits take a group suffix. */
const NAMESPACES = [/^accel$/, /^aggregate_instance_extra_specs$/, /^capabilities$/, /^hw$/, /^hw_rng$/, /^hw_video$/, /^os$/,
  /^pci_passthrough$/, /^quota$/, new RegExp(`^resources${GROUP}$`), new RegExp(`^trait${GROUP}$`), /^vmware$/];

const TRUE_OR_FALSE = /^(1|t|true|on|y|yes|0|f|false|off|n|no)$/i;

function checkValue(r: SpecRule, value: string): void {
  const fail = (why: string) => new ValidationError({ detail: `Validation failed; ${why}` });
  const v = r.value;
  if (v.type === 'bool') {
    if (!TRUE_OR_FALSE.test(value)) throw fail(`'${value}' is not a valid boolean-like value.`);
  } else if (v.type === 'int') {
    if (!/^\s*[-+]?\d+\s*$/.test(value)) throw fail(`'${value}' is not a valid integer value.`);
    const n = Number(value);
    if (v.max !== undefined && n > v.max) throw fail(`'${value}' is greater than the max value of '${v.max}'.`);
    if (v.min !== undefined && n < v.min) throw fail(`'${value}' is less than the min value of '${v.min}'.`);
  } else if (v.pattern !== undefined) {
    if (!new RegExp(`^(?:${v.pattern})$`).test(value)) throw fail(`'${value}' is not of the format '${v.pattern}'.`);
  } else if (v.enum && !v.enum.includes(value)) {
    throw fail(`'${value}' is not one of: ${v.enum.join(', ')}.`);
  }
}

/** Throws Nova's 400 ValidationError when `name`/`value` is not a valid extra spec. */
export function checkExtraSpec(name: string, value: string): void {
  const known = RULES.find((r) => r.name === name) ?? RULES.find((r) => r.regex.test(name));
  if (known) return checkValue(known, value);
  if (!name.includes(':')) return;
  const namespace = name.split(':', 1)[0];
  if (NAMESPACES.some((ns) => ns.test(namespace))) {
    throw new ValidationError({ detail: `Validation failed; extra spec '${name}' does not appear to be a valid extra spec.` });
  }
}
