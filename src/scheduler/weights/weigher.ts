import { BuildRequest } from '../../compute/build';
import { HostState } from '../host_state';

/** One weigher (nova/scheduler/weights): raw weights are normalized to [0,1], then multiplied. */
export interface HostWeigher {
  readonly name: string;
  readonly multiplier: number;
  weigh(host: HostState, spec: BuildRequest): number;
}

/**
 * Nova's normalization, (w - min) / (max - min) and all zero when every host weighs the same, of
 * `raw`, times `multiplier`, added into `totals` (typed arrays: no allocation per host and request).
 */
export function normalizeInto(raw: Float64Array, multiplier: number, totals: Float64Array): void {
  let min = Infinity;
  let max = -Infinity;
  for (const v of raw) { if (v < min) min = v; if (v > max) max = v; }
  if (max === min) return;
  const scale = multiplier / (max - min);
  for (let i = 0; i < raw.length; i++) totals[i] += (raw[i] - min) * scale;
}
