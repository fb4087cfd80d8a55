/** One open console: a websocket or XVP client relayed to a guest's console server. */
export interface ConsoleSession {
  instance_uuid: string;
  token: string;
  /** When the token expires (Unix seconds): past it, the token can no longer be re-checked. */
  expires: number;
  /** Ends the relay on both sides. */
  close(reason: string): void;
}

/**
 * The console sessions one proxy relays, so that revoking an instance's tokens ends them:
 * consoleauth's fanout closes them at once (`closeForInstance`), and `recheck` is the safety net for
 * a fanout this proxy missed (it was disconnected from the bus): sessions whose token should still be
 * valid are checked again, and closed when consoleauth no longer knows the token. A session whose
 * token simply expired stays open, as in Nova: the token only gates the opening.
 */
export class SessionRegistry {
  private sessions = new Set<ConsoleSession>();

  add(s: ConsoleSession): () => void {
    this.sessions.add(s);
    return () => { this.sessions.delete(s); };
  }

  get size(): number { return this.sessions.size; }

  forInstance(uuid: string): ConsoleSession[] {
    return [...this.sessions].filter((s) => s.instance_uuid === uuid);
  }

  closeForInstance(uuid: string, reason: string): number {
    const hit = this.forInstance(uuid);
    for (const s of hit) { this.sessions.delete(s); s.close(reason); }
    return hit.length;
  }

  /** Re-checks each distinct unexpired token once; closes the sessions of tokens found revoked. Returns how many closed. */
  async recheck(stillValid: (token: string) => Promise<boolean>, nowSec: number): Promise<number> {
    const byToken = new Map<string, ConsoleSession[]>();
    for (const s of this.sessions) {
      if (s.expires <= nowSec) continue;
      byToken.set(s.token, [...(byToken.get(s.token) ?? []), s]);
    }
    let closed = 0;
    for (const [token, list] of byToken) {
      // A failed check (consoleauth unreachable) proves nothing: keep the sessions.
      if (await stillValid(token).catch(() => true)) continue;
      for (const s of list) { this.sessions.delete(s); s.close('console token revoked'); closed++; }
    }
    return closed;
  }

  closeAll(reason: string): void {
    for (const s of [...this.sessions]) { this.sessions.delete(s); s.close(reason); }
  }
}
