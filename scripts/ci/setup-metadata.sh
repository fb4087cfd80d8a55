#!/usr/bin/env bash
# Installs the real metadata clients the metadata integration tests drive (Debian packages only), as
# root. Idempotent. cloud-init is installed for its datasource classes only: the tests import them
# from /usr/bin/python3 and never run `cloud-init init` on this host.
#   cloud-init         DataSourceOpenStack / DataSourceEc2 (python3 module cloudinit)
#   python3-botocore   botocore's InstanceMetadataFetcher (AWS_EC2_METADATA_SERVICE_ENDPOINT)
#   cloud-guest-utils  ec2metadata (talks to 169.254.169.254 only: run in a network namespace)
#   iproute2           `ip netns` for those namespaces
set -euo pipefail
log() { printf '[setup-metadata] %s\n' "$*"; }

PKGS="cloud-init python3-botocore cloud-guest-utils iproute2"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  log "installing:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
/usr/bin/python3 -c 'import cloudinit.sources.DataSourceOpenStack, cloudinit.sources.DataSourceEc2, botocore.utils' \
  || { log "cloud-init or botocore is installed but cannot be imported by /usr/bin/python3"; exit 1; }
log "ready"
