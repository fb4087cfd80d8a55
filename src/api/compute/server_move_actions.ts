import { randomBytes } from 'node:crypto';
import { RebuildRequest } from '../../compute/move_api';
import { MigrationNotFound } from '../../exception';
import { forbidden, HttpError } from '../faults';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiResponse, ApiRouter } from '../router';
import { toBool } from '../validation';
import { ControllerDeps } from './deps';
import { createImage, migrate, migrateLive, rebuild, rescue, resize, unshelve } from './schemas/server_actions';
import { serverAction } from './server_actions';
import { serverForAction } from './servers';
import { idFromHref, targetOf } from './servers_common';

const MEMBER = 'rule:project_member_or_admin';
const ADMIN = 'rule:context_is_admin';

// Nova's defaults (nova/policies/{servers,rescue,shelve,migrate_server}.py).
registerPolicies([
  { name: 'os_compute_api:servers:rebuild', check: MEMBER }, { name: 'os_compute_api:servers:rebuild:trusted_certs', check: MEMBER },
  { name: 'os_compute_api:servers:resize', check: MEMBER }, { name: 'os_compute_api:servers:confirm_resize', check: MEMBER },
  { name: 'os_compute_api:servers:revert_resize', check: MEMBER }, { name: 'os_compute_api:servers:create_image', check: MEMBER },
  { name: 'os_compute_api:servers:create_image:allow_volume_backed', check: MEMBER },
  { name: 'os_compute_api:os-rescue', check: MEMBER }, { name: 'os_compute_api:os-unrescue', check: MEMBER },
  { name: 'os_compute_api:os-shelve:shelve', check: MEMBER }, { name: 'os_compute_api:os-shelve:unshelve', check: MEMBER },
  { name: 'os_compute_api:os-shelve:unshelve_to_host', check: ADMIN }, { name: 'os_compute_api:os-shelve:shelve_offload', check: ADMIN },
  { name: 'os_compute_api:os-migrate-server:migrate', check: 'rule:project_manager_or_admin' },
  { name: 'os_compute_api:os-migrate-server:migrate:host', check: ADMIN },
  { name: 'os_compute_api:os-migrate-server:migrate_live', check: 'rule:project_manager_or_admin' },
  { name: 'os_compute_api:os-migrate-server:migrate_live:host', check: ADMIN },
]);

/** Nova's generate_password: 12 characters from an unambiguous alphabet. */
function generatePassword(): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** "Instance has not been resized." when there is no finished resize to confirm or revert (400). */
async function needsResize<T>(work: () => Promise<T>): Promise<T> {
  try { return await work(); } catch (e) {
    if (e instanceof MigrationNotFound) throw new HttpError(400, 'Instance has not been resized.');
    throw e;
  }
}

/** Where a new image can be fetched: the image endpoint in this process or [glance] api_servers. */
function imageUrl(req: ApiRequest, d: ControllerDeps, id: string): string {
  const base = d.rt.endpoints.image ?? d.conf.glance.api_servers[0] ?? req.baseUrl.replace(/\/v2(\.1)?$/, '');
  return `${base.replace(/\/+$/, '')}/images/${id}`;
}

function rebuildRequest(req: ApiRequest): RebuildRequest {
  const b = req.body.rebuild as Record<string, any>;
  const v = req.version;
  return {
    imageRef: idFromHref(b.imageRef), adminPass: b.adminPass ?? generatePassword(), name: b.name === undefined ? undefined : String(b.name).trim(),
    description: v.gte('2.19') ? b.description : undefined, metadata: b.metadata,
    key_name: v.gte('2.54') && 'key_name' in b ? b.key_name : undefined, user_data: v.gte('2.57') && 'user_data' in b ? b.user_data : undefined,
    hostname: v.gte('2.90') ? b.hostname : undefined, preserve_ephemeral: b.preserve_ephemeral === undefined ? false : toBool(b.preserve_ephemeral),
    access_ip_v4: b.accessIPv4, access_ip_v6: b.accessIPv6,
  };
}

/** Rebuild, resize/confirm/revert, migrate, createImage, rescue/unrescue and shelve/unshelve actions. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const m = d.compute.moves;
  const action = (name: string, rule: string, apiName: string, work: Parameters<typeof serverAction>[5], spec: Parameters<typeof serverAction>[6] = {}) =>
    serverAction(r, d, name, rule, apiName, work, spec);

  action('rebuild', 'os_compute_api:servers:rebuild', 'rebuild', async (req, inst) => {
    const rb = rebuildRequest(req);
    await m.rebuild(req.ctx, inst, rb);
    const now = await d.compute.get(req.ctx, inst.uuid);
    const server = await serverForAction(req, d, now, req.version.gte('2.54') ? ['key_name'] : []);
    if (req.version.gte('2.57')) server.user_data = now.user_data;
    server.adminPass = rb.adminPass;
    return new ApiResponse(202, { server }, { location: (server.links as Array<{ href: string }>)[0].href });
  }, { body: rebuild });

  action('resize', 'os_compute_api:servers:resize', 'resize', (req, inst) => m.resize(req.ctx, inst, idFromHref(req.body.resize.flavorRef)), { body: resize });
  action('confirmResize', 'os_compute_api:servers:confirm_resize', 'confirmResize', (req, inst) => needsResize(() => m.confirmResize(req.ctx, inst)), { status: 204 });
  action('revertResize', 'os_compute_api:servers:revert_resize', 'revertResize', (req, inst) => needsResize(() => m.revertResize(req.ctx, inst)));

  action('migrate', 'os_compute_api:os-migrate-server:migrate', 'migrate', async (req, inst) => {
    const host = req.version.gte('2.56') ? req.body.migrate?.host : undefined;
    if (host) req.authorize('os_compute_api:os-migrate-server:migrate:host', targetOf(inst));
    await m.migrate(req.ctx, inst, host);
  }, { body: migrate });

  action('os-migrateLive', 'os_compute_api:os-migrate-server:migrate_live', 'os-migrateLive', async (req, inst) => {
    const b = req.body['os-migrateLive'] as { host?: string | null; block_migration: unknown };
    const host = b.host || null;
    if (host) req.authorize('os_compute_api:os-migrate-server:migrate_live:host', targetOf(inst));
    await m.liveMigrate(req.ctx, inst, host, b.block_migration === 'auto' ? 'auto' : toBool(b.block_migration));
  }, { body: migrateLive });

  action('createImage', 'os_compute_api:servers:create_image', 'createImage', async (req, inst) => {
    const { name, metadata = {} } = req.body.createImage as { name: string; metadata?: Record<string, string> };
    if (req.version.lt('2.39')) {
      const allowed = (await d.compute.quotas.limits(inst.project_id)).metadata_items;
      if (allowed >= 0 && Object.keys(metadata).length > allowed) throw forbidden('Image metadata limit exceeded');
    }
    const image = await m.snapshot(req.ctx, inst, name.trim(), metadata);
    if (req.version.gte('2.45')) return new ApiResponse(202, { image_id: image.id });
    return new ApiResponse(202, undefined, { location: imageUrl(req, d, image.id) });
  }, { body: createImage });

  action('rescue', 'os_compute_api:os-rescue', 'rescue', async (req, inst) => {
    const password = req.body.rescue?.adminPass ?? generatePassword();
    await m.rescue(req.ctx, inst, password, req.body.rescue?.rescue_image_ref);
    return { adminPass: password };
  }, { body: rescue, status: 200 });
  action('unrescue', 'os_compute_api:os-unrescue', 'unrescue', (req, inst) => m.unrescue(req.ctx, inst));

  action('shelve', 'os_compute_api:os-shelve:shelve', 'shelve', (req, inst) => m.shelve(req.ctx, inst));
  action('shelveOffload', 'os_compute_api:os-shelve:shelve_offload', 'shelveOffload', (req, inst) => m.shelveOffload(req.ctx, inst));
  action('unshelve', 'os_compute_api:os-shelve:unshelve', 'unshelve', async (req, inst) => {
    const body = req.body.unshelve as { availability_zone?: string | null; host?: string } | null;
    const zone = req.version.gte('2.77') && body && 'availability_zone' in body ? body.availability_zone : undefined;
    const host = req.version.gte('2.91') ? body?.host : undefined;
    if (host) req.authorize('os_compute_api:os-shelve:unshelve_to_host', targetOf(inst));
    await m.unshelve(req.ctx, inst, zone, host);
  }, { body: unshelve });
}

