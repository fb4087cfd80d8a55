import { types } from '../../validation';

/** Request schemas of /os-server-groups (Nova's schemas/server_groups.py). */

function withPolicies(policies: string[]): object {
  return {
    type: 'object',
    properties: {
      server_group: {
        type: 'object',
        properties: {
          name: types.name,
          policies: { type: 'array', items: { type: 'string', enum: policies }, uniqueItems: true, minItems: 1, maxItems: 1 },
        },
        required: ['name', 'policies'], additionalProperties: false,
      },
    },
    required: ['server_group'], additionalProperties: false,
  };
}

export const create = withPolicies(['anti-affinity', 'affinity']);
export const createV215 = withPolicies(['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity']);

export const createV264 = {
  type: 'object',
  properties: {
    server_group: {
      type: 'object',
      properties: {
        name: types.name,
        policy: { type: 'string', enum: ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'] },
        rules: {
          type: 'object',
          properties: { max_server_per_host: types.positiveInteger },
          additionalProperties: false,
        },
      },
      required: ['name', 'policy'], additionalProperties: false,
    },
  },
  required: ['server_group'], additionalProperties: false,
};
