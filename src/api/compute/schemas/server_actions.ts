import { types } from '../../validation';

/** `{ "<name>": <anything> }`, the body of actions that take no arguments. */
export const bare = (name: string, value: object = {}) => ({
  type: 'object', properties: { [name]: value }, required: [name], additionalProperties: false,
});

const obj = (name: string, properties: Record<string, unknown>, required: string[] = [], nullable = false) => ({
  type: 'object',
  properties: { [name]: { type: nullable ? ['object', 'null'] : 'object', properties, required, additionalProperties: false } },
  required: [name], additionalProperties: false,
});

const imageId = { type: 'string', format: 'uuid' };
const accessIPv4 = { type: 'string', format: 'ipv4' };
const accessIPv6 = { type: 'string', format: 'ipv6' };
const diskConfig = { type: 'string', enum: ['AUTO', 'MANUAL'] };
const hostname = { type: 'string', minLength: 2, maxLength: 63, pattern: '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$' };
const fqdn = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };

export const reboot = obj('reboot', { type: { type: 'string', enum: ['HARD', 'Hard', 'hard', 'SOFT', 'Soft', 'soft'] } }, ['type']);
export const lockV273 = obj('lock', { locked_reason: { type: 'string', minLength: 1, maxLength: 255 } }, [], true);
export const resetState = obj('os-resetState', { state: { type: 'string', enum: ['active', 'error'] } }, ['state']);
export const consoleOutput = obj('os-getConsoleOutput', { length: { type: ['integer', 'string', 'null'], pattern: '^-?[0-9]+$', minimum: -1 } });

const rebuildBase: Record<string, unknown> = {
  name: types.name, imageRef: imageId, adminPass: { type: 'string' }, metadata: types.metadata, preserve_ephemeral: types.boolean,
  'OS-DCF:diskConfig': diskConfig, accessIPv4, accessIPv6,
  personality: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, contents: { type: 'string' } }, required: ['path', 'contents'] } },
};
const r219 = { ...rebuildBase, description: types.description };
const r254 = { ...r219, key_name: { type: ['string', 'null'], minLength: 1, maxLength: 255 } };
const r257 = (() => { const s: Record<string, unknown> = { ...r254, user_data: { type: ['string', 'null'], maxLength: 65535 } }; delete s.personality; return s; })();
const r290 = { ...r257, hostname };
const r294 = { ...r257, hostname: fqdn };

/** Rebuild bodies by microversion (description 2.19, key_name 2.54, user_data 2.57, hostname 2.90/2.94). */
export const rebuild = [
  { min: '2.1', max: '2.18', schema: obj('rebuild', rebuildBase, ['imageRef']) },
  { min: '2.19', max: '2.53', schema: obj('rebuild', r219, ['imageRef']) },
  { min: '2.54', max: '2.56', schema: obj('rebuild', r254, ['imageRef']) },
  { min: '2.57', max: '2.89', schema: obj('rebuild', r257, ['imageRef']) },
  { min: '2.90', max: '2.93', schema: obj('rebuild', r290, ['imageRef']) },
  { min: '2.94', schema: obj('rebuild', r294, ['imageRef']) },
];

export const resize = obj('resize', { flavorRef: { type: ['string', 'integer'], minLength: 1 }, 'OS-DCF:diskConfig': diskConfig }, ['flavorRef']);
export const createImage = obj('createImage', { name: types.name, metadata: types.metadata }, ['name']);
export const rescue = obj('rescue', { adminPass: { type: 'string' }, rescue_image_ref: imageId }, [], true);

/** Migrate: `{"migrate": null}` and, from 2.56, an optional destination host. */
export const migrate = [
  { min: '2.1', max: '2.55', schema: bare('migrate') },
  { min: '2.56', schema: obj('migrate', { host: { ...fqdn, type: ['string', 'null'] } }, [], true) },
];

/** Unshelve: `{"unshelve": null}`; 2.77 an availability zone (required in the object); 2.91 also null zone (unpin). */
export const unshelve = [
  { min: '2.1', max: '2.76', schema: bare('unshelve') },
  { min: '2.77', max: '2.90', schema: obj('unshelve', { availability_zone: types.name }, ['availability_zone'], true) },
  { min: '2.91', schema: obj('unshelve', { availability_zone: { type: ['string', 'null'] }, host: { type: 'string' } }, [], true) },
];

const liveHost = { ...fqdn, type: ['string', 'null'] };
const blockAuto = { oneOf: [types.boolean, { type: 'string', enum: ['auto'] }] };
/** os-migrateLive: disk_over_commit until 2.24, block_migration 'auto' from 2.25, force 2.30-2.67. */
export const migrateLive = [
  { min: '2.1', max: '2.24', schema: obj('os-migrateLive', { block_migration: types.boolean, disk_over_commit: types.boolean, host: liveHost }, ['block_migration', 'disk_over_commit', 'host']) },
  { min: '2.25', max: '2.29', schema: obj('os-migrateLive', { block_migration: blockAuto, host: liveHost }, ['block_migration', 'host']) },
  { min: '2.30', max: '2.67', schema: obj('os-migrateLive', { block_migration: blockAuto, host: liveHost, force: types.boolean }, ['block_migration', 'host']) },
  { min: '2.68', schema: obj('os-migrateLive', { block_migration: blockAuto, host: liveHost }, ['block_migration', 'host']) },
];
