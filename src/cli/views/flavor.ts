import { ComputeClient } from '../../client/compute/client';
import { Flavor } from '../../client/compute/flavors';
import { ApiError } from '../../client/errors';
import { formatList } from '../table';

/** Extra specs of a flavor: embedded since 2.61, else fetched; "N/A" when they cannot be read. */
export async function extraSpecsOf(nova: ComputeClient, f: Flavor): Promise<Record<string, string> | 'N/A'> {
  if (f.extra_specs) return f.extra_specs;
  try {
    return await nova.flavors.getExtraSpecs(f.id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return 'N/A';
    throw e;
  }
}

/** novaclient's _print_flavor_list table. */
export async function flavorTable(nova: ComputeClient, flavors: Flavor[], showExtraSpecs = false): Promise<string> {
  const rows = await Promise.all(flavors.map(async (f) => ({
    ...f,
    memory_mib: f.ram,
    ephemeral: f['OS-FLV-EXT-DATA:ephemeral'] ?? 'N/A',
    is_public: f['os-flavor-access:is_public'] ?? 'N/A',
    extra_specs: showExtraSpecs ? await extraSpecsOf(nova, f) : f.extra_specs,
  })));
  const columns = ['ID', 'Name', 'Memory_MiB', 'Disk', 'Ephemeral', 'Swap', 'VCPUs', 'RXTX_Factor', 'Is_Public'];
  if (showExtraSpecs) columns.push('extra_specs');
  if (nova.supports('2.55')) columns.push('Description');
  return formatList(rows, columns);
}

const VALID_KEY = /^[\w.\- :]+$/u;

/** Extra spec keys novaclient accepts. */
export function validFlavorKey(key: string): boolean {
  return VALID_KEY.test(key);
}
