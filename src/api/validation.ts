import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ValidationError } from '../exception';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
addFormats(ajv);
// Nova's own formats.
ajv.addFormat('uuid', /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/);
ajv.addFormat('name', /^(?! )[\S ]*(?<! )$/u);

const cache = new WeakMap<object, ValidateFunction>();

/** Nova's message for a schema error: "Invalid input for field/attribute X. Value: V. REASON". */
function describe(err: ErrorObject, data: unknown): string {
  const path = err.instancePath.split('/').filter(Boolean);
  let value: unknown = data;
  for (const p of path) value = (value as Record<string, unknown>)?.[p];
  const field = path.length ? path[path.length - 1] : undefined;
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  let reason: string;
  switch (err.keyword) {
    case 'required': return `'${(err.params as { missingProperty: string }).missingProperty}' is a required property`;
    case 'additionalProperties': {
      const extra = (err.params as { additionalProperty: string }).additionalProperty;
      return `Additional properties are not allowed ('${extra}' was unexpected)`;
    }
    case 'type': reason = `${JSON.stringify(value)} is not of type '${(err.params as { type: string }).type}'`; break;
    case 'enum': reason = `${JSON.stringify(value)} is not one of ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`; break;
    case 'minLength': reason = `${JSON.stringify(value)} is too short`; break;
    case 'maxLength': reason = `${JSON.stringify(value)} is too long`; break;
    case 'minimum': reason = `${shown} is less than the minimum of ${(err.params as { limit: number }).limit}`; break;
    case 'maximum': reason = `${shown} is greater than the maximum of ${(err.params as { limit: number }).limit}`; break;
    case 'pattern': reason = `${JSON.stringify(value)} does not match '${(err.params as { pattern: string }).pattern}'`; break;
    case 'format': reason = `${JSON.stringify(value)} is not a '${(err.params as { format: string }).format}'`; break;
    default: reason = err.message ?? 'is invalid';
  }
  return field ? `Invalid input for field/attribute ${field}. Value: ${shown}. ${reason}` : reason;
}

/** Validates `data` against a JSON schema; throws a 400 ValidationError with Nova's wording. */
export function validate(schema: object, data: unknown): void {
  let fn = cache.get(schema);
  if (!fn) { fn = ajv.compile(schema); cache.set(schema, fn); }
  if (!fn(data)) throw new ValidationError({ detail: describe(fn.errors![0], data) });
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
