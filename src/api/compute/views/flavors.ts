import { FlavorObj } from '../../../db/api/flavors';
import { APIVersion } from '../../microversion';
import { resourceLinks } from './links';

/** Flavor bodies by microversion (Nova's views/flavors.py). */

export function flavorSummary(f: FlavorObj, v: APIVersion, baseUrl: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id: f.flavorid, name: f.name, links: resourceLinks(baseUrl, 'flavors', f.flavorid) };
  if (v.gte('2.55')) out.description = f.description;
  return out;
}

/** `withExtraSpecs`: from 2.61, when the caller may read extra specs. */
export function flavorDetail(f: FlavorObj, v: APIVersion, baseUrl: string, withExtraSpecs: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: f.flavorid,
    name: f.name,
    ram: f.memory_mb,
    disk: f.root_gb,
    // Before 2.75 a swap of 0 is shown as an empty string.
    swap: v.gte('2.75') ? f.swap || 0 : f.swap || '',
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral_gb,
    'OS-FLV-DISABLED:disabled': f.disabled,
    vcpus: f.vcpus,
    'os-flavor-access:is_public': f.is_public,
    rxtx_factor: f.rxtx_factor || '',
    links: resourceLinks(baseUrl, 'flavors', f.flavorid),
  };
  if (v.gte('2.55')) out.description = f.description;
  if (withExtraSpecs) out.extra_specs = f.extra_specs;
  return out;
}

export function flavorAccessBody(f: { flavorid: string; projects: string[] }) {
  return { flavor_access: f.projects.map((p) => ({ flavor_id: f.flavorid, tenant_id: p })) };
}
