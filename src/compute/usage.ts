import { Instance } from '../objects/instance';

/** The quota usage one instance holds. */
export interface Usage { instances: number; cores: number; ram: number }

export function flavorUsage(f: { vcpus: number; memory_mb: number }): Usage {
  return { instances: 1, cores: f.vcpus, ram: f.memory_mb };
}

/** system_metadata key recording what an instance holds while a resize holds the larger of two flavors. */
export const QUOTA_HELD_KEY = 'quota_held';

/** What deleting this instance gives back: the recorded hold during a resize, else its flavor. */
export function heldUsage(inst: Pick<Instance, 'vcpus' | 'memory_mb' | 'system_metadata'>): Usage {
  const raw = inst.system_metadata?.[QUOTA_HELD_KEY];
  if (raw) {
    try {
      const u = JSON.parse(raw) as Usage;
      if (Number.isFinite(u.cores) && Number.isFinite(u.ram)) return { instances: 1, cores: u.cores, ram: u.ram };
    } catch { /* a bad record: fall back to the flavor */ }
  }
  return flavorUsage(inst);
}

/** The extra usage moving from `from` to `to` needs while both are held (never negative). */
export function growth(from: { vcpus: number; memory_mb: number }, to: { vcpus: number; memory_mb: number }): Record<string, number> {
  return { cores: Math.max(0, to.vcpus - from.vcpus), ram: Math.max(0, to.memory_mb - from.memory_mb) };
}

/** The hold while resizing between two flavors: the larger of each. */
export function resizeHold(a: { vcpus: number; memory_mb: number }, b: { vcpus: number; memory_mb: number }): string {
  return JSON.stringify({ instances: 1, cores: Math.max(a.vcpus, b.vcpus), ram: Math.max(a.memory_mb, b.memory_mb) });
}
