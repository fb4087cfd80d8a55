import { types } from '../../validation';

/** Request schemas of /os-aggregates (Nova's schemas/aggregates.py). */

const zone = { type: ['string', 'null'], minLength: 1, maxLength: 255, pattern: '^[^:]*$' };
const host = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };

export const create = {
  type: 'object',
  properties: {
    aggregate: {
      type: 'object', properties: { name: types.name, availability_zone: zone }, required: ['name'], additionalProperties: false,
    },
  },
  required: ['aggregate'], additionalProperties: false,
};

export const update = {
  type: 'object',
  properties: {
    aggregate: {
      type: 'object', properties: { name: types.name, availability_zone: zone }, additionalProperties: false, minProperties: 1,
    },
  },
  required: ['aggregate'], additionalProperties: false,
};

const hostAction = (name: string) => ({
  type: 'object',
  properties: { [name]: { type: 'object', properties: { host }, required: ['host'], additionalProperties: false } },
  required: [name], additionalProperties: false,
});
export const addHost = hostAction('add_host');
export const removeHost = hostAction('remove_host');

export const setMetadata = {
  type: 'object',
  properties: {
    set_metadata: {
      type: 'object',
      properties: {
        metadata: {
          type: 'object',
          patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { type: ['string', 'null'], maxLength: 255 } },
          additionalProperties: false,
        },
      },
      required: ['metadata'], additionalProperties: false,
    },
  },
  required: ['set_metadata'], additionalProperties: false,
};
