import { multi, types } from '../../validation';

/** Query schemas of os-simple-tenant-usage (Nova's schemas/simple_tenant_usage.py) and os-availability-zone. */

const text = multi({ type: 'string' });
const paging = { limit: multi(types.nonNegativeInteger), marker: text };
const window = { start: text, end: text };

export const usageListQuery = [
  { max: '2.39', schema: { type: 'object', properties: { ...window, detailed: text }, additionalProperties: true } },
  { min: '2.40', max: '2.74', schema: { type: 'object', properties: { ...window, detailed: text, ...paging }, additionalProperties: true } },
  { min: '2.75', schema: { type: 'object', properties: { ...window, detailed: text, ...paging }, additionalProperties: false } },
];

export const usageShowQuery = [
  { max: '2.39', schema: { type: 'object', properties: window, additionalProperties: true } },
  { min: '2.40', max: '2.74', schema: { type: 'object', properties: { ...window, ...paging }, additionalProperties: true } },
  { min: '2.75', schema: { type: 'object', properties: { ...window, ...paging }, additionalProperties: false } },
];
