// Option declarations in the spirit of oslo.config: every option has a type, a default and help,
// so a bad value or an unknown option can be refused with the file, line and option named.

export type OptType = 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'multistr';

export interface OptSpec<T> {
  type: OptType;
  default: T;
  help: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  secret?: boolean;
  /** Old names still accepted in the same group (oslo's deprecated_name). */
  deprecatedNames?: readonly string[];
  /** Value only used as a sample in templates/nova.conf.sample. */
  sample?: string;
}

interface Extra {
  choices?: readonly string[];
  min?: number;
  max?: number;
  secret?: boolean;
  deprecatedNames?: readonly string[];
  sample?: string;
}

export const opt = {
  str: (def: string, help: string, extra: Extra = {}): OptSpec<string> => ({ type: 'str', default: def, help, ...extra }),
  int: (def: number, help: string, extra: Extra = {}): OptSpec<number> => ({ type: 'int', default: def, help, ...extra }),
  float: (def: number, help: string, extra: Extra = {}): OptSpec<number> => ({ type: 'float', default: def, help, ...extra }),
  bool: (def: boolean, help: string, extra: Extra = {}): OptSpec<boolean> => ({ type: 'bool', default: def, help, ...extra }),
  list: (def: string[], help: string, extra: Extra = {}): OptSpec<string[]> => ({ type: 'list', default: def, help, ...extra }),
  dict: (def: Record<string, string>, help: string, extra: Extra = {}): OptSpec<Record<string, string>> =>
    ({ type: 'dict', default: def, help, ...extra }),
  multi: (def: string[], help: string, extra: Extra = {}): OptSpec<string[]> => ({ type: 'multistr', default: def, help, ...extra }),
};

export type GroupSpec = Record<string, OptSpec<unknown>>;
export type GroupValues<G extends GroupSpec> = { [K in keyof G]: G[K] extends OptSpec<infer T> ? T : never };

export class ConfigError extends Error {
  constructor(message: string, readonly where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'ConfigError';
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Turns the raw text of one option into its typed value, or throws naming what is wrong. */
export function parseValue(spec: OptSpec<unknown>, raw: string | string[], name: string): unknown {
  const text = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  switch (spec.type) {
    case 'multistr':
      return Array.isArray(raw) ? raw : [raw];
    case 'str':
      if (spec.choices && !spec.choices.includes(text)) {
        throw new ConfigError(`invalid value '${text}' for option ${name}: must be one of ${spec.choices.join(', ')}`);
      }
      return text;
    case 'int':
    case 'float': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n))) {
        throw new ConfigError(`invalid value '${text}' for option ${name}: not ${spec.type === 'int' ? 'an integer' : 'a number'}`);
      }
      if (spec.min !== undefined && n < spec.min) throw new ConfigError(`value ${n} for option ${name} is below the minimum ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw new ConfigError(`value ${n} for option ${name} is above the maximum ${spec.max}`);
      return n;
    }
    case 'bool': {
      const v = text.trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new ConfigError(`invalid value '${text}' for option ${name}: not a boolean (true/false)`);
    }
    case 'list': {
      const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
      const bad = spec.choices ? items.find((i) => !spec.choices!.includes(i)) : undefined;
      if (bad !== undefined) throw new ConfigError(`invalid value '${bad}' in option ${name}: each must be one of ${spec.choices!.join(', ')}`);
      return items;
    }
    case 'dict': {
      const out: Record<string, string> = {};
      for (const pair of text.split(',').map((s) => s.trim()).filter(Boolean)) {
        const i = pair.indexOf(':');
        if (i < 0) throw new ConfigError(`invalid value '${text}' for option ${name}: expected key:value pairs`);
        out[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
      }
      return out;
    }
  }
}
