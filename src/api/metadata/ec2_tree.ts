import { ec2IpInfo } from '../../objects/network_info';
import { InstanceMetadata } from './instance_data';
import { atLeast, EC2_VERSIONS } from './versions';

/**
 * The EC2-style tree (Nova's get_ec2_metadata): `/<version>/meta-data/...` and `/<version>/user-data`,
 * with the keys each version brought, and the text rendering EC2 clients expect.
 */

/** A node of the tree. A dict's `_name` replaces its `key/` line in the parent's listing. */
export type MdNode = string | number | Buffer | string[] | MdDict;
export interface MdDict { [key: string]: MdNode }

const DEFAULT_ROOT_DEVICE = '/dev/sda1';
/** Nova's block-device mapping for an instance whose root device is not recorded yet. */
const DEFAULT_MAPPINGS = { ami: 'sda1', ephemeral0: 'sda2', root: DEFAULT_ROOT_DEVICE, swap: 'sda3' };

function blockDeviceMapping(md: InstanceMetadata): MdDict {
  const root = md.instance.root_device_name;
  if (!root) return { ...DEFAULT_MAPPINGS };
  return { ami: root.replace(/^\/dev\//, ''), root };
}

/** The tree under `/<version>` (version already resolved from `latest`); `address` is the requester's. */
export function ec2Tree(md: InstanceMetadata, version: string, address: string | null): MdDict {
  const at = (v: string) => atLeast(v, version, EC2_VERSIONS);
  const inst = md.instance;
  const ip = ec2IpInfo(inst.network_info);
  const hostname = md.hostname;
  const meta: MdDict = {
    'ami-id': md.ec2Ids.amiId,
    'ami-launch-index': inst.launch_index,
    // Nova has served this placeholder since the EC2 API; clients only check that the key exists.
    'ami-manifest-path': 'FIXME',
    'instance-id': md.ec2Ids.instanceId,
    hostname,
    'local-ipv4': ip.fixed_ips[0] ?? address ?? '',
    'reservation-id': inst.reservation_id,
    'security-groups': md.securityGroups,
  };
  const key = md.keypair;
  if (key) meta['public-keys'] = { 0: { _name: `0=${key.name}`, 'openssh-key': key.data } };
  if (at('2007-01-19')) {
    meta['local-hostname'] = hostname;
    meta['public-hostname'] = hostname;
    meta['public-ipv4'] = ip.floating_ips[0] ?? '';
  }
  if (at('2007-08-29')) meta['instance-type'] = inst.flavor.cur.name;
  if (at('2007-12-15')) {
    meta['block-device-mapping'] = blockDeviceMapping(md);
    if (md.ec2Ids.kernelId) meta['kernel-id'] = md.ec2Ids.kernelId;
    if (md.ec2Ids.ramdiskId) meta['ramdisk-id'] = md.ec2Ids.ramdiskId;
  }
  if (at('2008-02-01')) meta.placement = { 'availability-zone': md.availabilityZone };
  if (at('2008-09-01')) meta['instance-action'] = 'none';
  const tree: MdDict = { 'meta-data': meta };
  if (md.userData) tree['user-data'] = md.userData;
  return tree;
}

function isDict(n: MdNode): n is MdDict {
  return typeof n === 'object' && !Array.isArray(n) && !Buffer.isBuffer(n);
}

/** The node at `tokens` below `node`, or undefined. Lists and values are leaves. */
export function findPath(node: MdNode, tokens: string[]): MdNode | undefined {
  let cur: MdNode = node;
  for (const t of tokens) {
    if (!isDict(cur) || t === '_name' || !Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
    cur = cur[t];
  }
  return cur;
}

/**
 * Nova's ec2_md_print: a dict lists its keys sorted (`key/` for a sub-dict, or the sub-dict's
 * `_name`), a list is one item per line, a value is itself.
 */
export function ec2Print(node: MdNode): string | Buffer {
  if (Buffer.isBuffer(node)) return node;
  if (Array.isArray(node)) return node.join('\n');
  if (!isDict(node)) return String(node);
  return Object.keys(node).filter((k) => k !== '_name').sort().map((k) => {
    const child = node[k];
    if (!isDict(child)) return k;
    return typeof child._name === 'string' ? child._name : `${k}/`;
  }).join('\n');
}
