import { ec2Print, ec2Tree, findPath } from './ec2_tree';
import { InstanceMetadata } from './instance_data';
import { Answer, openstackItem, TEXT } from './openstack_tree';
import { EC2_VERSIONS, InvalidMetadataPath, listedOpenstackVersions, resolveVersion } from './versions';

/**
 * From a request path to an answer (Nova's InstanceMetadata.lookup): paths are normalised (`..`,
 * doubled and trailing slashes), and anything not under /openstack is the EC2 tree.
 */

/** posixpath.normpath of the path: no `.`/`..` segments, no empty segments, no trailing slash. */
export function normalizePath(raw: string): string {
  const out: string[] = [];
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}

/** The text of `GET /`: every EC2 version, then `latest`. */
export function ec2VersionsText(): string {
  return [...EC2_VERSIONS, 'latest'].join('\n');
}

/** The answer for a normalised path other than `/`; InvalidMetadataPath when there is none. */
export async function lookup(md: InstanceMetadata, path: string, address: string | null, now: Date): Promise<Answer> {
  let tokens = path.split('/').slice(1);
  if (tokens[0] !== 'ec2' && tokens[0] !== 'openstack') tokens = ['ec2', ...tokens];
  const [tree, ...rest] = tokens;
  if (rest.length === 0) {
    const versions = tree === 'openstack' ? listedOpenstackVersions(now) : [...EC2_VERSIONS, 'latest'];
    return { kind: 'data', body: versions.join('\n'), contentType: TEXT };
  }
  if (tree === 'openstack') return openstackItem(md, rest, path);
  const version = resolveVersion(rest[0], EC2_VERSIONS, path);
  const node = findPath(ec2Tree(md, version, address), rest.slice(1));
  if (node === undefined) throw new InvalidMetadataPath(path);
  return { kind: 'data', body: ec2Print(node), contentType: TEXT };
}
