import { multi, types } from '../../validation';

/** Request schemas of /flavors, os-extra_specs and os-flavor-access (Nova's schemas/flavors*.py). */

/** Sort keys Nova accepts for flavor lists (kept for backward compatibility). */
export const FLAVOR_SORT_KEYS = ['created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid', 'id', 'is_public',
  'memory_mb', 'name', 'root_gb', 'rxtx_factor', 'swap', 'updated_at', 'vcpu_weight', 'vcpus'];

/** Nova's flavor_param_positive / _non_negative: an integer (or digits) within MAX_INT. */
const flavorParam = (minimum: number) => ({ type: ['integer', 'string'], pattern: '^[0-9]+$', minimum, maximum: 0x7fffffff });

/** Printable characters and whitespace (Nova's valid_description_regex). */
const description = { type: ['string', 'null'], minLength: 0, maxLength: 65535, pattern: '^[\\P{C}\\s]*$' };

function flavorCreate(withDescription: boolean): object {
  const properties: Record<string, object> = {
    name: types.name,
    id: { type: ['string', 'number', 'null'], minLength: 1, maxLength: 255, pattern: '^(?! )[a-zA-Z0-9. _-]+(?<! )$' },
    ram: flavorParam(1),
    vcpus: flavorParam(1),
    disk: flavorParam(0),
    'OS-FLV-EXT-DATA:ephemeral': flavorParam(0),
    swap: flavorParam(0),
    rxtx_factor: { type: ['number', 'string'], pattern: '^[0-9]+(\\.[0-9]+)?$', exclusiveMinimum: 0, maximum: 3.40282e38 },
    'os-flavor-access:is_public': types.boolean,
  };
  if (withDescription) properties.description = description;
  return {
    type: 'object',
    properties: {
      flavor: { type: 'object', properties, required: ['name', 'ram', 'vcpus', 'disk'], additionalProperties: false },
    },
    required: ['flavor'],
    additionalProperties: false,
  };
}

export const createFlavor = flavorCreate(false);
export const createFlavorV255 = flavorCreate(true);

export const updateFlavor = {
  type: 'object',
  properties: {
    flavor: { type: 'object', properties: { description }, required: ['description'], additionalProperties: false },
  },
  required: ['flavor'],
  additionalProperties: false,
};

const listParams = {
  limit: multi(types.nonNegativeInteger),
  marker: multi({ type: 'string' }),
  is_public: multi({ type: 'string' }),
  minRam: multi({ type: 'string' }),
  minDisk: multi({ type: 'string' }),
  sort_key: multi({ type: 'string', enum: FLAVOR_SORT_KEYS }),
  sort_dir: multi({ type: 'string', enum: ['asc', 'desc'] }),
};
export const listQuery = { type: 'object', properties: listParams, additionalProperties: true };
/** 2.75 refuses unknown query parameters. */
export const listQueryV275 = { type: 'object', properties: listParams, additionalProperties: false };

const extraSpecsMap = {
  type: 'object',
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: ['string', 'number'], maxLength: 255 } },
  additionalProperties: false,
};
export const createExtraSpecs = {
  type: 'object', properties: { extra_specs: extraSpecsMap }, required: ['extra_specs'], additionalProperties: false,
};
export const updateExtraSpec = { ...extraSpecsMap, minProperties: 1, maxProperties: 1 };

const tenant = { type: 'string', minLength: 1, maxLength: 255 };
export const addTenantAccess = {
  type: 'object',
  properties: { addTenantAccess: { type: 'object', properties: { tenant }, required: ['tenant'], additionalProperties: false } },
  required: ['addTenantAccess'],
  additionalProperties: false,
};
export const removeTenantAccess = {
  type: 'object',
  properties: { removeTenantAccess: { type: 'object', properties: { tenant }, required: ['tenant'], additionalProperties: false } },
  required: ['removeTenantAccess'],
  additionalProperties: false,
};
