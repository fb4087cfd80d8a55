import { isIP } from 'node:net';
import { Op } from 'sequelize';
import { defineError } from '../../exception';
import { Instance } from '../../objects/instance';
import { fixedIps } from '../../objects/network_info';
import { NetworkInfo } from '../../drivers/driver';
import { InstanceRow } from '../models/instance';

/**
 * What the metadata service asks about instance networking. Today the answers come from each
 * instance's network_info; a network service with its own tables (nova-network's fixed_ips,
 * security_groups) can answer here instead without the callers changing.
 */

export const FixedIpAssociatedWithMultipleInstances = defineError('FixedIpAssociatedWithMultipleInstances', 500,
  'Fixed IP address %(address)s is associated with multiple instances: %(instances)s.');

/** `::ffff:10.0.0.5` (an IPv4 client on a dual-stack socket) is 10.0.0.5; IPv6 is compared lower-case. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? mapped[1] : a;
}

/**
 * The uuid of the live instance that has `address` as a fixed IP, or null. Two live instances
 * claiming the same address is refused (FixedIpAssociatedWithMultipleInstances) rather than answered
 * for either of them.
 */
export async function instanceUuidByFixedIp(address: string): Promise<string | null> {
  const wanted = normalizeAddress(address);
  if (!isIP(wanted)) return null;
  // A coarse text match narrows the rows; the parsed network_info decides.
  const rows = await InstanceRow.findAll({
    where: { deleted: 0, network_info: { [Op.like]: `%"${wanted}"%` } },
    attributes: ['uuid', 'network_info'],
  });
  const owners = rows.filter((r) => fixedIps(r.network_info as NetworkInfo).some((ip) => normalizeAddress(ip) === wanted)).map((r) => r.uuid);
  if (owners.length > 1) throw new FixedIpAssociatedWithMultipleInstances({ address: wanted, instances: owners.join(', ') });
  return owners[0] ?? null;
}

/**
 * Names of the security groups of an instance: those asked for at boot (kept in system_metadata
 * `security_groups`, comma-separated), else Nova's `default`.
 */
export async function instanceSecurityGroupNames(inst: Pick<Instance, 'system_metadata'>): Promise<string[]> {
  const asked = (inst.system_metadata?.security_groups ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return asked.length ? asked : ['default'];
}
