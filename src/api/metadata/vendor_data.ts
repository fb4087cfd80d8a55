import * as fs from 'node:fs';
import { Logger } from '../../lib/log';
import { Instance } from '../../objects/instance';
import { postText } from './http_post';

/**
 * Vendor data (Nova's vendordata_json.py and vendordata_dynamic.py): deployment-wide data for guests.
 * StaticJSON is a JSON file (`[api] vendordata_jsonfile_path`); DynamicJSON asks REST services
 * (`[api] vendordata_dynamic_targets`, `name@URL`) about each instance, and files each answer under
 * its name.
 */

export interface VendorDataSettings {
  providers: string[];
  jsonfilePath: string;
  dynamicTargets: string[];
  sslCertfile: string;
  connectTimeoutS: number;
  readTimeoutS: number;
  failureFatal: boolean;
}

export const KNOWN_PROVIDERS = ['StaticJSON', 'DynamicJSON'];

/** The static vendor data: {} when no file is configured; an error naming the file when it cannot be used. */
export function readStaticVendorData(file: string): unknown {
  if (!file) return {};
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    throw new Error(`[api] vendordata_jsonfile_path ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? e.message}): fix the path or leave the option empty`);
  }
  try { return JSON.parse(text); } catch (e) {
    throw new Error(`[api] vendordata_jsonfile_path ${file} is not valid JSON (${e.message})`);
  }
}

/** Refuses settings Nova would refuse (an unknown provider), naming the option. */
export function checkVendorDataSettings(s: VendorDataSettings): void {
  const unknown = s.providers.filter((p) => !KNOWN_PROVIDERS.includes(p));
  if (unknown.length) throw new Error(`[api] vendordata_providers: unknown provider(s) ${unknown.join(', ')} (known: ${KNOWN_PROVIDERS.join(', ')})`);
  if (s.providers.includes('StaticJSON')) readStaticVendorData(s.jsonfilePath);
}

/** The body Nova POSTs to each dynamic target. */
export function dynamicRequestBody(inst: Instance): Record<string, unknown> {
  return {
    'project-id': inst.project_id,
    'instance-id': inst.uuid,
    'image-id': inst.image_ref,
    'user-data': inst.user_data,
    hostname: inst.hostname,
    metadata: inst.metadata,
    'boot-roles': inst.system_metadata.boot_roles ?? '',
  };
}

/** Splits `name@URL` (the URL may itself hold `@`); null when there is no name. */
export function parseTarget(target: string): { name: string; url: string } | null {
  const at = target.indexOf('@');
  if (at < 0) return null;
  return { name: target.slice(0, at), url: target.slice(at + 1) };
}

/**
 * Asks every dynamic target about `inst`. A target that fails (unreachable, slow, not 2xx, not JSON)
 * is logged and gives {} under its name, as in Nova, unless `failureFatal`, where the error is thrown.
 */
export async function fetchDynamicVendorData(inst: Instance, s: VendorDataSettings, log: Logger): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const body = JSON.stringify(dynamicRequestBody(inst));
  const ca = s.sslCertfile ? fs.readFileSync(s.sslCertfile) : undefined;
  const jobs: Array<Promise<void>> = [];
  for (const target of s.dynamicTargets) {
    const t = parseTarget(target);
    if (!t) { log.warn(`vendordata target ${target} lacks a name (expected name@URL): skipped`, { instance: inst.uuid }); continue; }
    if (t.name in out) { log.warn(`vendordata already has an entry named ${t.name}: ${target} skipped`, { instance: inst.uuid }); continue; }
    out[t.name] = {};
    jobs.push((async () => {
      try {
        const text = await postText(t.url, body, {
          connectMs: s.connectTimeoutS * 1000, readMs: s.readTimeoutS * 1000, ca,
          headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'openstack-nova-vendordata' },
        });
        out[t.name] = text ? JSON.parse(text) : {};
      } catch (e) {
        log.warn(`error from dynamic vendordata service ${t.name} at ${t.url}: ${e.message}`, { instance: inst.uuid });
        if (s.failureFatal) throw e;
      }
    })());
  }
  await Promise.all(jobs);
  return out;
}
