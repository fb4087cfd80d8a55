import { ApiError, CommandError } from './errors';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** oslo's is_uuid_like: 32 hex digits, with or without the dashes. */
export function isUuidLike(s: string): boolean {
  return UUID.test(s.trim());
}

export interface Finder<T> {
  /** Lower-case kind for messages: server, flavor, keypair, hypervisor. */
  kind: string;
  get(id: string): Promise<T>;
  /** Candidates whose name may be `name` (a server-side filter may be loose: the caller filters exactly). */
  listByName(name: string): Promise<T[]>;
  nameOf(item: T): string | null | undefined;
  /** Try `get` first whatever the string looks like (flavors, keypairs, hypervisors allow non-UUID ids). */
  alphanumIds?: boolean;
}

/**
 * novaclient's find_resource: by id (any string for kinds that allow it, else only a UUID), then by
 * exact name, then as an integer id; no match and several matches are CommandErrors.
 */
export async function findResource<T>(f: Finder<T>, nameOrId: string): Promise<T> {
  const tryGet = async (id: string): Promise<T | undefined> => {
    try {
      return await f.get(id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  };
  if (f.alphanumIds || isUuidLike(nameOrId)) {
    const hit = await tryGet(nameOrId);
    if (hit) return hit;
  }
  const matches = (await f.listByName(nameOrId)).filter((x) => f.nameOf(x) === nameOrId);
  if (matches.length > 1) throw new CommandError(`Multiple ${f.kind} matches found for '${nameOrId}', use an ID to be more specific.`);
  if (matches.length === 1) return matches[0];
  if (/^-?\d+$/.test(nameOrId) && !f.alphanumIds) {
    const hit = await tryGet(String(Number(nameOrId)));
    if (hit) return hit;
  }
  throw new CommandError(`No ${f.kind} with a name or ID of '${nameOrId}' exists.`);
}
