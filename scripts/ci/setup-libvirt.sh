#!/usr/bin/env bash
# Makes this Debian 12 host a libvirt/QEMU compute host for the integration tests, as root. Idempotent.
# Installs Debian packages only, starts virtlogd and libvirtd (there is no systemd here) and builds the
# small bootable test image (scripts/libvirt/build-test-image.sh) into var/test-image/.
set -euo pipefail
SETUP_TAG=setup-libvirt
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

need_packages libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils busybox-static cpio openssh-server openssh-client e2fsprogs util-linux libxml2-utils

# /dev/kvm as udev would leave it on Debian (root:kvm 0660). Without it libvirt's check that KVM is
# usable (as the libvirt-qemu user) disagrees with its QEMU probe, so it probes QEMU again on every
# call and each virsh command takes 5-30 s. Guests still use virt_type=qemu when the CPU lacks VT-x.
if [ -e /dev/kvm ] && [ "$(stat -c %G:%a /dev/kvm)" != "kvm:660" ]; then
  log "making /dev/kvm root:kvm 0660"; chgrp kvm /dev/kvm; chmod 660 /dev/kvm
fi

# Daemons: virtlogd first (domains log their serial console through it), then libvirtd. Checked by
# their pid files, not by name: the live migration test runs a second pair in a mount namespace of its
# own (test/helpers/second_libvirtd.ts; unshare and nsenter come with util-linux).
running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if ! running /run/virtlogd.pid; then log "starting virtlogd"; virtlogd -d; fi
if ! running /run/libvirtd.pid; then log "starting libvirtd"; libvirtd -d; fi
for _ in $(seq 1 30); do virsh -c qemu:///system version >/dev/null 2>&1 && break; sleep 0.5; done
virsh -c qemu:///system version >/dev/null || { log "libvirtd does not answer on qemu:///system"; exit 1; }

# sshd is started by the SSH tests themselves (their own config, port and keys); it needs this dir.
mkdir -p /run/sshd
# The "remote host" of the SSH tests is this user's qemu:///session: a libvirtd of its own (started
# on demand), so its domains do not share names with qemu:///system as a second host's would not.
# (For root, qemu:///session is served by the system daemon.)
if ! id nova-test >/dev/null 2>&1; then
  log "creating user nova-test"; useradd --system --create-home --home-dir /var/lib/nova-test --shell /bin/sh nova-test
fi
# No password, but not locked: sshd (without PAM) refuses key logins to locked accounts.
[ "$(getent shadow nova-test | cut -d: -f2)" = "*" ] || usermod -p '*' nova-test

"$repo/scripts/libvirt/build-test-image.sh" "${NOVA_TEST_IMAGE_DIR:-$repo/var/test-image}"
log "ready"
