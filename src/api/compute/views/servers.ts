import { createHash } from 'node:crypto';
import { statusFromState } from '../../../compute/vm_states';
import { FaultObj } from '../../../db/api/actions';
import { Instance, instanceName } from '../../../objects/instance';
import { dbTime, isoZ } from '../../format';
import { APIVersion } from '../../microversion';

export interface ViewContext {
  baseUrl: string;
  version: APIVersion;
  /** Caller may see the OS-EXT-SRV-ATTR fields (admins by default). */
  showHostAttrs: boolean;
  isAdmin: boolean;
  instanceNameTemplate: string;
  /** Latest fault per instance, for ERROR servers. */
  faults: Map<string, FaultObj>;
  hostStatus?: Map<string, string>;
  /** 2.71: show, PUT and rebuild list the server groups of the server (not the list APIs). */
  serverGroups?: Map<string, string[]>;
}

const PROGRESS_STATUSES = new Set(['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);

function links(base: string, kind: string, id: string) {
  const bookmark = base.replace(/\/v2(\.1)?$/, '');
  return [{ rel: 'self', href: `${base}/${kind}/${id}` }, { rel: 'bookmark', href: `${bookmark}/${kind}/${id}` }];
}

/** Nova's hostId: an opaque per-project id of the host. */
export function hostId(projectId: string, host: string | null): string {
  return host ? createHash('sha224').update(projectId + host).digest('hex') : '';
}

function addresses(inst: Instance): Record<string, Array<Record<string, unknown>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const vif of inst.network_info ?? []) {
    const list = out[vif.network.label] ?? [];
    for (const subnet of vif.network.subnets ?? []) {
      for (const ip of subnet.ips ?? []) {
        const version = ip.address.includes(':') ? 6 : 4;
        list.push({ version, addr: ip.address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': vif.address });
        for (const f of ip.floating_ips ?? []) list.push({ version: 4, addr: f, 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': vif.address });
      }
    }
    out[vif.network.label] = list;
  }
  return out;
}

export function serverSummary(inst: Instance, v: ViewContext) {
  return { id: inst.uuid, name: inst.display_name, links: links(v.baseUrl, 'servers', inst.uuid) };
}

/** The full server body for this microversion, as Nova's ViewBuilder.show builds it. */
export function serverDetail(inst: Instance, v: ViewContext): Record<string, unknown> {
  const ver = v.version;
  const status = statusFromState(inst.vm_state, inst.task_state);
  const flavor = inst.flavor.cur;
  const out: Record<string, unknown> = {
    id: inst.uuid,
    name: inst.display_name,
    status,
    tenant_id: inst.project_id,
    user_id: inst.user_id,
    metadata: inst.metadata,
    hostId: hostId(inst.project_id, inst.host),
    image: inst.image_ref ? { id: inst.image_ref, links: [links(v.baseUrl, 'images', inst.image_ref)[1]] } : '',
    flavor: ver.gte('2.47')
      ? { vcpus: flavor.vcpus, ram: flavor.memory_mb, disk: flavor.root_gb, ephemeral: flavor.ephemeral_gb, swap: flavor.swap, original_name: flavor.name, extra_specs: flavor.extra_specs ?? {} }
      : { id: flavor.flavorid, links: [links(v.baseUrl, 'flavors', flavor.flavorid)[1]] },
    created: isoZ(inst.created_at),
    updated: isoZ(inst.updated_at),
    addresses: addresses(inst),
    accessIPv4: inst.access_ip_v4 ?? '',
    accessIPv6: inst.access_ip_v6 ?? '',
    links: links(v.baseUrl, 'servers', inst.uuid),
    'OS-DCF:diskConfig': inst.auto_disk_config ? 'AUTO' : 'MANUAL',
    'OS-EXT-AZ:availability_zone': inst.availability_zone ?? '',
    config_drive: inst.config_drive ?? '',
    key_name: inst.key_name,
    'OS-SRV-USG:launched_at': dbTime(inst.launched_at),
    'OS-SRV-USG:terminated_at': dbTime(inst.terminated_at),
    'OS-EXT-STS:task_state': inst.task_state,
    'OS-EXT-STS:vm_state': inst.vm_state,
    'OS-EXT-STS:power_state': inst.power_state,
    'os-extended-volumes:volumes_attached': [],
  };
  if (PROGRESS_STATUSES.has(status)) out.progress = inst.progress ?? 0;
  out.security_groups = (inst.system_metadata.security_groups ?? 'default').split(',').map((name) => ({ name }));
  if (v.showHostAttrs) {
    out['OS-EXT-SRV-ATTR:host'] = inst.host;
    out['OS-EXT-SRV-ATTR:hypervisor_hostname'] = inst.node;
    out['OS-EXT-SRV-ATTR:instance_name'] = instanceName(v.instanceNameTemplate, inst);
    if (ver.gte('2.3')) {
      Object.assign(out, {
        'OS-EXT-SRV-ATTR:reservation_id': inst.reservation_id,
        'OS-EXT-SRV-ATTR:launch_index': inst.launch_index,
        'OS-EXT-SRV-ATTR:hostname': inst.hostname,
        'OS-EXT-SRV-ATTR:kernel_id': inst.kernel_id ?? '',
        'OS-EXT-SRV-ATTR:ramdisk_id': inst.ramdisk_id ?? '',
        'OS-EXT-SRV-ATTR:root_device_name': inst.root_device_name,
        'OS-EXT-SRV-ATTR:user_data': inst.user_data,
      });
    }
  } else if (ver.gte('2.90')) {
    out['OS-EXT-SRV-ATTR:hostname'] = inst.hostname;
  }
  if (ver.gte('2.9')) out.locked = inst.locked;
  if (ver.gte('2.16') && v.hostStatus) out.host_status = v.hostStatus.get(inst.host ?? '') ?? '';
  if (ver.gte('2.19')) out.description = inst.display_description;
  if (ver.gte('2.26')) out.tags = inst.tags;
  if (ver.gte('2.71') && v.serverGroups) out.server_groups = v.serverGroups.get(inst.uuid) ?? [];
  if (ver.gte('2.73')) out.locked_reason = inst.locked ? inst.system_metadata.locked_reason ?? null : null;
  if (ver.gte('2.96')) out.pinned_availability_zone = inst.system_metadata.pinned_availability_zone ?? null;
  const fault = v.faults.get(inst.uuid);
  if (fault && (inst.vm_state === 'error' || inst.vm_state === 'deleted')) {
    const f: Record<string, unknown> = { code: fault.code, created: isoZ(fault.created), message: fault.message };
    // Nova shows details (the traceback) to admins, and to everyone only for non-500 faults.
    if (fault.details && (v.isAdmin || fault.code !== 500)) f.details = fault.details;
    out.fault = f;
  }
  return out;
}
