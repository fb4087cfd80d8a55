import { NetworkInfo } from '../drivers/driver';

/**
 * Reading addresses out of an instance's network_info. The declared model carries plain strings for
 * gateways, DNS servers and floating IPs; Nova's own model nests them as `{address: ...}`. Both are
 * read, so network_info written by either shape works.
 */

export type AddressLike = string | { address?: string | null } | null | undefined;

export function addressOf(a: AddressLike): string | null {
  if (!a) return null;
  return typeof a === 'string' ? a : a.address ?? null;
}

export function ipVersion(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

/** Every fixed address of the instance, in network_info order. */
export function fixedIps(nw: NetworkInfo | null | undefined): string[] {
  const out: string[] = [];
  for (const vif of nw ?? []) {
    for (const subnet of vif.network?.subnets ?? []) {
      for (const ip of subnet.ips ?? []) {
        if ((ip.type ?? 'fixed') === 'fixed' && ip.address) out.push(ip.address);
      }
    }
  }
  return out;
}

/** Every floating address, in network_info order. */
export function floatingIps(nw: NetworkInfo | null | undefined): string[] {
  const out: string[] = [];
  for (const vif of nw ?? []) {
    for (const subnet of vif.network?.subnets ?? []) {
      for (const ip of subnet.ips ?? []) {
        for (const f of (ip.floating_ips ?? []) as AddressLike[]) {
          const a = addressOf(f);
          if (a) out.push(a);
        }
        if (ip.type === 'floating' && ip.address) out.push(ip.address);
      }
    }
  }
  return out;
}

/** Nova's netutils.get_ec2_ip_info: fixed IPv4, fixed IPv6 and floating addresses. */
export function ec2IpInfo(nw: NetworkInfo | null | undefined): { fixed_ips: string[]; fixed_ip6s: string[]; floating_ips: string[] } {
  const fixed = fixedIps(nw);
  return { fixed_ips: fixed.filter((a) => ipVersion(a) === 4), fixed_ip6s: fixed.filter((a) => ipVersion(a) === 6), floating_ips: floatingIps(nw) };
}
