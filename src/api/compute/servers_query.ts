import { statusFromState, TaskState, VmState } from '../../compute/vm_states';
import { InstanceFilters, ListOptions } from '../../db/api/instances';
import { q1, qAll } from '../format';
import { badRequest, forbidden } from '../faults';
import { ApiRequest } from '../router';
import { toBool } from '../validation';
import { changesWindow, queryLimit } from './query_params';

/** Sort keys Nova accepts and silently ignores (bad ideas kept for compatibility until 2.75). */
const IGNORED_SORT_KEYS = ['architecture', 'cell_name', 'cleaned', 'default_ephemeral_device', 'default_swap_device', 'deleted', 'deleted_at',
  'disable_terminate', 'ephemeral_gb', 'ephemeral_key_uuid', 'id', 'key_data', 'launched_on', 'locked', 'memory_mb', 'os_type',
  'reservation_id', 'root_gb', 'shutdown_terminate', 'user_data', 'vcpus', 'vm_mode'];
const VALID_SORT_KEYS = ['access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'availability_zone', 'config_drive', 'created_at',
  'display_description', 'display_name', 'host', 'hostname', 'image_ref', 'instance_type_id', 'kernel_id', 'key_name', 'launch_index',
  'launched_at', 'locked_by', 'node', 'power_state', 'progress', 'project_id', 'ramdisk_id', 'root_device_name', 'task_state',
  'terminated_at', 'updated_at', 'user_id', 'uuid', 'vm_state'];

/** Filters a non-admin may use, by the microversion that allowed them (nova/api/openstack/compute/servers.py). */
function allowedFilters(req: ApiRequest): Set<string> {
  const v = req.version;
  const opts = ['reservation_id', 'name', 'status', 'image', 'flavor', 'ip', 'changes-since', 'all_tenants'];
  if (v.gte('2.5')) opts.push('ip6');
  if (v.gte('2.26')) opts.push('tags', 'tags-any', 'not-tags', 'not-tags-any');
  if (v.gte('2.66')) opts.push('changes-before');
  if (v.gte('2.73')) opts.push('locked');
  if (v.gte('2.83')) opts.push('availability_zone', 'config_drive', 'key_name', 'created_at', 'launched_at', 'terminated_at', 'power_state', 'task_state', 'vm_state', 'progress', 'user_id');
  if (v.gte('2.90')) opts.push('hostname');
  return new Set(opts);
}

/** Every query parameter GET /servers knows at this microversion (others are 400 from 2.75). */
function knownParams(req: ApiRequest): Set<string> {
  const known = new Set(['user_id', 'project_id', 'tenant_id', 'launch_index', 'image_ref', 'image', 'kernel_id', 'ramdisk_id', 'hostname',
    'key_name', 'power_state', 'vm_state', 'task_state', 'host', 'node', 'flavor', 'reservation_id', 'launched_at', 'terminated_at',
    'availability_zone', 'name', 'display_name', 'description', 'display_description', 'locked_by', 'uuid', 'root_device_name', 'config_drive',
    'access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'progress', 'sort_key', 'sort_dir', 'all_tenants', 'soft_deleted', 'deleted', 'status',
    'changes-since', 'ip', 'ip6', 'created_at', 'limit', 'marker', 'block_device_mapping', 'services', 'metadata', 'system_metadata',
    'info_cache', 'security_groups', 'pci_devices']);
  if (req.version.gte('2.26')) ['tags', 'tags-any', 'not-tags', 'not-tags-any'].forEach((k) => known.add(k));
  if (req.version.gte('2.66')) known.add('changes-before');
  if (req.version.gte('2.73')) known.add('locked');
  return known;
}

/** vm_states and task_states whose API status is one of `statuses` (Nova's task_and_vm_state_from_status). */
export function statesFromStatus(statuses: string[]): { vm: string[]; task: Array<string | null>; anyTask: boolean } {
  const wanted = new Set(statuses.map((s) => s.toUpperCase()));
  const vm = new Set<string>();
  const task = new Set<string | null>();
  let anyTask = false;
  for (const v of Object.values(VmState)) {
    if (wanted.has(statusFromState(v, null))) { vm.add(v); anyTask = true; }
    for (const t of Object.values(TaskState)) {
      const s = statusFromState(v, t);
      if (wanted.has(s) && s !== statusFromState(v, null)) { vm.add(v); task.add(t); }
    }
  }
  return { vm: [...vm].sort(), task: [...task], anyTask };
}

export interface ServerListQuery { filters: InstanceFilters; options: ListOptions; flavorid?: string; ip?: RegExp; empty?: boolean; limit: number }

/**
 * Turns GET /servers query parameters into filters as Nova does: non-admins lose the filters they
 * may not use, `status` becomes vm/task states, tenants are scoped unless an admin asks for all,
 * deleted servers only for admins (or with changes-since), and sort keys are checked.
 */
export function parseServerListQuery(req: ApiRequest, maxLimit: number, detail: boolean): ServerListQuery {
  const q = { ...req.query };
  const ctx = req.ctx;
  const allowAll = req.can('os_compute_api:servers:allow_all_filters');
  if (req.version.gte('2.75')) {
    const known = knownParams(req);
    const unknown = Object.keys(q).find((k) => !known.has(k));
    if (unknown) throw badRequest(`Invalid input for query parameters ${unknown}. Value: ${q1(q[unknown])}. Additional properties are not allowed ('${unknown}' was unexpected)`);
  }
  for (const k of ['block_device_mapping', 'services', 'metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices']) {
    if (k in q) throw badRequest(`Invalid filter field: ${k}.`);
  }
  if (Object.keys(q).some((k) => k.startsWith('_'))) throw badRequest(`Invalid filter field: ${Object.keys(q).find((k) => k.startsWith('_'))}.`);
  if (!allowAll) {
    const allowed = allowedFilters(req);
    for (const k of Object.keys(q)) if (!allowed.has(k) && !['sort_key', 'sort_dir', 'limit', 'marker'].includes(k)) delete q[k];
  }
  const f: InstanceFilters = {};
  const out: ServerListQuery = { filters: f, options: {}, limit: maxLimit };

  if (q.status !== undefined) {
    const st = statesFromStatus(qAll(q.status));
    if (st.vm.length === 0) {
      if (req.version.gte('2.38')) throw badRequest('Invalid status value');
      out.empty = true;
    }
    f.vm_state = st.vm;
    if (!st.anyTask) f.task_state = st.task;
  }
  if (q.vm_state !== undefined) f.vm_state = qAll(q.vm_state);
  if (q.task_state !== undefined) f.task_state = qAll(q.task_state);
  if ('changes-since' in q || 'changes-before' in q) {
    const window = changesWindow({ ...req, query: q }, 'changes-before' in q);
    f.changes_since = window.since;
    f.changes_before = window.before;
  }
  // Deleted servers: only when asked by an admin, or implied by changes-since/changes-before.
  if (q.deleted !== undefined) f.read_deleted = toBool(q1(q.deleted)) ? 'only' : 'no';
  else f.read_deleted = f.changes_since || f.changes_before ? 'yes' : 'no';
  if (f.vm_state?.length === 1 && f.vm_state[0] === VmState.DELETED) {
    if (!ctx.is_admin) throw forbidden('Only administrators may list deleted instances');
    f.read_deleted = 'only';
  }
  if (req.version.gte('2.26')) {
    const split = (k: string) => (q[k] === undefined ? undefined : q1(q[k])!.split(',').filter(Boolean));
    f.tags = split('tags'); f.tags_any = split('tags-any'); f.not_tags = split('not-tags'); f.not_tags_any = split('not-tags-any');
  }
  const allTenantsRaw = q.all_tenants;
  const allTenants = allTenantsRaw !== undefined && (q1(allTenantsRaw) === '' || toBool(q1(allTenantsRaw)));
  if (allTenantsRaw !== undefined && q1(allTenantsRaw) !== '' && !/^(true|false|1|0|on|off|yes|no|y|n|t|f)$/i.test(q1(allTenantsRaw)!)) {
    throw badRequest(`Unrecognized value '${q1(allTenantsRaw)}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`);
  }
  if (allTenants) {
    req.authorize(detail ? 'os_compute_api:servers:detail:get_all_tenants' : 'os_compute_api:servers:index:get_all_tenants');
    const project = q1(q.project_id) ?? q1(q.tenant_id);
    if (project) f.project_id = project;
  } else {
    f.project_id = ctx.project_id ?? undefined;
    if (!ctx.project_id) f.user_id = ctx.user_id ?? undefined;
  }
  if (q.user_id !== undefined) f.user_id = q1(q.user_id);
  if (q.locked !== undefined) {
    const v = q1(q.locked)!;
    if (!/^(true|false|1|0|on|off|yes|no|y|n|t|f)$/i.test(v)) throw badRequest(`Unrecognized value '${v}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`);
    f.locked = toBool(v);
  }
  const one = (k: string) => (q[k] === undefined ? undefined : q1(q[k]));
  f.name = one('name') ?? one('display_name');
  f.hostname = one('hostname');
  const int = (k: string) => { const v = one(k); return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined; };
  f.power_state = int('power_state');
  f.progress = int('progress');
  f.config_drive = one('config_drive');
  f.reservation_id = one('reservation_id');
  f.host = one('host');
  f.node = one('node');
  f.key_name = one('key_name');
  f.availability_zone = one('availability_zone');
  const image = one('image') ?? one('image_ref');
  if (image) f.image_ref = image.split('/').pop();
  const flavor = one('flavor');
  if (flavor) out.flavorid = flavor.split('/').pop();
  if (one('uuid')) f.uuids = qAll(q.uuid);
  const ip = one('ip') ?? one('ip6');
  if (ip) {
    try { out.ip = new RegExp(ip); } catch { throw badRequest(`Invalid input for query parameters ip. Value: ${ip}. '${ip}' is not a 'regex'`); }
  }
  for (const k of Object.keys(f) as Array<keyof InstanceFilters>) if (f[k] === undefined) delete f[k];

  // Sorting: Nova's valid keys; some are accepted and ignored; host and node for admins only.
  const keys = qAll(q.sort_key).map((k) => k.trim());
  const dirs = qAll(q.sort_dir).map((k) => k.trim().toLowerCase());
  const ignored = req.version.gte('2.73') ? IGNORED_SORT_KEYS.filter((k) => k !== 'locked') : IGNORED_SORT_KEYS;
  const valid = new Set([...VALID_SORT_KEYS, ...(req.version.gte('2.73') ? ['locked'] : []), ...(req.version.gte('2.75') ? [] : ignored)]);
  const sortKeys: string[] = [];
  const sortDirs: Array<'asc' | 'desc'> = [];
  keys.forEach((k, i) => {
    if (!valid.has(k)) throw badRequest(`Invalid input for query parameters sort_key. Value: ${k}. '${k}' is not one of the valid sort keys`);
    if (ignored.includes(k)) return;
    if ((k === 'host' || k === 'node') && !ctx.is_admin) throw forbidden(`Only administrators can sort servers by ${k}`);
    const dir = dirs[i] ?? dirs[0] ?? 'desc';
    if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Unknown sort direction, must be 'asc' or 'desc'`);
    sortKeys.push(k);
    sortDirs.push(dir);
  });
  if (sortKeys.length) { out.options.sortKeys = sortKeys; out.options.sortDirs = sortDirs; } else if (dirs[0] === 'asc' || dirs[0] === 'desc') {
    out.options.sortDirs = [dirs[0] as 'asc' | 'desc'];
  }
  out.limit = queryLimit(req, maxLimit);
  out.options.limit = out.limit;
  out.options.marker = one('marker');
  return out;
}
