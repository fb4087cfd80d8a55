import { NovaConf } from '../conf/schema';

/**
 * Nova's quota resources (nova/quota.py QUOTAS): the name the API and the quota tables use, and the
 * [quota] option giving its default. `injected_file_path_bytes` defaults from
 * `injected_file_path_length`, as in Nova.
 */
export const QUOTA_RESOURCES: ReadonlyArray<{ name: string; flag: keyof NovaConf['quota'] }> = [
  { name: 'instances', flag: 'instances' },
  { name: 'cores', flag: 'cores' },
  { name: 'ram', flag: 'ram' },
  { name: 'metadata_items', flag: 'metadata_items' },
  { name: 'injected_files', flag: 'injected_files' },
  { name: 'injected_file_content_bytes', flag: 'injected_file_content_bytes' },
  { name: 'injected_file_path_bytes', flag: 'injected_file_path_length' },
  { name: 'key_pairs', flag: 'key_pairs' },
  { name: 'server_groups', flag: 'server_groups' },
  { name: 'server_group_members', flag: 'server_group_members' },
  // nova-network's, deprecated: still listed before 2.36.
  { name: 'fixed_ips', flag: 'fixed_ips' },
  { name: 'floating_ips', flag: 'floating_ips' },
  { name: 'security_groups', flag: 'security_groups' },
  { name: 'security_group_rules', flag: 'security_group_rules' },
];

export const QUOTA_RESOURCE_NAMES = QUOTA_RESOURCES.map((r) => r.name);

export const NOVA_NETWORK_QUOTAS = ['fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules'];
export const INJECTED_FILE_QUOTAS = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

/** Configured defaults by resource name. */
export function configuredQuotaDefaults(conf: NovaConf): Record<string, number> {
  return Object.fromEntries(QUOTA_RESOURCES.map((r) => [r.name, Number(conf.quota[r.flag])]));
}
