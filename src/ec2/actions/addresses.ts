import { instanceEc2Id } from '../../db/api/ec2_ids';
import { FloatingIpNotFound } from '../../network/errors';
import { FloatingIpDetail } from '../../network/floating';
import { isIPv4 } from '../../network/ipv4';
import { Ec2Error } from '../errors';
import { filtersParam, listParam, matchesFilter, required } from '../request';
import { XmlValue } from '../xml';
import { Ec2Action, Ec2Env } from './env';
import { instanceByEc2Id } from './instances';

/**
 * EC2 addresses (domain `standard`) are nova-network's floating IPs, through the same FloatingOps the
 * Compute API's os-floating-ips and addFloatingIp/removeFloatingIp use: allocated from
 * [DEFAULT] default_floating_pool within the floating_ips quota.
 */

const DOMAIN = 'standard';

/** The caller's floating IP at this address (InvalidAddress.NotFound for others' and unknown ones). */
async function ownAddress(env: Ec2Env, ctx: Parameters<Ec2Action>[1], publicIp: string): Promise<FloatingIpDetail> {
  if (!isIPv4(publicIp)) throw new Ec2Error('InvalidParameterValue', `Invalid value '${publicIp}' for PublicIp: not an IPv4 address.`);
  const notFound = new Ec2Error('InvalidAddress.NotFound', `Address '${publicIp}' not found (DescribeAddresses lists the project's).`);
  const f = await env.network().floating.getByAddress(ctx, publicIp).catch((e) => {
    if (e instanceof FloatingIpNotFound) return null;
    throw e;
  });
  if (!f || f.project_id !== ctx.project_id) throw notFound;
  return f;
}

async function addressItem(env: Ec2Env, ctx: Parameters<Ec2Action>[1], f: FloatingIpDetail): Promise<Record<string, XmlValue>> {
  let instanceId: string | null = null;
  if (f.instance_uuid) {
    const inst = await env.compute.get(ctx, f.instance_uuid, { readDeleted: 'yes' }).catch(() => null);
    instanceId = inst ? instanceEc2Id(inst) : null;
  }
  return { publicIp: f.address, domain: DOMAIN, instanceId, privateIpAddress: f.fixed_address };
}

/** AllocateAddress: one address from the default pool. */
export const allocateAddress: Ec2Action = async (env, ctx, p) => {
  if (p.Domain && p.Domain !== DOMAIN) throw new Ec2Error('InvalidParameterValue', `Domain '${p.Domain}' is not offered: nova-network addresses are domain 'standard' (no VPC).`);
  const floating = env.network().floating;
  const f = await floating.allocate(ctx, ctx.project_id!, null);
  return { publicIp: f.address, domain: DOMAIN };
};

/** ReleaseAddress: gives the address back to its pool (disassociating it first, as the Compute API does). */
export const releaseAddress: Ec2Action = async (env, ctx, p) => {
  const f = await ownAddress(env, ctx, required(p, 'PublicIp'));
  await env.network().floating.release(ctx, f);
  if (f.instance_uuid) await env.network().refreshInfoCache(f.instance_uuid);
  return { return: true };
};

/** AssociateAddress: InstanceId and PublicIp; the address goes to the instance's first fixed IPv4 address. */
export const associateAddress: Ec2Action = async (env, ctx, p) => {
  const publicIp = required(p, 'PublicIp');
  const inst = await instanceByEc2Id(env, ctx, required(p, 'InstanceId'));
  await ownAddress(env, ctx, publicIp);
  const fixed = (await env.network().fixedIpsOfInstance(inst.uuid)).map((f) => f.address).find(isIPv4);
  if (!fixed) throw new Ec2Error('IncorrectInstanceState', `Instance ${p.InstanceId} has no fixed IPv4 address to associate ${publicIp} with (is it on a network yet?).`);
  await env.network().floating.associate(ctx, publicIp, fixed);
  await env.network().refreshInfoCache(inst.uuid);
  return { return: true };
};

/** DisassociateAddress: PublicIp. */
export const disassociateAddress: Ec2Action = async (env, ctx, p) => {
  const f = await ownAddress(env, ctx, required(p, 'PublicIp'));
  await env.network().floating.disassociate(ctx, f.address);
  if (f.instance_uuid) await env.network().refreshInfoCache(f.instance_uuid);
  return { return: true };
};

const ADDRESS_FILTERS = ['public-ip', 'instance-id', 'domain', 'private-ip-address'];

/** DescribeAddresses: the project's addresses; PublicIp.N (each must be the project's), filters public-ip, instance-id, domain. */
export const describeAddresses: Ec2Action = async (env, ctx, p) => {
  const filters = filtersParam(p);
  for (const f of filters) {
    if (!ADDRESS_FILTERS.includes(f.name)) throw new Ec2Error('InvalidParameterValue', `The filter '${f.name}' is invalid (known: ${ADDRESS_FILTERS.join(', ')})`);
  }
  const wanted = listParam(p, 'PublicIp');
  const all = wanted.length ? await Promise.all(wanted.map((ip) => ownAddress(env, ctx, ip)))
    : await env.network().floating.listForProject(ctx.project_id!);
  const items = [];
  for (const f of all.sort((a, b) => a.id - b.id)) {
    const item = await addressItem(env, ctx, f);
    if (matchesFilter(filters, 'public-ip', f.address) && matchesFilter(filters, 'domain', DOMAIN)
      && matchesFilter(filters, 'instance-id', item.instanceId as string | null) && matchesFilter(filters, 'private-ip-address', f.fixed_address)) items.push(item);
  }
  return { addressesSet: items };
};
