import Table from 'cli-table3';

/**
 * Tables that look like novaclient's (prettytable, left-aligned): `+---+` borders, one header row
 * with a rule under it, no rules between rows.
 */

const CHARS = {
  top: '-', 'top-mid': '+', 'top-left': '+', 'top-right': '+',
  bottom: '-', 'bottom-mid': '+', 'bottom-left': '+', 'bottom-right': '+',
  left: '|', 'left-mid': '+', mid: '-', 'mid-mid': '+', right: '|', 'right-mid': '+', middle: '|',
};

export type Formatter<T> = (row: T) => unknown;

export interface ListOptions<T> {
  /** Column title -> how to get the cell (default: the field named like the title, lower-cased, spaces as `_`). */
  formatters?: Record<string, Formatter<T>>;
  /** Sort rows by the text of this column. */
  sortBy?: string;
}

/** Python's str() of a value, as prettytable shows cells. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'object') return pyJson(v);
  return String(v);
}

/** JSON with Python's json.dumps separators (`, ` and `: `), as novaclient prints nested values. */
export function pyJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

/** Python's repr() of a JSON value, as novaclient's print_list shows a list or dict cell (`['a', 'b']`, `{'k': 1}`). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** A list cell: None is `-`, as novaclient's print_list shows it. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  return pyStr(v).replace(/\r/g, '');
}

function render(head: string[], rows: string[][]): string {
  const t = new Table({ head, chars: CHARS, style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true } });
  for (const r of rows) t.push(r);
  const text = t.toString();
  // An empty compact table ends at the header rule; prettytable closes it with one more.
  return rows.length === 0 ? `${text}\n${text.split('\n')[0]}` : text;
}

/** The attribute novaclient reads for a column title: `Updated_at` -> `updated_at`, `Disabled Reason` -> `disabled_reason`. */
export function fieldOf(title: string): string {
  return title.toLowerCase().replace(/ /g, '_');
}

/** novaclient's print_list. */
export function formatList<T extends object>(rows: T[], columns: string[], opts: ListOptions<T> = {}): string {
  const table = rows.map((r) => columns.map((c) => {
    const f = opts.formatters?.[c];
    return cell(f ? f(r) : (r as Record<string, unknown>)[fieldOf(c)]);
  }));
  if (opts.sortBy !== undefined) {
    const i = columns.indexOf(opts.sortBy);
    if (i >= 0) table.sort((a, b) => (a[i] < b[i] ? -1 : a[i] > b[i] ? 1 : 0));
  }
  return render(columns, table);
}

/** Greedy word wrap like Python's textwrap.fill (leading space of the text kept). */
export function wrapText(text: string, width: number): string {
  const lead = /^\s*/.exec(text)?.[0] ?? '';
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = lead;
  for (const w of words) {
    if (line.trim() === '' ) { line = line + w; continue; }
    if ((line + ' ' + w).length <= width) line += ` ${w}`;
    else { lines.push(line); line = w; }
  }
  lines.push(line);
  return lines.join('\n');
}

/** novaclient's print_dict: `Property | Value`, keys sorted, nested values as JSON. */
export function formatDict(d: Record<string, unknown>, opts: { wrap?: number; property?: string; value?: string } = {}): string {
  const rows: string[][] = [];
  for (const k of Object.keys(d).sort()) {
    let v: unknown = d[k];
    if (v !== null && typeof v === 'object') v = pyJson(v);
    if (opts.wrap && opts.wrap > 0) v = wrapText(pyStr(v), opts.wrap);
    if (typeof v === 'string' && (v.includes('\\n') || v.includes('\r'))) {
      // A value with escaped newlines (a fault's traceback) gets one row per line.
      v.replace(/\r/g, '').trim().split('\\n').forEach((line, i) => rows.push([i === 0 ? k : '', line]));
    } else {
      rows.push([k, v === null || v === undefined ? '-' : pyStr(v)]);
    }
  }
  return render([opts.property ?? 'Property', opts.value ?? 'Value'], rows);
}
