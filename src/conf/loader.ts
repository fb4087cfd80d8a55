import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, OptSpec, parseValue } from './opt';
import { NovaConf, SCHEMA } from './schema';

/** One value as written in a file, with where it came from. */
interface RawValue { values: string[]; where: string }

export interface LoadOptions {
  configFiles?: string[];
  configDir?: string[];
  /** Values that win over every file, as `group.option` or `option` (DEFAULT). */
  overrides?: Record<string, string>;
}

export interface LoadedConf {
  conf: NovaConf;
  /** Where each set value came from: `group.option` -> `file:line` (absent: default). */
  sources: Record<string, string>;
  files: string[];
}

/**
 * Reads INI text the way oslo.config does: `[group]` headers, `name = value`, `#`/`;` comments at line
 * start, indented continuation lines, and a repeated name adding a value (multi-valued options).
 * Hand-written because no INI package reports the line of each value, which errors must name.
 */
export function parseIni(text: string, file: string): Map<string, Map<string, RawValue>> {
  const groups = new Map<string, Map<string, RawValue>>();
  let group: Map<string, RawValue> | undefined;
  let last: RawValue | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    if (/^\s*([#;].*)?$/.test(line)) { last = undefined; return; }
    if (/^\s/.test(line) && last) { // continuation of the previous value
      last.values[last.values.length - 1] += '\n' + line.trim();
      return;
    }
    const header = /^\[\s*([^\]]+?)\s*\]\s*$/.exec(line);
    if (header) {
      const name = header[1];
      group = groups.get(name) ?? new Map();
      groups.set(name, group);
      last = undefined;
      return;
    }
    const kv = /^\s*([^=:\s]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (!kv) throw new ConfigError(`cannot parse line '${line.trim()}'`, where);
    if (!group) throw new ConfigError(`option '${kv[1]}' appears before any [section] header`, where);
    let value = kv[2];
    if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1);
    const prev = group.get(kv[1]);
    if (prev) { prev.values.push(value); prev.where = where; last = prev; }
    else { last = { values: [value], where }; group.set(kv[1], last); }
  });
  return groups;
}

function filesOf(opts: LoadOptions): string[] {
  const files: string[] = [];
  for (const f of opts.configFiles ?? []) {
    if (!fs.existsSync(f)) throw new ConfigError(`config file not found: ${f} (check --config-file)`);
    files.push(f);
  }
  for (const d of opts.configDir ?? []) {
    if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) throw new ConfigError(`config directory not found: ${d} (check --config-dir)`);
    for (const f of fs.readdirSync(d).filter((n) => n.endsWith('.conf')).sort()) files.push(path.join(d, f));
  }
  return files;
}

/** Replaces `$name` and `${name}` with the value of that option in the same group, then DEFAULT. */
function interpolate(value: string, group: string, lookup: (g: string, n: string) => unknown, depth = 0): string {
  if (depth > 10) throw new ConfigError(`option interpolation loops in value '${value}'`);
  return value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (whole, name: string) => {
    for (const g of [group, 'DEFAULT']) {
      const v = lookup(g, name);
      if (v !== undefined) return interpolate(String(v), g, lookup, depth + 1);
    }
    return whole;
  });
}

export function loadConfig(opts: LoadOptions = {}): LoadedConf {
  const files = filesOf(opts);
  const raw = new Map<string, Map<string, RawValue>>();
  for (const file of files) {
    const parsed = parseIni(fs.readFileSync(file, 'utf8'), file);
    for (const [g, values] of parsed) {
      const into = raw.get(g) ?? new Map<string, RawValue>();
      raw.set(g, into);
      for (const [k, v] of values) into.set(k, v); // later files win
    }
  }
  for (const [key, value] of Object.entries(opts.overrides ?? {})) {
    const [g, n] = key.includes('.') ? key.split('.', 2) : ['DEFAULT', key];
    const into = raw.get(g) ?? new Map<string, RawValue>();
    raw.set(g, into);
    into.set(n, { values: [value], where: `override ${key}` });
  }

  const schema = SCHEMA as unknown as Record<string, Record<string, OptSpec<unknown>>>;
  // Resolve deprecated names and refuse what nobody declared.
  for (const [g, values] of raw) {
    const spec = schema[g];
    if (!spec) {
      const where = [...values.values()][0]?.where;
      throw new ConfigError(`unknown section [${g}]`, where);
    }
    for (const [name, v] of [...values]) {
      if (spec[name]) continue;
      const real = Object.keys(spec).find((k) => spec[k].deprecatedNames?.includes(name));
      if (!real) throw new ConfigError(`unknown option '${name}' in section [${g}]`, v.where);
      values.delete(name);
      values.set(real, v);
    }
  }

  const lookupRaw = (g: string, n: string): unknown => {
    const v = raw.get(g)?.get(n);
    if (v) return v.values[v.values.length - 1];
    const def = schema[g]?.[n]?.default;
    return def === undefined || typeof def === 'object' ? undefined : def;
  };

  const conf: Record<string, Record<string, unknown>> = {};
  const sources: Record<string, string> = {};
  for (const [g, spec] of Object.entries(schema)) {
    conf[g] = {};
    for (const [name, o] of Object.entries(spec)) {
      const v = raw.get(g)?.get(name);
      if (!v) {
        conf[g][name] = typeof o.default === 'string' ? interpolate(o.default, g, lookupRaw) : structuredClone(o.default);
        continue;
      }
      const values = v.values.map((x) => interpolate(x, g, lookupRaw));
      try {
        conf[g][name] = parseValue(o, o.type === 'multistr' ? values : values[values.length - 1], `[${g}] ${name}`);
      } catch (e) {
        throw e instanceof ConfigError ? new ConfigError(e.message, v.where) : e;
      }
      sources[`${g}.${name}`] = v.where;
    }
  }
  const c = conf as unknown as NovaConf;
  if (!c.DEFAULT.host) c.DEFAULT.host = os.hostname();
  if (!c.database.connection) c.database.connection = `sqlite:///${path.resolve(c.DEFAULT.state_path, 'nova.sqlite')}`;
  return { conf: c, sources, files };
}

/** The effective configuration as text, secrets masked, for `nova config show`. */
export function describeConfig(loaded: LoadedConf): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  const schema = SCHEMA as unknown as Record<string, Record<string, OptSpec<unknown>>>;
  for (const [g, spec] of Object.entries(schema)) {
    out[g] = {};
    for (const [name, o] of Object.entries(spec)) {
      const value = (loaded.conf as unknown as Record<string, Record<string, unknown>>)[g][name];
      out[g][name] = o.secret && value !== '' ? maskSecret(String(value)) : value;
    }
  }
  return out;
}

/** Masks a password, keeping a URL's shape so the operator can still see where it points. */
export function maskSecret(value: string): string {
  const url = /^([a-z0-9+]+:\/\/)([^:@/]*)(:[^@/]*)?@(.*)$/i.exec(value);
  if (url) return `${url[1]}${url[2]}${url[3] ? ':****' : ''}@${url[4]}`;
  return /^[a-z0-9+]+:\/\//i.test(value) ? value : '****';
}
