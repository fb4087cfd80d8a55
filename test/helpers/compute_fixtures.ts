/**
 * Bodies shaped as the Compute API reference shows them (microversion 2.96 unless said), for
 * client tests against FakeComputeApi.
 */

export const IMAGE_ID = '70a599e0-31e7-49b7-b260-868f441e862b';
export const FLAVOR_ID = '1';

export function serverBody(o: { id: string; name: string; status?: string; task_state?: string | null; power_state?: number; progress?: number; tenant_id?: string; addresses?: Record<string, Array<{ addr: string; version: 4 | 6 }>>; v247?: boolean; fault?: { code: number; message: string } }): Record<string, unknown> {
  const status = o.status ?? 'ACTIVE';
  const body: Record<string, unknown> = {
    id: o.id, name: o.name, status, tenant_id: o.tenant_id ?? 'proj', user_id: 'admin', metadata: { role: 'web' },
    hostId: 'f3c2b5e8a7d94b2c8f1e6a0d3b9c7e4f5a6b8c9d0e1f2a3b4c5d6e7f',
    image: { id: IMAGE_ID, links: [{ rel: 'bookmark', href: `http://x/images/${IMAGE_ID}` }] },
    flavor: o.v247 === false
      ? { id: FLAVOR_ID, links: [{ rel: 'bookmark', href: `http://x/flavors/${FLAVOR_ID}` }] }
      : { vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: { 'hw:cpu_policy': 'shared' } },
    created: '2026-11-24T10:00:00Z', updated: '2026-11-24T10:01:00Z',
    addresses: Object.fromEntries(Object.entries(o.addresses ?? {}).map(([net, list]) => [net, list.map((a) => ({ ...a, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' }))])),
    accessIPv4: '', accessIPv6: '',
    links: [{ rel: 'self', href: `http://x/v2.1/servers/${o.id}` }, { rel: 'bookmark', href: `http://x/servers/${o.id}` }],
    'OS-DCF:diskConfig': 'MANUAL', 'OS-EXT-AZ:availability_zone': 'nova', config_drive: '', key_name: 'mykey',
    'OS-SRV-USG:launched_at': '2026-11-24T10:00:30.000000', 'OS-SRV-USG:terminated_at': null,
    'OS-EXT-STS:task_state': o.task_state ?? null, 'OS-EXT-STS:vm_state': status === 'BUILD' ? 'building' : status.toLowerCase(),
    'OS-EXT-STS:power_state': o.power_state ?? (status === 'ACTIVE' ? 1 : 0),
    'os-extended-volumes:volumes_attached': [], security_groups: [{ name: 'default' }, { name: 'default' }],
    'OS-EXT-SRV-ATTR:host': 'compute1', 'OS-EXT-SRV-ATTR:instance_name': 'instance-00000001', 'OS-EXT-SRV-ATTR:hypervisor_hostname': 'compute1',
    'OS-EXT-SRV-ATTR:user_data': 'IyEvYmluL3NoCg==',
    locked: false, description: null, tags: [], locked_reason: null, pinned_availability_zone: null,
  };
  if (['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING'].includes(status)) body.progress = o.progress ?? 0;
  if (o.fault) body.fault = { ...o.fault, created: '2026-11-24T10:02:00Z' };
  return body;
}

export function flavorBody(o: { id: string; name: string; ram?: number; disk?: number; vcpus?: number; isPublic?: boolean; description?: string | null; extraSpecs?: Record<string, string> }): Record<string, unknown> {
  return {
    id: o.id, name: o.name, ram: o.ram ?? 512, disk: o.disk ?? 1, vcpus: o.vcpus ?? 1, swap: 0, 'OS-FLV-EXT-DATA:ephemeral': 0,
    'OS-FLV-DISABLED:disabled': false, 'os-flavor-access:is_public': o.isPublic ?? true, rxtx_factor: 1.0,
    description: o.description ?? null, extra_specs: o.extraSpecs ?? {},
    links: [{ rel: 'self', href: `http://x/v2.1/flavors/${o.id}` }, { rel: 'bookmark', href: `http://x/flavors/${o.id}` }],
  };
}

export function proxyImageBody(o: { id: string; name: string; status?: string; serverId?: string; metadata?: Record<string, string> }): Record<string, unknown> {
  return {
    id: o.id, name: o.name, status: o.status ?? 'ACTIVE', progress: o.status === 'SAVING' ? 50 : 100, minDisk: 0, minRam: 0,
    created: '2026-11-24T09:00:00Z', updated: '2026-11-24T09:00:05Z', metadata: o.metadata ?? {}, 'OS-EXT-IMG-SIZE:size': 12716032,
    ...(o.serverId ? { server: { id: o.serverId, links: [] } } : {}),
    links: [{ rel: 'self', href: `http://x/v2.1/images/${o.id}` }],
  };
}
