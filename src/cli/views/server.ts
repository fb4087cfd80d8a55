import { ComputeClient } from '../../client/compute/client';
import { Server } from '../../client/compute/servers';
import { CommandError } from '../../client/errors';
import { ImageFinder } from '../../client/images';
import { findFlavor } from '../../client/resolve';

/** Power states by number, as novaclient names them in `nova list`. */
const POWER_STATES = ['NOSTATE', 'Running', '', 'Paused', 'Shutdown', '', 'Crashed', 'Suspended'];

/** Addresses by network label, labels sorted (novaclient's Server.networks). */
export function serverNetworks(s: Pick<Server, 'addresses'>): Array<[string, string[]]> {
  return Object.keys(s.addresses ?? {}).sort().map((label) => [label, s.addresses[label].map((a) => a.addr)]);
}

/** `private=10.0.0.3, fd00::3; public=172.24.4.9`. */
export function formatNetworks(s: Pick<Server, 'addresses'>): string {
  return serverNetworks(s).filter(([, a]) => a.length).map(([label, a]) => `${label}=${a.join(', ')}`).join('; ');
}

/** True when the flavor inside the server is its values (2.47+), not a link. */
function embeddedFlavor(f: Server['flavor']): f is Extract<Server['flavor'], { original_name: string }> {
  return !!f && typeof f === 'object' && 'original_name' in f;
}

/**
 * A server as a row of `nova list`: the fields of the API plus the short names novaclient adds
 * (task_state, power_state as a word, host, host_id, instance_name), and `flavor:*` fields for an
 * embedded flavor.
 */
export function listRow(s: Server, expandFlavor: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = { ...s };
  const alias: Array<[string, string]> = [['OS-EXT-SRV-ATTR:host', 'host'], ['OS-EXT-STS:task_state', 'task_state'],
    ['OS-EXT-SRV-ATTR:instance_name', 'instance_name'], ['OS-EXT-STS:power_state', 'power_state'], ['hostId', 'host_id']];
  for (const [from, to] of alias) if (from in s && !(to in s)) row[to] = s[from];
  row.power_state = typeof row.power_state === 'number' ? POWER_STATES[row.power_state] ?? '' : 'N/A';
  if (!('task_state' in row)) row.task_state = 'N/A';
  if (expandFlavor && embeddedFlavor(s.flavor)) {
    delete row.flavor;
    for (const [k, v] of Object.entries(s.flavor)) row[`flavor:${k}`] = v;
  }
  return row;
}

/** Python's str.title(): a capital after each non-letter, the rest lower case. */
function pyTitle(s: string): string {
  return s.toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase());
}

/** novaclient's column title for a field: `OS-EXT-STS:task_state` -> `OS-EXT-STS: Task State`. */
export function fieldTitle(field: string): string {
  const parts = field.split(':');
  const last = parts.length > 1 ? [parts.slice(0, -1).join(':'), parts[parts.length - 1]] : [field];
  let name = last[last.length - 1].replace(/_/g, ' ');
  const hasCase = /[a-zA-Z]/.test(name);
  if (hasCase && (name === name.toUpperCase() || name === name.toLowerCase())) name = pyTitle(name);
  last[last.length - 1] = name;
  return last.join(': ');
}

/**
 * The columns and cell getters of `nova list --fields a,b`: unknown fields are an error listing
 * them, `id` is always first already, duplicates are dropped.
 */
export function fieldColumns(fields: string, rows: Array<Record<string, unknown>>, embedded: boolean): { columns: string[]; formatters: Record<string, (r: Record<string, unknown>) => unknown> } {
  const columns: string[] = [];
  const formatters: Record<string, (r: Record<string, unknown>) => unknown> = {};
  if (rows.length === 0) return { columns, formatters };
  const existing = new Set(['networks', ...Object.keys(rows[0])]);
  const missing: string[] = [];
  const seen = new Set(['id']);
  for (const f of fields.split(',')) {
    if (!existing.has(f)) { missing.push(f); continue; }
    if (seen.has(f)) continue;
    seen.add(f);
    const title = fieldTitle(f);
    columns.push(title);
    formatters[title] = (r) => {
      if (f === 'networks') return formatNetworks(r as unknown as Server);
      const v = r[f];
      if (f === 'security_groups' && Array.isArray(v)) return v.map((g: { name: string }) => g.name).join(', ');
      if (f === 'flavor' && !embedded && v && typeof v === 'object') return (v as { id: string }).id;
      return v ?? '';
    };
  }
  if (missing.length) throw new CommandError(`Non-existent fields are specified: [${missing.map((m) => `'${m}'`).join(', ')}]`);
  return { columns, formatters };
}

/**
 * The `Property | Value` record of `nova show` (novaclient's _print_server): one `<label> network`
 * row per network, the flavor expanded (2.47+) or named, the image named, links and raw addresses
 * and user data left out.
 */
export async function serverDetails(nova: ComputeClient, images: ImageFinder, s: Server, minimal = false): Promise<Record<string, unknown>> {
  const info: Record<string, unknown> = { ...s };
  for (const [label, addrs] of serverNetworks(s)) info[`${label} network`] = addrs.join(', ');
  const flavor = s.flavor;
  if (embeddedFlavor(flavor)) {
    if (minimal) info.flavor = flavor.original_name;
    else {
      delete info.flavor;
      for (const [k, v] of Object.entries(flavor)) info[`flavor:${k}`] = v;
    }
  } else if (flavor && typeof flavor === 'object') {
    const id = flavor.id ?? '';
    if (minimal) info.flavor = id;
    else info.flavor = `${await findFlavor(nova, id).then((f) => f.name, () => 'Flavor not found')} (${id})`;
  }
  if (Array.isArray(s.security_groups)) {
    info.security_groups = [...new Set(s.security_groups.map((g) => g.name))].sort().join(', ');
  }
  if (s.image && typeof s.image === 'object') {
    const id = s.image.id ?? '';
    info.image = minimal ? id : `${await images.get(id).then((i) => i.name, () => 'Image not found')} (${id})`;
  } else {
    info.image = 'Attempt to boot from volume - no image supplied';
  }
  delete info.links;
  delete info.addresses;
  delete info['OS-EXT-SRV-ATTR:user_data'];
  return info;
}

/** oslo's to_slug, which novaclient shows as a server's "human id": `My Server!` -> `my-server`. */
export function humanId(name: string): string {
  return name.normalize('NFKD').replace(/[^\x00-\x7f]/g, '').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[-\s]+/g, '-');
}
