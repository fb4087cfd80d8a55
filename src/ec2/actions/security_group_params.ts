import { Ec2Error } from '../errors';
import { Ec2Params, structListParam } from '../request';

/** A source group as a request names it (UserIdGroupPair). */
export interface SourceGroupRef { GroupId?: string; GroupName?: string; UserId?: string }

/** One IpPermission of a request: protocol, ports, CIDRs and source groups. */
export interface Ec2Permission { protocol: string | undefined; fromPort: string | undefined; toPort: string | undefined; cidrs: string[]; sources: SourceGroupRef[] }

/** One nova-network rule to make or find (the fields of an os-security-group-rules body). */
export interface IngressRule {
  ip_protocol: string | null;
  from_port: number | string | null;
  to_port: number | string | null;
  cidr: string | null;
  source?: SourceGroupRef;
  group_id?: number | null;
}

/**
 * `IpPermissions.N.{IpProtocol,FromPort,ToPort,IpRanges.M.CidrIp,Groups.M.{GroupId,GroupName,UserId}}`,
 * or the flat form older clients (and boto3's keyword form) send: IpProtocol, FromPort, ToPort, CidrIp,
 * SourceSecurityGroupName, SourceSecurityGroupOwnerId.
 */
export function permissionsParam(p: Ec2Params): Ec2Permission[] {
  const structured = structListParam(p, 'IpPermissions').map((perm) => ({
    protocol: perm.IpProtocol,
    fromPort: perm.FromPort,
    toPort: perm.ToPort,
    cidrs: structListParam(perm, 'IpRanges').map((r) => r.CidrIp).filter(Boolean),
    sources: structListParam(perm, 'Groups').map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName, UserId: g.UserId })),
  }));
  if (structured.length) return structured;
  if (p.IpProtocol === undefined && p.CidrIp === undefined && p.SourceSecurityGroupName === undefined) return [];
  return [{
    protocol: p.IpProtocol, fromPort: p.FromPort, toPort: p.ToPort, cidrs: p.CidrIp ? [p.CidrIp] : [],
    sources: p.SourceSecurityGroupName ? [{ GroupName: p.SourceSecurityGroupName, UserId: p.SourceSecurityGroupOwnerId }] : [],
  }];
}

const BY_NUMBER: Record<string, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp' };
/** What "all traffic" is for nova-network, which filters TCP, UDP and ICMP only (as Nova's EC2 API expanded it). */
const ALL_TRAFFIC = [['icmp', -1, -1], ['tcp', 1, 65535], ['udp', 1, 65535]] as const;

function protocolsOf(perm: Ec2Permission): Array<{ protocol: string; from: number | string | null; to: number | string | null }> {
  const proto = (perm.protocol ?? '-1').toLowerCase();
  if (proto === '-1' || proto === 'all') {
    const portsGiven = [perm.fromPort, perm.toPort].some((x) => x !== undefined && x !== '' && x !== '-1');
    if (portsGiven) throw new Ec2Error('InvalidParameterValue', 'Ports can only be given with a protocol (tcp, udp or icmp).');
    return ALL_TRAFFIC.map(([protocol, from, to]) => ({ protocol, from, to }));
  }
  const named = BY_NUMBER[proto] ?? proto;
  if (!['tcp', 'udp', 'icmp'].includes(named)) {
    throw new Ec2Error('InvalidParameterValue', `Invalid value '${perm.protocol}' for IP protocol: nova-network filters tcp, udp, icmp (or -1 for all three).`);
  }
  return [{ protocol: named, from: perm.fromPort ?? null, to: perm.toPort ?? null }];
}

/** Each CIDR and each source group of each permission, for each of its protocols, is one rule. */
export function ingressRules(perms: Ec2Permission[]): IngressRule[] {
  const out: IngressRule[] = [];
  for (const perm of perms) {
    for (const { protocol, from, to } of protocolsOf(perm)) {
      const base = { ip_protocol: protocol, from_port: from, to_port: to };
      // Neither CIDR nor group: everywhere, as the Compute API's rule create defaults.
      const cidrs = perm.cidrs.length || perm.sources.length ? perm.cidrs : ['0.0.0.0/0'];
      for (const cidr of cidrs) out.push({ ...base, cidr });
      for (const source of perm.sources) {
        if (!source.GroupId && !source.GroupName) throw new Ec2Error('MissingParameter', 'A source group needs GroupId or GroupName.');
        out.push({ ...base, cidr: null, source });
      }
    }
  }
  return out;
}
