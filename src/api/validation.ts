import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ValidationError } from '../exception';

/**
 * Patterns are Python regular expressions in Nova; a few escape characters that need no escaping
 * (`\@`), which JavaScript's unicode mode refuses, so such a pattern is compiled without it.
 */
function pythonishRegExp(pattern: string, flags: string): RegExp {
  try { return new RegExp(pattern, flags); } catch { return new RegExp(pattern, flags.replace('u', '')); }
}
pythonishRegExp.code = 'new RegExp';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, code: { regExp: pythonishRegExp } });
addFormats(ajv);
// Nova's own formats.
ajv.addFormat('uuid', /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/);
ajv.addFormat('name', /^(?! )[\S ]*(?<! )$/u);
// An IPv4 or IPv6 network with its prefix length (Nova's `cidr` format, checked with netaddr).
ajv.addFormat('cidr', /^((25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*\/(12[0-8]|1[01]\d|\d?\d))$/);

/**
 * Nova's validator compares `minimum`/`maximum` against numeric strings too ("0" for a RAM size is
 * below 1), so both keywords are replaced by ones that read a number out of a string first.
 */
function numberFromString(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
for (const keyword of ['minimum', 'maximum'] as const) {
  ajv.removeKeyword(keyword);
  ajv.addKeyword({
    keyword,
    schemaType: 'number',
    errors: true,
    validate: function check(limit: number, data: unknown): boolean {
      const n = numberFromString(data);
      const ok = n === undefined || (keyword === 'minimum' ? n >= limit : n <= limit);
      if (!ok) (check as unknown as { errors: Partial<ErrorObject>[] }).errors = [{ keyword, params: { limit } }];
      return ok;
    },
  });
}

const cache = new WeakMap<object, ValidateFunction>();

/** A JSON value written as Python's repr writes it, as jsonschema's messages show values. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') {
    const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** What Python's str() shows of a value (strings bare, the rest as repr). */
function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

const NAME_RULE = "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.";

/** Nova's message for a schema error: "Invalid input for field/attribute X. Value: V. REASON". */
function describe(err: ErrorObject, data: unknown, where: 'body' | 'query'): string {
  const path = err.instancePath.split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let value: unknown = data;
  for (const p of path) value = (value as Record<string, unknown>)?.[p];
  const shown = pyStr(value);
  let reason: string;
  switch (err.keyword) {
    case 'required': return `${pyRepr((err.params as { missingProperty: string }).missingProperty)} is a required property`;
    case 'additionalProperties': {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      return `Additional properties are not allowed (${pyRepr(extra)} was unexpected)`;
    }
    case 'type': {
      const t = (err.params as { type: string | string[] }).type;
      const list = (Array.isArray(t) ? t : String(t).split(',')).map((x) => pyRepr(x)).join(', ');
      reason = `${pyRepr(value)} is not of type ${list}`;
      break;
    }
    case 'enum': reason = `${pyRepr(value)} is not one of ${pyRepr((err.params as { allowedValues: unknown[] }).allowedValues)}`; break;
    case 'minLength': reason = `${pyRepr(value)} is too short`; break;
    case 'maxLength': reason = `${pyRepr(value)} is too long`; break;
    case 'minProperties': reason = `${pyRepr(value)} does not have enough properties`; break;
    case 'maxProperties': reason = `${pyRepr(value)} has too many properties`; break;
    case 'minimum': reason = `${shown} is less than the minimum of ${(err.params as { limit: number }).limit}`; break;
    case 'maximum': reason = `${shown} is greater than the maximum of ${(err.params as { limit: number }).limit}`; break;
    case 'exclusiveMinimum': reason = `${shown} is less than or equal to the minimum of ${(err.params as { limit: number }).limit}`; break;
    case 'pattern': reason = `${pyRepr(value)} does not match ${pyRepr((err.params as { pattern: string }).pattern)}`; break;
    case 'format':
      if ((err.params as { format: string }).format === 'name') return NAME_RULE;
      reason = `${pyRepr(value)} is not a ${pyRepr((err.params as { format: string }).format)}`;
      break;
    default: reason = err.message ?? 'is invalid';
  }
  if (!path.length) return reason;
  return where === 'query'
    ? `Invalid input for query parameters ${path[0]}. Value: ${shown}. ${reason}`
    : `Invalid input for field/attribute ${path[path.length - 1]}. Value: ${shown}. ${reason}`;
}

/** Validates `data` against a JSON schema; throws a 400 ValidationError with Nova's wording. */
export function validate(schema: object, data: unknown, where: 'body' | 'query' = 'body'): void {
  let fn = cache.get(schema);
  if (!fn) { fn = ajv.compile(schema); cache.set(schema, fn); }
  if (!fn(data)) throw new ValidationError({ detail: describe(fn.errors![0], data, where) });
}

/**
 * Validates a query string the way Nova does: every parameter is a list of its values (schemas use
 * `multi()`), so `?limit=1&limit=2` is checked value by value.
 */
export function validateQuery(schema: object, query: Record<string, string | string[] | undefined>): void {
  const lists: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) lists[k] = Array.isArray(v) ? v : [v];
  validate(schema, lists, 'query');
}

/** Nova's `multi_params`: a query parameter given once or more, each value checked by `schema`. */
export function multi(schema: object): object {
  return { type: 'array', items: schema };
}

/** Nova's common parameter types (nova/api/validation/parameter_types.py), for reuse in schemas. */
export const types = {
  name: { type: 'string', minLength: 1, maxLength: 255, format: 'name' },
  nameWithLeadingTrailingSpaces: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\S ]*$' },
  description: { type: ['string', 'null'], minLength: 0, maxLength: 255, pattern: '^[\\S\\s]*$' },
  uuid: { type: 'string', format: 'uuid' },
  positiveInteger: { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 1, minLength: 1 },
  nonNegativeInteger: { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 0, minLength: 1 },
  boolean: { type: ['boolean', 'string'], enum: [true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'y', 't',
    false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no', 'n', 'f'] },
  metadata: {
    type: 'object',
    patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: 'string', maxLength: 255 } },
    additionalProperties: false,
  },
  tag: { type: 'string', minLength: 1, maxLength: 60, pattern: '^[^,/]*$' },
} as const;

const TRUE_STRINGS = new Set(['true', '1', 'on', 'yes', 'y', 't']);
/** Reads one of Nova's boolean spellings. */
export function toBool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && TRUE_STRINGS.has(v.toLowerCase()));
}
