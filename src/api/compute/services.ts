import { ServiceView } from '../../compute/host_api';
import { registerPolicies } from '../policy';
import { ApiRouter } from '../router';
import { dbTime, q1 } from '../format';
import { badRequest } from '../faults';
import { toBool, types } from '../validation';
import { ControllerDeps } from './deps';

registerPolicies([
  { name: 'os_compute_api:os-services:list', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-services:update', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-services:delete', check: 'rule:context_is_admin' },
]);

function show(s: ServiceView, v: { gte(x: string): boolean }) {
  const out: Record<string, unknown> = {
    binary: s.binary, host: s.host, zone: s.zone, status: s.disabled ? 'disabled' : 'enabled', state: s.up ? 'up' : 'down',
    updated_at: dbTime(s.updated_at), disabled_reason: s.disabled_reason, id: v.gte('2.53') ? s.uuid : s.id,
  };
  if (v.gte('2.11')) out.forced_down = s.forced_down;
  return out;
}

const hostBinary = { type: 'object', properties: { host: types.name, binary: types.name }, required: ['host', 'binary'], additionalProperties: false };

/** /os-services: list, enable/disable (with reason), force down, delete. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const hosts = d.compute.hosts;

  r.get('/os-services', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-services:list');
      const list = await hosts.serviceList(req.ctx, { host: q1(req.query.host), binary: q1(req.query.binary) });
      return { services: list.map((s) => show(s, req.version)) };
    },
  });

  // Before 2.53: PUT /os-services/{enable|disable|disable-log-reason|force-down} with host and binary.
  const legacy = (action: string, body: object, apply: (b: Record<string, unknown>) => { disabled?: boolean; disabled_reason?: string | null; forced_down?: boolean }, min?: string) =>
    r.put(`/os-services/${action}`, {
      max: '2.52', min, body,
      handler: async (req) => {
        req.authorize('os_compute_api:os-services:update');
        const s = await hosts.serviceFind(req.ctx, req.body.host, req.body.binary);
        const values = apply(req.body);
        const u = await hosts.serviceUpdate(req.ctx, s.id, values);
        const out: Record<string, unknown> = { host: u.host, binary: u.binary };
        if (action === 'force-down') out.forced_down = u.forced_down;
        else out.status = u.disabled ? 'disabled' : 'enabled';
        if (action === 'disable-log-reason') out.disabled_reason = u.disabled_reason;
        return { service: out };
      },
    });
  legacy('enable', hostBinary, () => ({ disabled: false, disabled_reason: null }));
  legacy('disable', hostBinary, () => ({ disabled: true }));
  legacy('disable-log-reason', { ...hostBinary, properties: { ...hostBinary.properties, disabled_reason: { type: 'string', minLength: 1, maxLength: 255 } }, required: ['host', 'binary', 'disabled_reason'] },
    (b) => ({ disabled: true, disabled_reason: String(b.disabled_reason) }));
  legacy('force-down', { ...hostBinary, properties: { ...hostBinary.properties, forced_down: types.boolean }, required: ['host', 'binary', 'forced_down'] },
    (b) => ({ forced_down: toBool(b.forced_down) }), '2.11');

  r.put('/os-services/:service_id', {
    min: '2.53',
    body: {
      type: 'object', additionalProperties: false,
      properties: { status: { type: 'string', enum: ['enabled', 'disabled'] }, disabled_reason: { type: 'string', minLength: 1, maxLength: 255 }, forced_down: types.boolean },
    },
    handler: async (req) => {
      req.authorize('os_compute_api:os-services:update');
      const b = req.body ?? {};
      if (b.status === undefined && b.forced_down === undefined) throw badRequest("At least one of 'status' or 'forced_down' must be specified in the request body.");
      if (b.disabled_reason !== undefined && b.status !== 'disabled') throw badRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
      const s = await hosts.serviceGet(req.ctx, req.params.service_id);
      const values: { disabled?: boolean; disabled_reason?: string | null; forced_down?: boolean } = {};
      if (b.status !== undefined) { values.disabled = b.status === 'disabled'; values.disabled_reason = b.status === 'disabled' ? (b.disabled_reason ?? null) : null; }
      if (b.forced_down !== undefined) values.forced_down = toBool(b.forced_down);
      return { service: show(await hosts.serviceUpdate(req.ctx, s.id, values), req.version) };
    },
  });

  r.delete('/os-services/:service_id', {
    status: 204,
    handler: async (req) => {
      req.authorize('os_compute_api:os-services:delete');
      if (req.version.lt('2.53') && !/^\d+$/.test(req.params.service_id)) throw badRequest(`Invalid ID ${req.params.service_id}`);
      await hosts.serviceDelete(req.ctx, req.params.service_id);
    },
  });
}
