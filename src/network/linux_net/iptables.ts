import { CommandRunner } from './exec';

/**
 * nova-network's iptables rules: chains of its own (named `nova-network-*`), filled from scratch on
 * every apply, and one jump into each from a built-in chain. Applied with one `iptables-restore
 * --noflush` run: each table changes atomically, and rules nova-network does not own are never
 * flushed, rewritten or reordered.
 */

export type TableName = 'filter' | 'nat' | 'mangle';
export const TABLES: TableName[] = ['filter', 'nat', 'mangle'];
export const CHAIN_PREFIX = 'nova-network-';

/** The wanted content of one table: our chains (short names) with their rules, and the jumps into them. */
export interface TableRules {
  /** Rules as iptables arguments after `-A CHAIN`; `$name` stands for our chain `name`. */
  chains: Map<string, string[]>;
  /** Built-in chain -> our chain jumped to from its top, in order. */
  hooks: Array<{ builtin: string; chain: string }>;
}

export type IptablesState = Partial<Record<TableName, TableRules>>;

export function emptyTable(): TableRules {
  return { chains: new Map(), hooks: [] };
}

/** What `iptables-save` shows: per table, its chains and its rules in order. */
export interface SavedTable { chains: string[]; rules: Array<{ chain: string; spec: string }> }
export type SavedState = Map<string, SavedTable>;

export function parseSave(text: string): SavedState {
  const out: SavedState = new Map();
  let table: SavedTable | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) {
      table = { chains: [], rules: [] };
      out.set(line.slice(1), table);
    } else if (table && line.startsWith(':')) {
      table.chains.push(line.slice(1).split(/\s+/)[0]);
    } else if (table && line.startsWith('-A ')) {
      const m = /^-A (\S+) (.*)$/.exec(line);
      if (m) table.rules.push({ chain: m[1], spec: m[2] });
    }
  }
  return out;
}

const full = (prefix: string, name: string) => `${prefix}${name}`;

/** Replaces `$name` with our full chain name. */
export function expandRule(rule: string, prefix = CHAIN_PREFIX): string {
  return rule.replace(/\$([A-Za-z0-9_.-]+)/g, (_m, name: string) => full(prefix, name));
}

/**
 * The `iptables-restore --noflush` input that turns `current` into `desired` for our chains only:
 * declaring a chain empties it (or makes it), then its rules are written anew; missing jumps are
 * inserted at the top of their built-in chain, jumps to chains no longer wanted deleted, and those
 * chains removed. Empty when nothing of ours is wanted or present.
 */
export function renderRestore(desired: IptablesState, current: SavedState, prefix = CHAIN_PREFIX): string {
  const out: string[] = [];
  for (const t of TABLES) {
    const want = desired[t] ?? emptyTable();
    const saved = current.get(t) ?? { chains: [], rules: [] };
    const have = saved.chains.filter((c) => c.startsWith(prefix));
    const wanted = [...want.chains.keys()].map((c) => full(prefix, c));
    if (!have.length && !wanted.length) continue;
    out.push(`*${t}`);
    for (const c of [...new Set([...wanted, ...have])]) out.push(`:${c} - [0:0]`);

    const existingHooks = saved.rules.filter((r) => !r.chain.startsWith(prefix) && /^-j \S+$/.test(r.spec) && r.spec.slice(3).startsWith(prefix));
    const wantedHooks = want.hooks.map((h) => ({ chain: h.builtin, spec: `-j ${full(prefix, h.chain)}` }));
    const seen = new Map<string, number>();
    for (const h of existingHooks) {
      const key = `${h.chain} ${h.spec}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      const keep = wantedHooks.some((w) => w.chain === h.chain && w.spec === h.spec) && count === 1;
      if (!keep) out.push(`-D ${h.chain} ${h.spec}`);
    }
    // Inserted at position 1 one after the other, so go backwards to keep the wanted order.
    for (const w of [...wantedHooks].reverse()) {
      if (!existingHooks.some((h) => h.chain === w.chain && h.spec === w.spec)) out.push(`-I ${w.chain} 1 ${w.spec}`);
    }
    for (const [name, rules] of want.chains) {
      for (const r of rules) out.push(`-A ${full(prefix, name)} ${expandRule(r, prefix)}`);
    }
    for (const c of have.filter((c) => !wanted.includes(c))) out.push(`-X ${c}`);
    out.push('COMMIT');
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** Reads the current rules and applies the wanted ones of ours in one iptables-restore run. */
export class IptablesManager {
  constructor(private run: CommandRunner, readonly prefix = CHAIN_PREFIX) {}

  async current(): Promise<SavedState> {
    return parseSave((await this.run.run('iptables-save', [])).stdout);
  }

  async apply(desired: IptablesState): Promise<void> {
    const text = renderRestore(desired, await this.current(), this.prefix);
    if (text) await this.run.run('iptables-restore', ['--noflush'], { input: text });
  }
}
