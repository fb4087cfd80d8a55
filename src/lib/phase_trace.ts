/**
 * Timestamps of the phases one request goes through in this process (`nova boot`: API, conductor,
 * scheduler, compute, driver), keyed by instance uuid, for `npm run bench` to show where the time
 * goes. Off unless enabled; then bounded, oldest key dropped first.
 */
const MAX_KEYS = 200;
let enabled = false;
const marks = new Map<string, Array<{ phase: string; at: number }>>();

export function enablePhaseTrace(on = true): void {
  enabled = on;
  if (!on) marks.clear();
}

/** Records that `key` (an instance uuid) reached `phase` now. */
export function markPhase(key: string, phase: string): void {
  if (!enabled) return;
  let list = marks.get(key);
  if (!list) {
    if (marks.size >= MAX_KEYS) marks.delete(marks.keys().next().value as string);
    list = [];
    marks.set(key, list);
  }
  list.push({ phase, at: performance.now() });
}

/** The phases of `key` in order, each with milliseconds since `since` (a performance.now() value). */
export function phasesOf(key: string, since: number): Array<{ phase: string; ms: number }> {
  return (marks.get(key) ?? []).map((m) => ({ phase: m.phase, ms: +(m.at - since).toFixed(1) }));
}
