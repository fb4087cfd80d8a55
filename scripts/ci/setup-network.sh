#!/usr/bin/env bash
# Installs what nova-network and its namespace tests need on a Debian 12 host, as root. Idempotent.
#   iproute2        ip link/addr/route/netns (bridges, VLANs, veths, namespaces)
#   iptables        iptables-save / iptables-restore (our chains, applied atomically)
#   dnsmasq-base    the DHCP server of FlatDHCPManager and VlanManager (no system service)
#   dnsmasq-utils   dhcp_release, used when [DEFAULT] force_dhcp_release is set
#   busybox-static  udhcpc and nc inside the test "guest" namespaces
set -euo pipefail
log() { printf '[setup-network] %s\n' "$*"; }

PKGS="iproute2 iptables dnsmasq-base dnsmasq-utils busybox-static"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  log "installing:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Bridged traffic must cross iptables so security groups also filter guests on one bridge.
modprobe br_netfilter 2>/dev/null || log "br_netfilter not loadable here (built in, or no module support): continuing"
for tool in ip iptables-save iptables-restore dnsmasq dhcp_release busybox; do
  command -v "$tool" >/dev/null || { log "missing $tool after install"; exit 1; }
done
log "ready"
