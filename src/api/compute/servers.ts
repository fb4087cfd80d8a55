import { CreateRequest } from '../../compute/api';
import { Instance } from '../../objects/instance';
import { badRequest } from '../faults';
import { registerPolicies } from '../policy';
import { ApiRequest, ApiResponse, ApiRouter } from '../router';
import { toBool } from '../validation';
import { ControllerDeps } from './deps';
import { nextLink } from './query_params';
import { createServer, updateServer } from './schemas/servers';
import { idFromHref, loadServer, targetOf, viewContext } from './servers_common';
import { parseServerListQuery } from './servers_query';
import { serverDetail, serverSummary } from './views/servers';

const S = (a: string) => `os_compute_api:servers:${a}`;
const READER = 'rule:project_reader_or_admin';
const MEMBER = 'rule:project_member_or_admin';
const ADMIN = 'rule:context_is_admin';

// Nova's defaults (nova/policies/servers.py, extended_server_attributes.py).
registerPolicies([
  { name: S('index'), check: READER }, { name: S('detail'), check: READER },
  { name: S('index:get_all_tenants'), check: ADMIN }, { name: S('detail:get_all_tenants'), check: ADMIN },
  { name: S('allow_all_filters'), check: ADMIN }, { name: S('show'), check: READER },
  { name: S('show:flavor-extra-specs'), check: READER }, { name: S('show:host_status'), check: ADMIN },
  { name: S('show:host_status:unknown-only'), check: ADMIN },
  { name: S('create'), check: MEMBER }, { name: S('create:forced_host'), check: ADMIN },
  { name: S('create:attach_volume'), check: MEMBER }, { name: S('create:attach_network'), check: MEMBER },
  { name: S('create:trusted_certs'), check: MEMBER }, { name: 'compute:servers:create:requested_destination', check: ADMIN },
  { name: S('delete'), check: MEMBER }, { name: S('update'), check: MEMBER },
  { name: 'os_compute_api:os-extended-server-attributes', check: ADMIN },
]);

/** Fields the PUT and rebuild answers leave out before 2.75 (Nova's show() flags off). */
const BRIEF_OMITS = [/^OS-EXT-/, /^OS-SRV-USG:/, /^os-extended-volumes:/, /^config_drive$/, /^key_name$/, /^security_groups$/, /^host_status$/];

/** The server body PUT and rebuild answer with: everything from 2.75, a reduced view before. */
export async function serverForAction(req: ApiRequest, d: ControllerDeps, inst: Instance, keep: string[] = []): Promise<Record<string, unknown>> {
  const body = serverDetail(inst, await viewContext(req, d, [inst], { single: true }));
  if (req.version.lt('2.75')) {
    for (const k of Object.keys(body)) if (!keep.includes(k) && BRIEF_OMITS.some((re) => re.test(k))) delete body[k];
  }
  return body;
}

async function listServers(req: ApiRequest, d: ControllerDeps, detail: boolean) {
  req.authorize(S(detail ? 'detail' : 'index'));
  const q = parseServerListQuery(req, d.conf.api.max_limit, detail);
  const instances = q.empty ? [] : await d.compute.list(req.ctx, q.filters, q.options, { flavorid: q.flavorid, ip: q.ip });
  const v = await viewContext(req, d, detail ? instances : []);
  const out: Record<string, unknown> = { servers: instances.map((i) => (detail ? serverDetail(i, v) : serverSummary(i, v))) };
  if (q.limit > 0 && instances.length === q.limit) out.servers_links = [nextLink(req, detail ? 'servers/detail' : 'servers', instances[instances.length - 1].uuid)];
  return out;
}

/** Builds the service request from a POST /servers body, as Nova's controller reads it per microversion. */
function createRequest(req: ApiRequest): CreateRequest {
  const body = req.body as Record<string, any>;
  const s = body.server as Record<string, any>;
  const v = req.version;
  const name = String(s.name).trim();
  let imageRef: string = s.imageRef ?? '';
  const bdms: Array<Record<string, unknown>> = s.block_device_mapping_v2 ?? s.block_device_mapping ?? [];
  if (s.block_device_mapping && s.block_device_mapping_v2) throw badRequest('Using different block_device_mapping syntaxes is not allowed in the same request.');
  for (const b of bdms) {
    if (b.destination_type === 'local' && b.source_type === 'image' && !imageRef) imageRef = String(b.uuid ?? '');
    else if (b.destination_type === 'volume' || b.source_type === 'volume' || b.source_type === 'snapshot' || b.volume_id || b.snapshot_id) {
      throw badRequest('Block devices backed by volumes are not supported by this deployment: boot from an image (imageRef).');
    }
  }
  if (!imageRef) throw badRequest('Missing imageRef attribute');
  if (Array.isArray(s.networks)) {
    for (const n of s.networks as Array<Record<string, string>>) {
      if (n.port) continue;
      if (n.uuid === undefined) throw badRequest("Bad network format: missing 'uuid'");
      if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(n.uuid)) throw badRequest(`Bad networks format: network uuid is not in proper format (${n.uuid})`);
    }
  }
  const minCount = Number(s.min_count ?? 1);
  const maxCount = Number(s.max_count ?? minCount);
  const hints = body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'] ?? {};
  return {
    name, flavorRef: idFromHref(s.flavorRef), imageRef, key_name: s.key_name, metadata: s.metadata, user_data: s.user_data,
    availability_zone: s.availability_zone, min_count: minCount, max_count: maxCount,
    description: v.gte('2.19') ? s.description ?? null : name, admin_pass: s.adminPass, access_ip_v4: s.accessIPv4, access_ip_v6: s.accessIPv6,
    config_drive: s.config_drive === undefined ? false : toBool(s.config_drive), tags: v.gte('2.52') ? s.tags : undefined,
    hostname: v.gte('2.90') ? s.hostname : undefined, networks: s.networks,
    requested_host: v.gte('2.74') ? s.host : undefined, requested_hypervisor_hostname: v.gte('2.74') ? s.hypervisor_hostname : undefined,
    security_groups: s.security_groups ? [...new Set((s.security_groups as Array<{ name?: string }>).map((g) => g.name).filter((n): n is string => !!n))] : undefined,
    scheduler_hints: hints, injected_files: v.lt('2.57') && s.personality ? (s.personality as Array<{ path: string; contents: string }>).map((p) => [p.path, p.contents] as [string, string]) : [],
  };
}

/** /servers: list, detail, show, create (202 with adminPass and Location), update, delete (204). */
export function register(r: ApiRouter, d: ControllerDeps): void {
  r.get('/servers', { handler: (req) => listServers(req, d, false) });
  r.get('/servers/detail', { handler: (req) => listServers(req, d, true) });

  r.get('/servers/:server_id', {
    handler: async (req) => {
      const inst = await loadServer(req, d, S('show'));
      return { server: serverDetail(inst, await viewContext(req, d, [inst], { single: true })) };
    },
  });

  r.post('/servers', {
    status: 202, body: createServer,
    handler: async (req) => {
      const target = { project_id: req.ctx.project_id, user_id: req.ctx.user_id };
      req.authorize(S('create'), target);
      const cr = createRequest(req);
      if (cr.availability_zone?.includes(':')) req.authorize(S('create:forced_host'), target);
      if (cr.requested_host || cr.requested_hypervisor_hostname) req.authorize('compute:servers:create:requested_destination', target);
      const res = await d.compute.create(req.ctx, cr);
      if (toBool((req.body as Record<string, any>).server.return_reservation_id)) return { reservation_id: res.reservation_id };
      const inst = res.instances[0];
      const links = serverSummary(inst, await viewContext(req, d, [])).links;
      const server = {
        id: inst.uuid, links, 'OS-DCF:diskConfig': inst.auto_disk_config ? 'AUTO' : 'MANUAL',
        security_groups: (cr.security_groups ?? ['default']).map((name) => ({ name })), adminPass: res.admin_pass,
      };
      return new ApiResponse(202, { server }, { location: links[0].href });
    },
  });

  r.put('/servers/:server_id', {
    body: updateServer,
    handler: async (req) => {
      const inst = await loadServer(req, d, S('update'));
      const s = req.body.server as Record<string, string | null>;
      const updates: Record<string, string | null> = {};
      if (s.name !== undefined) updates.display_name = String(s.name).trim();
      if ('description' in s) updates.display_description = s.description;
      if (s.hostname !== undefined) updates.hostname = s.hostname;
      const saved = await d.compute.update(req.ctx, inst, updates);
      return { server: await serverForAction(req, d, saved) };
    },
  });

  r.delete('/servers/:server_id', {
    status: 204,
    handler: async (req) => {
      const inst = await loadServer(req, d, null, { notFound: 'Instance could not be found' });
      req.authorize(S('delete'), targetOf(inst));
      await d.compute.delete(req.ctx, inst);
    },
  });
}

