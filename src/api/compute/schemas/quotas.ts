import { INJECTED_FILE_QUOTAS, NOVA_NETWORK_QUOTAS, QUOTA_RESOURCE_NAMES } from '../../../compute/quota_resources';
import { multi, types } from '../../validation';

/** Request schemas of os-quota-sets, os-quota-class-sets and limits (Nova's schemas/quota_*.py). */

const quotaValue = { type: ['integer', 'string'], pattern: '^-?[0-9]+$', minimum: -1, maximum: 0x7fffffff };

function quotaProperties(dropped: string[], extra: Record<string, object> = {}): Record<string, object> {
  const props: Record<string, object> = {};
  for (const r of QUOTA_RESOURCE_NAMES) if (!dropped.includes(r)) props[r] = quotaValue;
  return { ...props, ...extra };
}

function wrapped(key: string, properties: Record<string, object>): object {
  return {
    type: 'object',
    properties: { [key]: { type: 'object', properties, additionalProperties: false } },
    required: [key],
    additionalProperties: false,
  };
}

const force = { force: types.boolean };
/** PUT /os-quota-sets: 2.36 drops nova-network's resources, 2.57 the injected file ones. */
export const updateQuotaSet = [
  { max: '2.35', schema: wrapped('quota_set', quotaProperties([], force)) },
  { min: '2.36', max: '2.56', schema: wrapped('quota_set', quotaProperties(NOVA_NETWORK_QUOTAS, force)) },
  { min: '2.57', schema: wrapped('quota_set', quotaProperties([...NOVA_NETWORK_QUOTAS, ...INJECTED_FILE_QUOTAS], force)) },
];

/** PUT /os-quota-class-sets: 2.50 drops nova-network's resources, 2.57 the injected file ones. */
export const updateQuotaClassSet = [
  { max: '2.49', schema: wrapped('quota_class_set', quotaProperties([])) },
  { min: '2.50', max: '2.56', schema: wrapped('quota_class_set', quotaProperties(NOVA_NETWORK_QUOTAS)) },
  { min: '2.57', schema: wrapped('quota_class_set', quotaProperties([...NOVA_NETWORK_QUOTAS, ...INJECTED_FILE_QUOTAS])) },
];

const userIdQuery = { user_id: multi({ type: 'string' }) };
/** `?user_id=` on show, detail, update and delete; other parameters refused from 2.75. */
export const userQuery = [
  { max: '2.74', schema: { type: 'object', properties: userIdQuery, additionalProperties: true } },
  { min: '2.75', schema: { type: 'object', properties: userIdQuery, additionalProperties: false } },
];

const tenantQuery = { tenant_id: multi({ type: 'string' }) };
export const limitsQuery = [
  { max: '2.74', schema: { type: 'object', properties: tenantQuery, additionalProperties: true } },
  { min: '2.75', schema: { type: 'object', properties: tenantQuery, additionalProperties: false } },
];
