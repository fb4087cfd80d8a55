/** A token with its end of life. */
export interface IssuedToken { token: string; expiresAt: Date }

// Renew when less than this share of a token's life is left, and never later than a minute before it ends.
const RENEW_SHARE = 0.1;
const RENEW_MARGIN_MS = 60_000;

/**
 * Keeps one token of a service user: issued on first use, reused while fresh, renewed before it ends.
 * Concurrent callers during a renewal share the same request.
 */
export class ServiceTokenSource {
  private current?: IssuedToken & { issuedAt: number };
  private pending?: Promise<string>;

  constructor(private issue: () => Promise<IssuedToken>) {}

  async get(): Promise<string> {
    const c = this.current;
    if (c) {
      const life = c.expiresAt.getTime() - c.issuedAt;
      const left = c.expiresAt.getTime() - Date.now();
      if (left > Math.max(life * RENEW_SHARE, Math.min(RENEW_MARGIN_MS, life / 2))) return c.token;
    }
    this.pending ??= this.issue().then((t) => {
      this.current = { ...t, issuedAt: Date.now() };
      return t.token;
    }).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /** Forgets the token (the Identity service refused it): the next get() issues a new one. */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }
}
