import { randomBytes } from 'node:crypto';
import { InstanceMetadata } from './instance_data';
import { networkData } from './network_data';
import { atLeast, InvalidMetadataPath, OPENSTACK_VERSIONS, OS, resolveVersion } from './versions';

/**
 * The OpenStack-style tree (Nova's RouteConfiguration): `/openstack/<version>/` lists its files,
 * each file is a JSON document or raw data, and `password` is handled by the password module.
 */

export const TEXT = 'text/plain; charset=UTF-8';
export const JSON_TYPE = 'application/json';

export type Answer = { kind: 'data'; body: string | Buffer; contentType: string } | { kind: 'password' };

const data = (body: string | Buffer, contentType = TEXT): Answer => ({ kind: 'data', body, contentType });
const json = (doc: unknown): Answer => data(JSON.stringify(doc), JSON_TYPE);

const at = (required: string, version: string) => atLeast(required, version, OPENSTACK_VERSIONS);

/**
 * meta_data.json for `version`. `extra` is what only a config drive adds (Nova's extra_md, such as
 * admin_pass); the metadata service never passes it.
 */
export function metadataJson(md: InstanceMetadata, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const inst = md.instance;
  const doc: Record<string, unknown> = { uuid: inst.uuid };
  if (Object.keys(inst.metadata).length) doc.meta = inst.metadata;
  Object.assign(doc, extra);
  const key = md.keypair;
  if (key) {
    doc.public_keys = { [key.name]: key.data };
    doc.keys = [{ name: key.name, type: key.type, data: key.data }];
  }
  doc.hostname = md.hostname;
  doc.name = inst.display_name;
  doc.launch_index = inst.launch_index;
  doc.availability_zone = md.availabilityZone;
  if (at(OS.GRIZZLY, version)) doc.random_seed = randomBytes(512).toString('base64');
  if (at(OS.LIBERTY, version)) doc.project_id = inst.project_id;
  // No device tagging or NUMA pinning in this build yet: nothing to list.
  if (at(OS.NEWTON_ONE, version)) doc.devices = [];
  if (at(OS.VICTORIA, version)) doc.dedicated_cpus = [];
  return doc;
}

/** The files listed under `/openstack/<version>`. */
export function versionListing(md: InstanceMetadata, version: string): string[] {
  const files = ['meta_data.json'];
  if (md.userData) files.push('user_data');
  if (at(OS.GRIZZLY, version)) files.push('password');
  if (at(OS.HAVANA, version)) files.push('vendor_data.json');
  if (at(OS.LIBERTY, version)) files.push('network_data.json');
  if (at(OS.NEWTON_TWO, version)) files.push('vendor_data2.json');
  return files;
}

/** vendor_data2.json: `static` from StaticJSON, then each dynamic target's answer under its name. */
async function vendorData2(md: InstanceMetadata): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const provider of md.settings.vendor.providers) {
    if (provider === 'StaticJSON') out.static = md.staticVendorData;
    if (provider === 'DynamicJSON') {
      for (const [name, value] of Object.entries(await md.dynamicVendor())) {
        // Nova drops a dynamic entry whose name is already taken (by `static`).
        if (!(name in out)) out[name] = value;
      }
    }
  }
  return out;
}

/** The answer for `/openstack/<tokens...>` (tokens after `openstack`); InvalidMetadataPath for 404. */
export async function openstackItem(md: InstanceMetadata, tokens: string[], path: string): Promise<Answer> {
  // Injected file contents (`/openstack/content/NNNN`) only exist on config drives.
  if (tokens[0] === 'content') throw new InvalidMetadataPath(path);
  const version = resolveVersion(tokens[0], OPENSTACK_VERSIONS, path);
  const file = tokens.slice(1).join('/');
  switch (file) {
    case '':
      return data(versionListing(md, version).join('\n'));
    case 'meta_data.json':
      return json(metadataJson(md, version));
    case 'user_data':
      if (!md.userData) break;
      return data(md.userData);
    case 'password':
      if (!at(OS.GRIZZLY, version)) break;
      return { kind: 'password' };
    case 'vendor_data.json':
      if (!at(OS.HAVANA, version) || !md.settings.vendor.providers.includes('StaticJSON')) break;
      return json(md.staticVendorData);
    case 'network_data.json':
      // Listed from Liberty on, but served for any version, as Nova does.
      return json(networkData(md.instance.network_info));
    case 'vendor_data2.json':
      if (!at(OS.NEWTON_TWO, version)) break;
      return json(await vendorData2(md));
  }
  throw new InvalidMetadataPath(path);
}
