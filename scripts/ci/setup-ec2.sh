#!/usr/bin/env bash
# Installs the real EC2 clients the EC2 integration tests drive (Debian packages only), as root.
# Idempotent. The tests call /usr/bin/aws and /usr/bin/python3 by full path: PATH may hold pyenv
# copies with another aws and boto3 first.
#   awscli         aws ec2 ... (SigV4, form POSTs)
#   python3-boto3  boto3's ec2 client from /usr/bin/python3
#   openssl        the bundle test builds euca-bundle-image bundles with it (euca2ools is not in Debian 12)
# The security group and address tests also need nova-network's tools (scripts/ci/setup-network.sh).
set -euo pipefail
SETUP_TAG=setup-ec2
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_packages awscli python3-boto3 openssl
/usr/bin/aws --version >/dev/null 2>&1 || { log "awscli is installed but /usr/bin/aws does not run"; exit 1; }
/usr/bin/python3 -c 'import boto3' || { log "python3-boto3 is installed but /usr/bin/python3 cannot import boto3"; exit 1; }
log "ready"
