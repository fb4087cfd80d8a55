import Ajv, { ValidateFunction } from 'ajv';

/**
 * The JSON schemas the Image API v2 publishes under /v2/schemas (python-glanceclient fetches
 * /v2/schemas/image before creating or updating, and validates against it), and the validation of
 * request bodies against them with Glance's wording.
 */

export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso'] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker'] as const;
export const IMAGE_STATUSES = ['queued', 'saving', 'active', 'killed', 'deleted', 'uploading', 'importing', 'pending_delete', 'deactivated'] as const;
export const VISIBILITIES = ['community', 'public', 'private', 'shared'] as const;
export const MEMBER_STATUSES = ['pending', 'accepted', 'rejected'] as const;

const UUID_PATTERN = '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$';
const nullableString = (maxLength?: number) => ({ type: ['null', 'string'], ...(maxLength ? { maxLength } : {}) });
const readOnly = <T extends object>(s: T, description: string) => ({ ...s, readOnly: true, description });

/** Base attributes of an image: everything else is a custom property (a string). */
export const BASE_PROPERTIES: Record<string, Record<string, unknown>> = {
  id: { type: 'string', pattern: UUID_PATTERN, description: 'Identifier of the image.' },
  name: { ...nullableString(255), description: 'Name of the image, not unique.' },
  status: readOnly({ type: 'string', enum: [...IMAGE_STATUSES] }, 'Where the image is in its life cycle.'),
  visibility: { type: 'string', enum: [...VISIBILITIES], description: 'Who may see and use the image.' },
  protected: { type: 'boolean', description: 'When true the image cannot be deleted.' },
  os_hidden: { type: 'boolean', description: 'When true the image is left out of default listings.' },
  checksum: readOnly(nullableString(32), 'MD5 of the image data.'),
  os_hash_algo: readOnly(nullableString(64), 'Algorithm of os_hash_value.'),
  os_hash_value: readOnly(nullableString(128), 'Digest of the image data with os_hash_algo.'),
  owner: { ...nullableString(255), description: 'Project that owns the image.' },
  size: readOnly({ type: ['null', 'integer'] }, 'Size of the image data, in bytes.'),
  virtual_size: readOnly({ type: ['null', 'integer'] }, 'Virtual size of the disk, in bytes.'),
  container_format: { type: ['null', 'string'], enum: [null, ...CONTAINER_FORMATS], description: 'Container the data comes in.' },
  disk_format: { type: ['null', 'string'], enum: [null, ...DISK_FORMATS], description: 'Format of the disk data.' },
  created_at: readOnly({ type: 'string' }, 'When the image was registered.'),
  updated_at: readOnly({ type: 'string' }, 'When the image last changed.'),
  tags: { type: 'array', items: { type: 'string', maxLength: 255 }, description: 'Free-form labels of the image.' },
  direct_url: readOnly({ type: 'string' }, 'Location of the data in its store.'),
  min_ram: { type: 'integer', description: 'RAM needed to boot the image, in MiB.' },
  min_disk: { type: 'integer', description: 'Disk needed to boot the image, in GiB.' },
  self: readOnly({ type: 'string' }, 'URL of this image.'),
  file: readOnly({ type: 'string' }, 'URL of the image data.'),
  schema: readOnly({ type: 'string' }, 'URL of this schema.'),
  locations: { type: 'array', items: { type: 'object', properties: { url: { type: 'string', maxLength: 255 }, metadata: { type: 'object' } }, required: ['url', 'metadata'] }, description: 'Where the data is kept.' },
};

/** Well-known custom properties (Glance's default schema-image.json): documented, still strings. */
export const KNOWN_CUSTOM_PROPERTIES: Record<string, Record<string, unknown>> = {
  kernel_id: { type: ['null', 'string'], pattern: UUID_PATTERN, description: 'Image to use as the kernel of an AMI-style image.', is_base: false },
  ramdisk_id: { type: ['null', 'string'], pattern: UUID_PATTERN, description: 'Image to use as the ramdisk of an AMI-style image.', is_base: false },
  instance_uuid: { type: 'string', description: 'Server this image was taken from (informational).', is_base: false },
  architecture: { type: 'string', description: 'CPU architecture the image needs.', is_base: false },
  os_distro: { type: 'string', description: 'Operating system distribution.', is_base: false },
  os_version: { type: 'string', description: 'Operating system version.', is_base: false },
  description: { type: 'string', description: 'Free-form description of the image.', is_base: false },
};

export const READ_ONLY_ATTRIBUTES = ['created_at', 'updated_at', 'status', 'checksum', 'size', 'virtual_size', 'direct_url', 'self',
  'file', 'schema', 'id', 'os_hash_algo', 'os_hash_value'];
/** Refused in a create body (403). */
export const DISALLOWED_ON_CREATE = ['direct_url', 'self', 'file', 'schema', 'stores'];
export const RESERVED_ATTRIBUTES = ['location', 'deleted', 'deleted_at'];
export const RESERVED_NAMESPACE = 'os_glance';

const LINKS = [{ rel: 'self', href: '{self}' }, { rel: 'enclosure', href: '{file}' }, { rel: 'describedby', href: '{schema}' }];

export function imageSchema(): Record<string, unknown> {
  return {
    name: 'image', properties: { ...BASE_PROPERTIES, ...KNOWN_CUSTOM_PROPERTIES }, additionalProperties: { type: 'string' }, links: LINKS,
  };
}

export function imagesSchema(): Record<string, unknown> {
  return {
    name: 'images',
    properties: { images: { type: 'array', items: imageSchema() }, first: { type: 'string' }, next: { type: 'string' }, schema: { type: 'string' } },
    links: [{ rel: 'first', href: '{first}' }, { rel: 'next', href: '{next}' }, { rel: 'describedby', href: '{schema}' }],
  };
}

export function memberSchema(): Record<string, unknown> {
  return {
    name: 'member',
    properties: {
      member_id: { type: 'string', description: 'Project the image is shared with.' },
      image_id: { type: 'string', pattern: UUID_PATTERN, description: 'Identifier of the image.' },
      created_at: { type: 'string', description: 'When the membership was made.' },
      updated_at: { type: 'string', description: 'When the membership last changed.' },
      status: { type: 'string', enum: [...MEMBER_STATUSES], description: 'Whether the member accepted the image.' },
      schema: { type: 'string', readOnly: true, description: 'URL of this schema.' },
    },
  };
}

export function membersSchema(): Record<string, unknown> {
  return {
    name: 'members',
    properties: { members: { type: 'array', items: memberSchema() }, schema: { type: 'string' } },
    links: [{ rel: 'self', href: '{self}' }, { rel: 'schema', href: '{schema}' }],
  };
}

const ajv = new Ajv({ allErrors: false, strict: false });
let compiled: ValidateFunction | undefined;

/** Validates an image body (or a part of one); returns Glance's message, or null when valid. */
export function imageSchemaError(obj: Record<string, unknown>): string | null {
  const schema = imageSchema();
  compiled ??= ajv.compile({ type: 'object', properties: schema.properties, additionalProperties: schema.additionalProperties });
  if (compiled(obj)) return null;
  const err = compiled.errors![0];
  const path = err.instancePath.split('/').filter(Boolean);
  let value: unknown = obj;
  for (const p of path) value = (value as Record<string, unknown>)?.[p];
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  let reason: string;
  switch (err.keyword) {
    case 'enum': reason = `${shown} is not one of ${JSON.stringify((err.params as { allowedValues: unknown[] }).allowedValues)}`; break;
    case 'type': reason = `${shown} is not of type ${JSON.stringify((err.params as { type: string }).type)}`; break;
    case 'maxLength': reason = `${shown} is too long`; break;
    case 'pattern': reason = `${shown} does not match '${(err.params as { pattern: string }).pattern}'`; break;
    default: reason = `${path.join('.') || 'body'} ${err.message ?? 'is invalid'}`;
  }
  return `Provided object does not match schema 'image': ${reason}`;
}
