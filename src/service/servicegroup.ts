/** What a service row says about liveness, as Nova's DB servicegroup driver reads it. */
export interface ServiceLiveness {
  forced_down: boolean;
  last_seen_up: Date | string | null;
  updated_at?: Date | string | null;
  created_at?: Date | string | null;
}

export function isServiceUp(s: ServiceLiveness, serviceDownTime: number, now = Date.now()): boolean {
  if (s.forced_down) return false;
  const seen = s.last_seen_up ?? s.updated_at ?? s.created_at;
  if (!seen) return false;
  return now - new Date(seen).getTime() <= serviceDownTime * 1000;
}
