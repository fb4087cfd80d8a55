import { multi, types } from '../../validation';

/** Request schemas of /os-keypairs by microversion (Nova's schemas/keypairs.py). */

const keypairName = { allOf: [types.name, { type: 'string', pattern: '^[_\\- a-zA-Z0-9]+$', minLength: 1, maxLength: 255 }] };
/** 2.92 also allows '@' and '.' in names. */
const keypairNameV292 = { allOf: [types.name, { type: 'string', pattern: '^[_\\-\\@\\. a-zA-Z0-9]+$', minLength: 1, maxLength: 255 }] };

function create(opts: { name: object; type?: boolean; userId?: boolean; publicKeyRequired?: boolean }): object {
  const properties: Record<string, object> = { name: opts.name, public_key: { type: 'string' } };
  if (opts.type) properties.type = { type: 'string', enum: ['ssh', 'x509'] };
  if (opts.userId) properties.user_id = { type: 'string' };
  return {
    type: 'object',
    properties: {
      keypair: { type: 'object', properties, required: opts.publicKeyRequired ? ['name', 'public_key'] : ['name'], additionalProperties: false },
    },
    required: ['keypair'],
    additionalProperties: false,
  };
}

export const createKeypair = create({ name: keypairName });
export const createKeypairV22 = create({ name: keypairName, type: true });
export const createKeypairV210 = create({ name: keypairName, type: true, userId: true });
export const createKeypairV292 = create({ name: keypairNameV292, type: true, userId: true, publicKeyRequired: true });

const userIdParam = { user_id: multi({ type: 'string' }) };
const paging = { limit: multi(types.nonNegativeInteger), marker: multi({ type: 'string' }) };

export const listQuery = [
  { max: '2.9', schema: { type: 'object', properties: {}, additionalProperties: true } },
  { min: '2.10', max: '2.34', schema: { type: 'object', properties: userIdParam, additionalProperties: true } },
  { min: '2.35', max: '2.74', schema: { type: 'object', properties: { ...userIdParam, ...paging }, additionalProperties: true } },
  { min: '2.75', schema: { type: 'object', properties: { ...userIdParam, ...paging }, additionalProperties: false } },
];

/** Show and delete take `user_id` from 2.10 and refuse other parameters from 2.75. */
export const itemQuery = [
  { max: '2.9', schema: { type: 'object', properties: {}, additionalProperties: true } },
  { min: '2.10', max: '2.74', schema: { type: 'object', properties: userIdParam, additionalProperties: true } },
  { min: '2.75', schema: { type: 'object', properties: userIdParam, additionalProperties: false } },
];
