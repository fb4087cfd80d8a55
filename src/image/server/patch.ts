import { RequestContext } from '../../context';
import { ImageChanges, ImageRecord, ImageValues } from '../../db/api/images';
import { imageSchemaError, READ_ONLY_ATTRIBUTES, RESERVED_ATTRIBUTES, RESERVED_NAMESPACE } from '../schemas';
import { notAuthorized } from './access';
import { badRequest, conflict, forbidden, GlanceError } from './errors';

/** The PATCH media types and the JSON-schema draft each uses for its operation objects. */
export const PATCH_TYPES: Record<string, 4 | 10> = {
  'application/openstack-images-v2.0-json-patch': 4,
  'application/openstack-images-v2.1-json-patch': 10,
};

export interface PatchOp { op: 'add' | 'remove' | 'replace'; path: string[]; value?: unknown; draft: 4 | 10 }

/** Base attributes a PATCH may set (the read-only ones are refused before). */
const WRITABLE_BASE = ['name', 'visibility', 'protected', 'os_hidden', 'min_ram', 'min_disk', 'disk_format', 'container_format', 'owner', 'tags'];
const BASE_NAMES = new Set([...WRITABLE_BASE, ...READ_ONLY_ATTRIBUTES, 'locations']);
const OPS = ['add', 'remove', 'replace'];

export function unsupportedPatchType(): GlanceError {
  const allowed = Object.keys(PATCH_TYPES).sort().join(', ');
  return new GlanceError(415, `Image PATCH expects Content-Type one of: ${allowed}`, { 'accept-patch': allowed });
}

function decodePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) throw badRequest(`Pointer \`${String(pointer)}\` does not start with "/".`);
  if (pointer.includes('//')) throw badRequest(`Pointer \`${pointer}\` contains adjacent "/".`);
  if (pointer.length > 1 && pointer.endsWith('/')) throw badRequest(`Pointer \`${pointer}\` end with "/".`);
  if (pointer === '/') throw badRequest(`Pointer \`${pointer}\` does not contains valid token.`);
  if (/~(?![01])/.test(pointer)) throw badRequest(`Pointer \`${pointer}\` contains "~" not part of a recognized escape sequence.`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Reads the body of a PATCH into operations, checking each as Glance's deserializer does. */
export function parsePatch(body: unknown, draft: 4 | 10): PatchOp[] {
  if (!Array.isArray(body)) throw badRequest('Request body must be a JSON array of operation objects.');
  return body.map((raw) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('Operations must be JSON objects.');
    const change = raw as Record<string, unknown>;
    let op: string;
    let pointer: unknown;
    if (draft === 10) {
      if (change.op === undefined) throw badRequest('Unable to find `op` in JSON Schema change. It must be one of the following: `add`, `remove`, `replace`.');
      op = String(change.op);
      if (!OPS.includes(op)) throw badRequest(`Invalid operation: \`${op}\`. It must be one of the following: \`add\`, \`remove\`, \`replace\`.`);
      if (change.path === undefined) throw badRequest("Unable to find 'path' in JSON Schema change");
      pointer = change.path;
    } else {
      const named = OPS.filter((o) => o in change);
      if (named.length > 1) throw badRequest('Operation objects must contain only one member named "add", "remove", or "replace".');
      if (named.length === 0) throw badRequest('Operation objects must contain exactly one member named "add", "remove", or "replace".');
      op = named[0];
      pointer = change[op];
    }
    const path = decodePointer(pointer);
    if (path.length !== 1) throw badRequest(`Invalid JSON pointer for this resource: '/${path.join('/')}'`);
    const root = path[0];
    if (READ_ONLY_ATTRIBUTES.includes(root)) throw forbidden(`Attribute '${root}' is read-only.`);
    if (RESERVED_ATTRIBUTES.includes(root) || root.startsWith(RESERVED_NAMESPACE)) throw forbidden(`Attribute '${root}' is reserved.`);
    const parsed: PatchOp = { op: op as PatchOp['op'], path, draft };
    if (op !== 'remove') {
      if (!('value' in change)) throw badRequest(`Operation "${op}" requires a member named "value".`);
      parsed.value = change.value;
      const err = imageSchemaError({ [root]: change.value });
      if (err) throw badRequest(err);
    }
    return parsed;
  });
}

/**
 * Applies operations to an image and returns the resulting changes, refusing what Glance refuses:
 * removing a base attribute, replacing a missing property, formats of an image that has data,
 * the owner by a non-admin, and making an image public without the right.
 */
export function applyPatch(ctx: RequestContext, image: ImageRecord, ops: PatchOp[]): ImageChanges {
  const values: ImageValues = {};
  const props = { ...image.properties };
  let tags: string[] | undefined;
  for (const { op, path: [root], value, draft } of ops) {
    if (root === 'locations') throw forbidden("It's not allowed to update locations if locations are invisible.");
    const isBase = BASE_NAMES.has(root);
    if (op === 'remove') {
      if (isBase) throw forbidden(`Property ${root} may not be removed.`);
      if (!(root in props)) throw conflict(`Property ${root} does not exist.`);
      delete props[root];
      continue;
    }
    if (op === 'add' && draft === 4 && (isBase || root in props)) throw conflict(`Property ${root} already present.`);
    if (!isBase) {
      if (op === 'replace' && !(root in props)) throw conflict(`Property ${root} does not exist.`);
      props[root] = value === null ? '' : String(value);
      continue;
    }
    if (root === 'tags') { tags = [...new Set(value as string[])]; continue; }
    checkBaseChange(ctx, image, root, value);
    (values as Record<string, unknown>)[root] = value;
  }
  const removeProps = Object.keys(image.properties).filter((k) => !(k in props));
  const setProps = Object.fromEntries(Object.entries(props).filter(([k, v]) => image.properties[k] !== v));
  return { values, setProps, removeProps, tags };
}

function checkBaseChange(ctx: RequestContext, image: ImageRecord, root: string, value: unknown): void {
  if (root === 'owner' && !ctx.is_admin && value !== image.owner) throw forbidden("Owner can't be updated by non admin.");
  if ((root === 'disk_format' || root === 'container_format') && !['queued', 'importing'].includes(image.status) && value !== image[root]) {
    throw forbidden(`Attribute ${root} can be only replaced for a queued image.`);
  }
  if (root === 'visibility' && value === 'public' && image.visibility !== 'public' && !ctx.is_admin) throw notAuthorized('publicize_image');
  if ((root === 'min_ram' || root === 'min_disk') && typeof value === 'number' && value < 0) {
    throw badRequest(`Invalid value '${value}' for parameter '${root}': Cannot be a negative value`);
  }
}
