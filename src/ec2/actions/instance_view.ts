import { TaskState, VmState } from '../../compute/vm_states';
import { glanceIdToEc2Id, imagePrefix, instanceEc2Id, securityGroupEc2Id } from '../../db/api/ec2_ids';
import { instanceSecurityGroupIds, securityGroupsGet } from '../../db/api/security_groups';
import { Instance } from '../../objects/instance';
import { XmlValue } from '../xml';

/** EC2's instance state codes (the low byte AWS documents). */
export const STATE_CODES = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 } as const;
export type Ec2StateName = keyof typeof STATE_CODES;

/**
 * The EC2 state of an instance, from Nova's vm_state and task_state: a task in flight wins (deleting
 * is shutting-down, powering-off stopping, powering-on pending); paused, suspended and shelved guests
 * are not running, so they show as stopped; an instance in ERROR shows as `error` with the pending code,
 * as Nova's EC2 API did.
 */
export function ec2State(inst: Pick<Instance, 'vm_state' | 'task_state' | 'deleted'>): { code: number; name: string } {
  const name = ec2StateName(inst);
  return { code: name in STATE_CODES ? STATE_CODES[name as Ec2StateName] : 0, name };
}

function ec2StateName(inst: Pick<Instance, 'vm_state' | 'task_state' | 'deleted'>): string {
  if (inst.deleted || inst.vm_state === VmState.DELETED || inst.vm_state === VmState.SOFT_DELETED) return 'terminated';
  if (inst.task_state === TaskState.DELETING) return 'shutting-down';
  if (inst.task_state === TaskState.POWERING_OFF) return 'stopping';
  if (inst.task_state === TaskState.POWERING_ON) return 'pending';
  switch (inst.vm_state) {
    case VmState.BUILDING: return 'pending';
    case VmState.ERROR: return 'error';
    case VmState.STOPPED: case VmState.PAUSED: case VmState.SUSPENDED: case VmState.SHELVED: case VmState.SHELVED_OFFLOADED: return 'stopped';
    default: return 'running';
  }
}

function addresses(inst: Instance): { fixed: string[]; floating: string[] } {
  const fixed: string[] = [];
  const floating: string[] = [];
  for (const vif of inst.network_info) {
    for (const sn of vif.network.subnets) {
      for (const ip of sn.ips) {
        fixed.push(ip.address);
        floating.push(...(ip.floating_ips ?? []));
      }
    }
  }
  return { fixed, floating };
}

/** The instance's security groups as EC2's groupSet (nova-network's membership table). */
async function groupSet(inst: Instance): Promise<XmlValue[]> {
  const groups = await securityGroupsGet(await instanceSecurityGroupIds(inst.uuid));
  return groups.sort((a, b) => a.id - b.id).map((g) => ({ groupId: securityGroupEc2Id(g), groupName: g.name }));
}

/** One `instancesSet` item. Tags are the server's metadata (see tags.ts). */
export async function instanceItem(inst: Instance): Promise<Record<string, XmlValue>> {
  const { fixed, floating } = addresses(inst);
  const groups = await groupSet(inst);
  const imageId = inst.image_ref ? await glanceIdToEc2Id(inst.image_ref, 'ami') : null;
  return {
    instanceId: instanceEc2Id(inst),
    imageId,
    instanceState: ec2State(inst),
    privateDnsName: inst.hostname ?? '',
    dnsName: floating[0] ?? fixed[0] ?? '',
    keyName: inst.key_name,
    amiLaunchIndex: inst.launch_index,
    instanceType: inst.flavor.cur?.name ?? null,
    launchTime: inst.launched_at ?? inst.created_at,
    placement: { availabilityZone: inst.availability_zone ?? '' },
    kernelId: inst.kernel_id ? await glanceIdToEc2Id(inst.kernel_id, imagePrefix('kernel')) : null,
    ramdiskId: inst.ramdisk_id ? await glanceIdToEc2Id(inst.ramdisk_id, imagePrefix('ramdisk')) : null,
    privateIpAddress: fixed[0] ?? null,
    ipAddress: floating[0] ?? null,
    rootDeviceName: inst.root_device_name,
    rootDeviceType: 'instance-store',
    monitoring: { state: 'disabled' },
    tagSet: Object.entries(inst.metadata).map(([key, value]) => ({ key, value })),
    groupSet: groups,
  };
}

/** Instances grouped by reservation, as EC2's `reservationSet`, in the order first seen. */
export async function reservationSet(instances: Instance[]): Promise<XmlValue[]> {
  const byReservation = new Map<string, Instance[]>();
  for (const i of instances) {
    if (!byReservation.has(i.reservation_id)) byReservation.set(i.reservation_id, []);
    byReservation.get(i.reservation_id)!.push(i);
  }
  const out: XmlValue[] = [];
  for (const [reservationId, group] of byReservation) {
    out.push(await reservationItem(reservationId, group));
  }
  return out;
}

export async function reservationItem(reservationId: string, group: Instance[]): Promise<Record<string, XmlValue>> {
  const items: Array<Record<string, XmlValue>> = [];
  for (const i of group.sort((a, b) => a.launch_index - b.launch_index)) items.push(await instanceItem(i));
  // The instances of one reservation were launched into the same groups.
  return { reservationId, ownerId: group[0].project_id, groupSet: items[0]?.groupSet ?? [], instancesSet: items };
}
