import { UniqueConstraintError } from 'sequelize';
import { defineError, ImageNotFound, Invalid, InstanceNotFound, NotFound } from '../../exception';
import { Ec2IdMappingRow } from '../models/ec2_id_mapping';
import { InstanceRow } from '../models/instance';

/**
 * EC2-style ids, as Nova's ec2utils made them: `<prefix>-%08x` of a stable integer. Instances use
 * their own integer id (`i-0000002a`); images, volumes and snapshots get an integer from the
 * ec2_id_mappings table the first time they are shown, and keep it.
 */

export const InvalidEc2Id = defineError('InvalidEc2Id', 400, 'Ec2 id %(ec2_id)s is unacceptable.', Invalid);
export const Ec2IdNotFound = defineError('Ec2IdNotFound', 404, 'No %(kind)s is known by the EC2 id %(ec2_id)s.', NotFound);

/** What an integer id stands for. Each kind counts in the same table, so ids are unique across kinds. */
export type Ec2Kind = 'image' | 'volume' | 'snapshot';
/** Machine, kernel and ramdisk images. */
export type Ec2ImagePrefix = 'ami' | 'aki' | 'ari';

export function ec2Id(prefix: string, id: number): string {
  return `${prefix}-${id.toString(16).padStart(8, '0')}`;
}

/** The integer inside an EC2 id (`ami-0000002a` is 42); InvalidEc2Id when it has none. */
export function ec2IdToInt(ec2id: string): number {
  const m = /^[a-z]+-([0-9a-fA-F]{1,16})$/.exec(ec2id);
  const n = m ? parseInt(m[1], 16) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidEc2Id({ ec2_id: ec2id });
  return n;
}

/** Nova's ec2utils.image_type: 'kernel' is aki, 'ramdisk' ari, aki/ari stay, anything else ami. */
export function imagePrefix(kindOrFormat: string | null | undefined): Ec2ImagePrefix {
  if (kindOrFormat === 'kernel' || kindOrFormat === 'aki') return 'aki';
  if (kindOrFormat === 'ramdisk' || kindOrFormat === 'ari') return 'ari';
  return 'ami';
}

export function instanceEc2Id(inst: { id: number }): string {
  return ec2Id('i', inst.id);
}

/** `sg-...` of a security group: its own integer id, as instances use theirs (so it is stable). */
export function securityGroupEc2Id(group: { id: number }): string {
  return ec2Id('sg', group.id);
}

/** The security group integer id inside `sg-...` (InvalidEc2Id when it is not one). */
export function securityGroupIdForEc2Id(ec2id: string): number {
  if (!ec2id.startsWith('sg-')) throw new InvalidEc2Id({ ec2_id: ec2id });
  return ec2IdToInt(ec2id);
}

/** The instance uuid behind `i-...` (InstanceNotFound when there is none, deleted ones included). */
export async function instanceUuidForEc2Id(ec2id: string): Promise<string> {
  const row = await InstanceRow.findOne({ where: { id: ec2IdToInt(ec2id) }, attributes: ['uuid'] });
  if (!row) throw new InstanceNotFound({ instance_id: ec2id });
  return row.uuid;
}

/** The stable integer for an OpenStack id of this kind, made on first use (safe when two ask at once). */
export async function ec2IntIdFor(kind: Ec2Kind, uuid: string): Promise<number> {
  const found = await Ec2IdMappingRow.findOne({ where: { kind, uuid } });
  if (found) return found.id;
  try {
    return (await Ec2IdMappingRow.create({ kind, uuid })).id;
  } catch (e) {
    if (!(e instanceof UniqueConstraintError)) throw e;
    const winner = await Ec2IdMappingRow.findOne({ where: { kind, uuid } });
    if (!winner) throw e;
    return winner.id;
  }
}

/** The OpenStack id behind an integer of this kind (Ec2IdNotFound when it was never handed out). */
export async function uuidForEc2IntId(kind: Ec2Kind, id: number, ec2id = String(id)): Promise<string> {
  const row = await Ec2IdMappingRow.findOne({ where: { kind, id } });
  if (!row) throw new Ec2IdNotFound({ kind, ec2_id: ec2id });
  return row.uuid;
}

/** Nova's glance_id_to_ec2_id: `ami-...` (or aki/ari) for an image uuid. */
export async function glanceIdToEc2Id(imageUuid: string, prefix: Ec2ImagePrefix = 'ami'): Promise<string> {
  return ec2Id(prefix, await ec2IntIdFor('image', imageUuid));
}

/** Nova's ec2_id_to_glance_id: the image uuid behind `ami-...`/`aki-...`/`ari-...` (ImageNotFound if unknown). */
export async function ec2IdToGlanceId(ec2id: string): Promise<string> {
  try {
    return await uuidForEc2IntId('image', ec2IdToInt(ec2id), ec2id);
  } catch (e) {
    if (e instanceof Ec2IdNotFound) throw new ImageNotFound({ image_id: ec2id });
    throw e;
  }
}
