#!/usr/bin/env bash
# Installs the real metadata clients the metadata integration tests drive (Debian packages only), as
# root. Idempotent. cloud-init is installed for its datasource classes only: the tests import them
# from /usr/bin/python3 and never run `cloud-init init` on this host.
#   cloud-init         DataSourceOpenStack / DataSourceEc2 (python3 module cloudinit)
#   python3-botocore   botocore's InstanceMetadataFetcher (AWS_EC2_METADATA_SERVICE_ENDPOINT)
#   cloud-guest-utils  ec2metadata (talks to 169.254.169.254 only: run in a network namespace)
#   iproute2           `ip netns` for those namespaces
set -euo pipefail
SETUP_TAG=setup-metadata
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_packages cloud-init python3-botocore cloud-guest-utils iproute2
/usr/bin/python3 -c 'import cloudinit.sources.DataSourceOpenStack, cloudinit.sources.DataSourceEc2, botocore.utils' \
  || { log "cloud-init or botocore is installed but cannot be imported by /usr/bin/python3"; exit 1; }
log "ready"
