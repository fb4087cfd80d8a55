import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { badRequest } from '../errors';

/** Request body schemas of the Keystone v3 subset, with Keystone's (python jsonschema) error wording. */

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
const cache = new WeakMap<object, ValidateFunction>();

/** Python's repr of a JSON value, as jsonschema puts it in messages. */
function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v}'`;
  return JSON.stringify(v);
}

function describe(err: ErrorObject, data: unknown): string {
  const path = err.instancePath.split('/').filter(Boolean);
  let value: unknown = data;
  for (const p of path) value = (value as Record<string, unknown>)?.[p];
  let reason: string;
  switch (err.keyword) {
    case 'required': return `'${(err.params as { missingProperty: string }).missingProperty}' is a required property`;
    case 'additionalProperties': return `Additional properties are not allowed ('${(err.params as { additionalProperty: string }).additionalProperty}' was unexpected)`;
    case 'type': reason = `${pyRepr(value)} is not of type '${(err.params as { type: string }).type}'`; break;
    case 'minLength': reason = `${pyRepr(value)} is too short`; break;
    case 'maxLength': reason = `${pyRepr(value)} is too long`; break;
    case 'pattern': reason = `${pyRepr(value)} does not match '${(err.params as { pattern: string }).pattern}'`; break;
    case 'enum': reason = `${pyRepr(value)} is not one of ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`; break;
    default: reason = `${pyRepr(value)} ${err.message ?? 'is invalid'}`;
  }
  return path.length ? `Invalid input for field '${path.join('/')}': ${reason}` : reason;
}

/** Validates `data` and returns it typed; Keystone's 400 otherwise. */
export function check<T>(schema: object, data: unknown): T {
  let fn = cache.get(schema);
  if (!fn) { fn = ajv.compile(schema); cache.set(schema, fn); }
  if (!fn(data)) throw badRequest(describe(fn.errors![0], data));
  return data as T;
}

const id64 = { type: 'string', minLength: 1, maxLength: 64 };
const name64 = { type: 'string', minLength: 1, maxLength: 64, pattern: '[\\S]+' };
const name255 = { type: 'string', minLength: 1, maxLength: 255, pattern: '[\\S]+' };
const description = { type: ['string', 'null'] };
const enabled = { type: 'boolean' };
const tags = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^,/]*$' }, maxItems: 80 };
const nullableId = { type: ['string', 'null'], minLength: 1, maxLength: 64 };
const password = { type: ['string', 'null'] };

export const projectCreate = {
  type: 'object', required: ['name'],
  properties: { name: name64, domain_id: nullableId, parent_id: nullableId, description, enabled, tags, is_domain: { type: 'boolean', enum: [false] } },
};
export const projectUpdate = {
  type: 'object', minProperties: 1,
  properties: { name: name64, description, enabled, tags, domain_id: { not: {} }, parent_id: { not: {} }, is_domain: { not: {} } },
};
export const userCreate = {
  type: 'object', required: ['name'],
  properties: { name: name255, domain_id: id64, default_project_id: nullableId, description, enabled, password, email: { type: ['string', 'null'] } },
};
export const userUpdate = {
  type: 'object', minProperties: 1,
  properties: { name: name255, default_project_id: nullableId, description, enabled, password, domain_id: { not: {} } },
};
export const passwordChange = {
  type: 'object', required: ['original_password', 'password'],
  properties: { original_password: { type: 'string' }, password: { type: 'string' } },
};
export const roleCreate = {
  type: 'object', required: ['name'], properties: { name: name255, domain_id: nullableId, description },
};
export const roleUpdate = { type: 'object', minProperties: 1, properties: { name: name255, description } };
export const regionCreate = {
  type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 255 }, description, parent_region_id: { type: ['string', 'null'] } },
};
export const serviceCreate = {
  type: 'object', required: ['type'], properties: { type: name255, name: { type: 'string', maxLength: 255 }, description, enabled },
};
export const serviceUpdate = { type: 'object', minProperties: 1, properties: { type: name255, name: { type: 'string', maxLength: 255 }, description, enabled } };
const url = { type: 'string', minLength: 1, maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' };
const iface = { type: 'string', enum: ['admin', 'internal', 'public'] };
export const endpointCreate = {
  type: 'object', required: ['interface', 'service_id', 'url'],
  properties: { interface: iface, service_id: id64, url, region_id: { type: ['string', 'null'] }, region: { type: ['string', 'null'] }, enabled },
};
export const endpointUpdate = {
  type: 'object', minProperties: 1,
  properties: { interface: iface, service_id: id64, url, region_id: { type: ['string', 'null'] }, region: { type: ['string', 'null'] }, enabled },
};
export const ec2Create = { type: 'object', required: ['tenant_id'], properties: { tenant_id: id64 } };

/** Keystone's reading of boolean query filters: absent is undefined, `0`/`false` false, anything else (even empty) true. */
export function queryBool(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  const s = String(Array.isArray(v) ? v[v.length - 1] : v).toLowerCase();
  return !(s === '0' || s === 'false');
}

export function queryStr(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  return String(Array.isArray(v) ? v[v.length - 1] : v);
}
