import { types } from '../../validation';

const networks = {
  oneOf: [
    { type: 'string', enum: ['auto', 'none'] },
    {
      type: 'array',
      items: {
        type: 'object',
        properties: { uuid: { type: 'string' }, fixed_ip: { type: 'string', format: 'ipv4' }, port: { type: ['string', 'null'] }, tag: { type: 'string' } },
        additionalProperties: false,
      },
    },
  ],
};

const baseServer = {
  name: types.name,
  imageRef: { type: 'string' },
  flavorRef: { type: ['string', 'integer'], minLength: 1 },
  adminPass: { type: 'string' },
  metadata: types.metadata,
  networks: { type: 'array', items: { type: 'object' } },
  'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
  accessIPv4: { type: 'string', format: 'ipv4' },
  accessIPv6: { type: 'string', format: 'ipv6' },
  personality: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, contents: { type: 'string' } }, required: ['path', 'contents'] } },
  key_name: types.name,
  user_data: { type: 'string', maxLength: 65535 },
  availability_zone: { type: 'string' },
  min_count: types.positiveInteger,
  max_count: types.positiveInteger,
  return_reservation_id: types.boolean,
  security_groups: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false } },
  config_drive: types.boolean,
  block_device_mapping: { type: 'array' },
  block_device_mapping_v2: { type: 'array' },
};

function createSchema(server: Record<string, unknown>, required: string[]) {
  return {
    type: 'object',
    properties: {
      server: { type: 'object', properties: server, required, additionalProperties: false },
      'os:scheduler_hints': { type: 'object' },
      'OS-SCH-HNT:scheduler_hints': { type: 'object' },
    },
    required: ['server'],
    additionalProperties: false,
  };
}

const v219 = { ...baseServer, description: types.description };
const v232 = { ...v219, networks: { type: 'array', items: { type: 'object' } } };
const v237 = { ...v232, networks };
const v252 = { ...v237, tags: { type: 'array', items: types.tag, maxItems: 50 } };
const v257 = (() => { const s: Record<string, unknown> = { ...v252 }; delete s.personality; return s; })();
const fqdn = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };
const v274 = { ...v257, host: fqdn, hypervisor_hostname: fqdn };
const v290 = { ...v274, hostname: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$' } };
const v294 = { ...v274, hostname: fqdn };

/**
 * Server create bodies by microversion range: description 2.19, networks required 2.37, tags 2.52,
 * personality dropped 2.57, host/hypervisor_hostname 2.74, hostname 2.90 (an FQDN from 2.94).
 */
export const createServer = [
  { min: '2.1', max: '2.18', schema: createSchema(baseServer, ['name', 'flavorRef']) },
  { min: '2.19', max: '2.36', schema: createSchema(v219, ['name', 'flavorRef']) },
  { min: '2.37', max: '2.51', schema: createSchema(v237, ['name', 'flavorRef', 'networks']) },
  { min: '2.52', max: '2.56', schema: createSchema(v252, ['name', 'flavorRef', 'networks']) },
  { min: '2.57', max: '2.73', schema: createSchema(v257, ['name', 'flavorRef', 'networks']) },
  { min: '2.74', max: '2.89', schema: createSchema(v274, ['name', 'flavorRef', 'networks']) },
  { min: '2.90', max: '2.93', schema: createSchema(v290, ['name', 'flavorRef', 'networks']) },
  { min: '2.94', schema: createSchema(v294, ['name', 'flavorRef', 'networks']) },
];

const updateBase = {
  name: types.name, accessIPv4: { type: 'string', format: 'ipv4' }, accessIPv6: { type: 'string', format: 'ipv6' },
  'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
};
const update = (server: Record<string, unknown>) => ({
  type: 'object', properties: { server: { type: 'object', properties: server, additionalProperties: false } }, required: ['server'], additionalProperties: false,
});
export const updateServer = [
  { min: '2.1', max: '2.18', schema: update(updateBase) },
  { min: '2.19', max: '2.89', schema: update({ ...updateBase, description: types.description }) },
  { min: '2.90', max: '2.93', schema: update({ ...updateBase, description: types.description, hostname: { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$' } }) },
  { min: '2.94', schema: update({ ...updateBase, description: types.description, hostname: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' } }) },
];
