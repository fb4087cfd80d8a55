import { HostState } from '../host_state';
import { FilterResult, HostFilter } from './filter';

type Args = Parameters<HostFilter['hostPasses']>;

/** Nova's canonical names (nova/objects/fields.py Architecture, HVType, VMMode). */
const ARCH_ALIASES: Record<string, string> = { amd64: 'x86_64', x64: 'x86_64', x86: 'i686', i386: 'i686', i486: 'i686', i586: 'i686', arm64: 'aarch64', ppc64el: 'ppc64le' };
const HV_ALIASES: Record<string, string> = { xapi: 'xen' };
const VM_MODE_ALIASES: Record<string, string> = { pv: 'xen', hv: 'hvm', baremetal: 'hvm' };
const canon = (aliases: Record<string, string>, v: string | undefined): string | undefined => {
  if (!v) return undefined;
  const low = v.toLowerCase();
  return aliases[low] ?? low;
};

/** Nova's hypervisor_version int (major*1e6 + minor*1e3 + micro) as a tuple. */
function versionTuple(v: number): number[] {
  return [Math.floor(v / 1_000_000), Math.floor(v / 1000) % 1000, v % 1000];
}
function parseVersion(s: string): number[] {
  return s.split('.').map((p) => Number(p));
}
function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `>= 6.0`, `< 7`, `== 6.1.2` or a bare version (equality) against the host's hypervisor version. */
export function versionMatches(hostVersion: number, requirement: string): boolean {
  const m = /^\s*(>=|<=|==|!=|>|<|=)?\s*([\d.]+)\s*$/.exec(requirement);
  if (!m) return false;
  const c = compare(versionTuple(hostVersion), parseVersion(m[2]));
  switch (m[1]) {
    case '>=': case '=': return c >= 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '<': return c < 0;
    case '!=': return c !== 0;
    default: return c === 0;
  }
}

function supported(h: HostState): Array<[string, string, string]> {
  return (h.supported_instances ?? []).filter((s): s is [string, string, string] => Array.isArray(s) && s.length === 3)
    .map(([a, hv, vm]) => [canon(ARCH_ALIASES, a)!, canon(HV_ALIASES, hv)!, canon(VM_MODE_ALIASES, vm)!]);
}

/**
 * The image's hw_architecture, img_hv_type and hw_vm_mode must match one of the host's
 * supported_instances, and img_hv_requested_version its hypervisor version.
 */
export class ImagePropertiesFilter implements HostFilter {
  readonly name = 'ImagePropertiesFilter';
  readonly runOncePerRequest = true;
  hostPasses(host: Args[0], spec: Args[1]): FilterResult {
    const p = spec.image?.properties ?? {};
    const arch = canon(ARCH_ALIASES, p.hw_architecture ?? p.architecture);
    const hv = canon(HV_ALIASES, p.img_hv_type ?? p.hypervisor_type);
    const mode = canon(VM_MODE_ALIASES, p.hw_vm_mode ?? p.vm_mode);
    const version = p.img_hv_requested_version;
    if (arch || hv || mode) {
      const list = supported(host);
      if (list.length === 0) return 'reports no supported instances to match the image properties';
      const ok = list.some(([a, h, m]) => (!arch || a === arch) && (!hv || h === hv) && (!mode || m === mode));
      if (!ok) return `supports ${list.map((s) => s.join('/')).join(', ')}, image wants ${[arch ?? '*', hv ?? '*', mode ?? '*'].join('/')}`;
    }
    if (version && host.hypervisor_version && !versionMatches(host.hypervisor_version, version)) {
      return `hypervisor version ${versionTuple(host.hypervisor_version).join('.')} does not satisfy '${version}'`;
    }
    return true;
  }
}
