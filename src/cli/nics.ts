import { isIP } from 'node:net';
import { NetworkRequest } from '../client/compute/servers';
import { CommandError } from '../client/errors';

/** Just the version check of the compute client (so this parses without one in tests). */
interface Versioned { supports(min: string, max?: string): boolean }

/**
 * novaclient's --nic parsing: `auto` / `none` alone (2.37+), else one NIC per option with exactly
 * one of net-id / port-id, optional fixed IPs and a tag (2.32-2.36, 2.42+). Nothing given means
 * `auto` from 2.37 on. `net-name` needs the Networking service, which this client does not use.
 */
export function parseNics(items: string[], nova: Versioned): 'auto' | 'none' | NetworkRequest[] {
  const autoAlloc = nova.supports('2.37');
  const tags = nova.supports('2.32', '2.36') || nova.supports('2.42');
  const keys = new Set(['net-id', 'v4-fixed-ip', 'v6-fixed-ip', 'port-id', ...(tags ? ['tag'] : [])]);
  const form = `${autoAlloc ? 'auto,none,' : ''}net-id=net-uuid,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid${tags ? ',tag=tag' : ''}`;
  const invalid = (nic: string) => new CommandError(`Invalid nic argument '${nic}'. Nic arguments must be of the form --nic <${form}>, ` +
    `with only one of net-id or port-id specified.${autoAlloc ? ' Specifying a --nic of auto or none cannot be used with any other --nic value.' : ''}`);

  let special: 'auto' | 'none' | undefined;
  const nics: NetworkRequest[] = [];
  for (const nic of items) {
    if (nic === 'auto' || nic === 'none') {
      if (!autoAlloc) throw invalid(nic);
      if (special || nics.length) throw invalid(nic);
      special = nic;
      continue;
    }
    if (special) throw invalid(nic);
    const info: Record<string, string> = {};
    for (const kv of nic.split(',')) {
      if (kv === 'auto' || kv === 'none') throw new CommandError("'auto' or 'none' cannot be used with any other nic arguments");
      const i = kv.indexOf('=');
      if (i < 0) throw invalid(nic);
      const k = kv.slice(0, i);
      const v = kv.slice(i + 1);
      if (k === 'net-name') throw new CommandError("net-name needs the Networking service to find the network: give net-id=<network UUID> instead.");
      if (!keys.has(k) || k in info) throw invalid(nic);
      info[k] = v;
    }
    if (info['v4-fixed-ip'] && isIP(info['v4-fixed-ip']) !== 4) throw new CommandError('Invalid ipv4 address.');
    if (info['v6-fixed-ip'] && isIP(info['v6-fixed-ip']) !== 6) throw new CommandError('Invalid ipv6 address.');
    if (!!info['net-id'] === !!info['port-id']) throw invalid(nic);
    if (info['v4-fixed-ip'] && info['v6-fixed-ip']) throw new CommandError("Only one of 'v4-fixed-ip' and 'v6-fixed-ip' may be provided.");
    const req: NetworkRequest = {};
    if (info['net-id']) req.uuid = info['net-id'];
    if (info['v4-fixed-ip'] || info['v6-fixed-ip']) req.fixed_ip = info['v4-fixed-ip'] || info['v6-fixed-ip'];
    if (info['port-id']) req.port = info['port-id'];
    if (info.tag) req.tag = info.tag;
    nics.push(req);
  }
  if (special) return special;
  if (nics.length || !autoAlloc) return nics;
  return 'auto';
}
