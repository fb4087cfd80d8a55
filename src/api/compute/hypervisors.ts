import { HypervisorView } from '../../compute/host_api';
import { registerPolicies } from '../policy';
import { APIVersion } from '../microversion';
import { ApiRouter } from '../router';
import { q1 } from '../format';
import { notFound } from '../faults';
import { toBool } from '../validation';
import { ControllerDeps } from './deps';

registerPolicies([
  { name: 'os_compute_api:os-hypervisors:list', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-hypervisors:list-detail', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-hypervisors:show', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-hypervisors:statistics', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-hypervisors:uptime', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-hypervisors:search', check: 'rule:context_is_admin' },
  { name: 'os_compute_api:os-hypervisors:servers', check: 'rule:context_is_admin' },
]);

/** Usage as Nova shows it: memory and disk used include what is reserved for the host. */
function usage(n: HypervisorView['node']) {
  const memory_mb_used = n.memory_mb_used + n.reserved_host_memory_mb;
  const local_gb_used = n.local_gb_used + Math.ceil(n.reserved_host_disk_mb / 1024);
  return { memory_mb_used, local_gb_used, free_ram_mb: n.memory_mb - memory_mb_used, free_disk_gb: n.local_gb - local_gb_used };
}

function summary(h: HypervisorView, v: APIVersion) {
  return {
    id: v.gte('2.53') ? h.node.uuid : h.node.id,
    hypervisor_hostname: h.node.hypervisor_hostname,
    state: h.service?.up ? 'up' : 'down',
    status: h.service?.disabled ? 'disabled' : 'enabled',
  };
}

function detail(h: HypervisorView, v: APIVersion) {
  const n = h.node;
  const out: Record<string, unknown> = {
    ...summary(h, v), host_ip: n.host_ip, hypervisor_type: n.hypervisor_type, hypervisor_version: n.hypervisor_version,
    service: { host: n.host, id: v.gte('2.53') ? h.service?.uuid : h.service?.id, disabled_reason: h.service?.disabled_reason ?? null },
  };
  if (v.lt('2.88')) {
    const u = usage(n);
    Object.assign(out, {
      vcpus: n.vcpus, vcpus_used: n.vcpus_used, memory_mb: n.memory_mb, memory_mb_used: u.memory_mb_used, local_gb: n.local_gb,
      local_gb_used: u.local_gb_used, free_ram_mb: u.free_ram_mb, free_disk_gb: u.free_disk_gb, current_workload: n.current_workload,
      running_vms: n.running_vms, disk_available_least: n.disk_available_least,
      cpu_info: v.gte('2.28') ? n.cpu_info : JSON.stringify(n.cpu_info),
    });
  }
  return out;
}

/** /os-hypervisors: list, detail, show, statistics (before 2.88), uptime, search, servers. */
export function register(r: ApiRouter, d: ControllerDeps): void {
  const hosts = d.compute.hosts;

  const filtered = async (req: Parameters<Parameters<ApiRouter['get']>[1]['handler']>[0]) => {
    let list = await hosts.hypervisorList(req.ctx);
    const pattern = q1(req.query.hypervisor_hostname_pattern);
    if (pattern && req.version.gte('2.53')) {
      list = list.filter((h) => h.node.hypervisor_hostname.includes(pattern));
      if (list.length === 0) throw notFound(`No hypervisor matching '${pattern}' could be found.`);
    }
    return list;
  };
  const withServers = async (req: Parameters<Parameters<ApiRouter['get']>[1]['handler']>[0], h: HypervisorView, out: Record<string, unknown>) => {
    if (req.version.gte('2.53') && toBool(q1(req.query.with_servers) ?? 'false')) {
      out.servers = (await hosts.instancesOnHost(req.ctx, h.node.host)).map((i) => ({ name: i.display_name, uuid: i.uuid }));
    }
    return out;
  };

  r.get('/os-hypervisors', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-hypervisors:list');
      const list = await filtered(req);
      return { hypervisors: await Promise.all(list.map((h) => withServers(req, h, summary(h, req.version)))) };
    },
  });
  r.get('/os-hypervisors/detail', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-hypervisors:list-detail');
      const list = await filtered(req);
      return { hypervisors: await Promise.all(list.map((h) => withServers(req, h, detail(h, req.version)))) };
    },
  });
  r.get('/os-hypervisors/statistics', {
    max: '2.87',
    handler: async (req) => {
      req.authorize('os_compute_api:os-hypervisors:statistics');
      const list = await hosts.hypervisorList(req.ctx);
      const s = { count: list.length, vcpus: 0, vcpus_used: 0, memory_mb: 0, memory_mb_used: 0, free_ram_mb: 0, local_gb: 0, local_gb_used: 0, free_disk_gb: 0, current_workload: 0, running_vms: 0, disk_available_least: 0 };
      for (const { node: n } of list) {
        const u = usage(n);
        s.vcpus += n.vcpus; s.vcpus_used += n.vcpus_used; s.memory_mb += n.memory_mb; s.memory_mb_used += u.memory_mb_used;
        s.free_ram_mb += u.free_ram_mb; s.local_gb += n.local_gb; s.local_gb_used += u.local_gb_used; s.free_disk_gb += u.free_disk_gb;
        s.current_workload += n.current_workload; s.running_vms += n.running_vms; s.disk_available_least += n.disk_available_least ?? 0;
      }
      return { hypervisor_statistics: s };
    },
  });
  r.get('/os-hypervisors/:id/search', {
    max: '2.52',
    handler: async (req) => {
      req.authorize('os_compute_api:os-hypervisors:search');
      const list = (await hosts.hypervisorList(req.ctx)).filter((h) => h.node.hypervisor_hostname.includes(req.params.id));
      if (list.length === 0) throw notFound(`No hypervisor matching '${req.params.id}' could be found.`);
      return { hypervisors: list.map((h) => summary(h, req.version)) };
    },
  });
  r.get('/os-hypervisors/:id/servers', {
    max: '2.52',
    handler: async (req) => {
      req.authorize('os_compute_api:os-hypervisors:servers');
      const list = (await hosts.hypervisorList(req.ctx)).filter((h) => h.node.hypervisor_hostname.includes(req.params.id));
      if (list.length === 0) throw notFound(`No hypervisor matching '${req.params.id}' could be found.`);
      return {
        hypervisors: await Promise.all(list.map(async (h) => ({
          ...summary(h, req.version),
          servers: (await hosts.instancesOnHost(req.ctx, h.node.host)).map((i) => ({ name: i.display_name, uuid: i.uuid })),
        }))),
      };
    },
  });
  r.get('/os-hypervisors/:id/uptime', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-hypervisors:uptime');
      const h = await hosts.hypervisorGet(req.ctx, req.params.id);
      if (req.version.gte('2.88')) throw notFound('The resource could not be found.');
      return { hypervisor: { ...summary(h, req.version), uptime: await hosts.uptime(req.ctx, h.node.host) } };
    },
  });
  r.get('/os-hypervisors/:id', {
    handler: async (req) => {
      req.authorize('os_compute_api:os-hypervisors:show');
      const h = await hosts.hypervisorGet(req.ctx, req.params.id);
      const out = detail(h, req.version);
      if (req.version.gte('2.88')) {
        try { out.uptime = await hosts.uptime(req.ctx, h.node.host); } catch { out.uptime = null; }
      }
      return { hypervisor: await withServers(req, h, out) };
    },
  });
}
