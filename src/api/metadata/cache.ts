/**
 * A small time-bound cache (Nova caches metadata per address and per instance for
 * `[api] metadata_cache_expiration` seconds). A TTL of 0 caches nothing. Past `maxEntries`, the
 * oldest entry goes first, so a flood of addresses cannot grow it without bound.
 */
export class TtlCache<V> {
  private entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now, private readonly maxEntries = 10000) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) { this.entries.delete(key); return undefined; }
    return e.value;
  }

  set(key: string, value: V): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** The cached value, else `make()`'s, which is then cached (failures are not). */
  async getOrMake(key: string, make: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = await make();
    this.set(key, value);
    return value;
  }

  get size(): number { return this.entries.size; }
}
