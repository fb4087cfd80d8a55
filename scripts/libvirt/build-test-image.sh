#!/usr/bin/env bash
# Builds the small bootable test guest from Debian packages only (no other downloads):
#   vmlinuz     the Debian cloud kernel (apt-get download + dpkg -x), used as an AKI (kernel image)
#   initrd.gz   a busybox initramfs, used as an ARI (ramdisk image)
#   root.qcow2  an empty 64 MiB qcow2, the root disk image that names the two above in its
#               kernel_id / ramdisk_id properties (Nova's AKI/ARI/AMI style of direct kernel boot)
# The guest's /init mounts proc/sys/dev, prints `NOVA-TEST-GUEST-BOOTED <uuid>` on the serial console
# (the uuid is the SMBIOS system uuid, which libvirt sets to the instance uuid), and powers off when the
# ACPI power button is pressed (after printing NOVA-TEST-GUEST-ACPI-POWERDOWN), so graceful shutdown
# and soft reboot work. Usage: build-test-image.sh [OUTPUT_DIR] (default var/test-image). Idempotent.
set -euo pipefail
log() { printf '[build-test-image] %s\n' "$*"; }
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$(cd "$here/../.." && pwd)/var/test-image}"
# Bump when the init script or layout changes, so an old cached image is rebuilt.
version=7
if [ -f "$out/VERSION" ] && [ "$(cat "$out/VERSION")" = "$version" ] \
   && [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.gz" ] && [ -s "$out/root.qcow2" ]; then
  log "up to date in $out"; exit 0
fi
for tool in dpkg apt-get cpio gzip qemu-img; do
  command -v "$tool" >/dev/null || { log "missing $tool: run scripts/ci/setup-libvirt.sh (as root) first"; exit 1; }
done
[ -x /bin/busybox ] || { log "missing /bin/busybox: apt-get install busybox-static"; exit 1; }

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# The kernel: whatever linux-image-cloud-amd64 depends on today.
kpkg="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')"
[ -n "$kpkg" ] || { log "apt-cache does not know linux-image-cloud-amd64: run apt-get update"; exit 1; }
log "kernel package $kpkg"
(cd "$work" && apt-get download -q "$kpkg" 2>&1 | grep -v 'unsandboxed' || true)
deb="$(ls "$work"/*.deb)"
dpkg -x "$deb" "$work/kernel"
kver="$(ls "$work/kernel/lib/modules")"
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"

# The initramfs: static busybox, the modules for the ACPI power button and the virtio NIC (listed in
# load order: each after those it depends on), and /init.
root="$work/initramfs"
mkdir -p "$root"/{bin,dev,proc,sys,etc,lib/modules}
cp /bin/busybox "$root/bin/busybox"
nic_modules="drivers/virtio/virtio_ring.ko drivers/virtio/virtio.ko drivers/virtio/virtio_pci_legacy_dev.ko
  drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci.ko net/core/failover.ko drivers/net/net_failover.ko
  drivers/net/virtio_net.ko"
for m in drivers/input/evdev.ko drivers/acpi/button.ko $nic_modules; do
  cp "$work/kernel/lib/modules/$kver/kernel/$m" "$root/lib/modules/"
done
echo $nic_modules | tr ' ' '\n' | sed 's|.*/||' > "$root/etc/nic-modules"
cat > "$root/etc/udhcpc.script" <<'DHCP'
#!/bin/sh
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    echo "$ip" > /run/ip
    ;;
esac
exit 0
DHCP
chmod +x "$root/etc/udhcpc.script"
cat > "$root/etc/hello" <<'HELLO'
#!/bin/sh
echo "hello from $(cat /run/uuid)"
HELLO
chmod +x "$root/etc/hello"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
export PATH=/bin
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /lib/modules/evdev.ko 2>/dev/null
insmod /lib/modules/button.ko 2>/dev/null
uuid="$(tr 'A-F' 'a-f' < /sys/class/dmi/id/product_uuid 2>/dev/null)"
for arg in $(cat /proc/cmdline); do case "$arg" in nova.hostname=*) host="${arg#nova.hostname=}";; esac; done
# The power button watchers start before the marker: once the marker shows, ACPI shutdown works.
for ev in /sys/class/input/event*; do
  if grep -q 'Power Button' "$ev/device/name" 2>/dev/null; then
    ( head -c 1 "/dev/input/${ev##*/}" >/dev/null || exit 0; echo "NOVA-TEST-GUEST-ACPI-POWERDOWN"; sync; poweroff -f ) &
  fi
done
echo "NOVA-TEST-GUEST-BOOTED ${uuid:-unknown} ${host:-}"
mkdir -p /run && echo "${uuid:-unknown}" > /run/uuid
# Metadata reads retry: the first may race nova-network's DNAT rule. busybox 1.35's wget -T/-q segfault,
# so `timeout` bounds each try.
md() { for try in 1 2 3 4 5 6 7 8 9 10; do timeout 5 wget -O - "http://169.254.169.254$1" 2>/dev/null && return 0; sleep 1; done; return 1; }
network() {
  for m in $(cat /etc/nic-modules); do insmod "/lib/modules/$m" 2>/dev/null; done
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -e /sys/class/net/eth0 ] && break; usleep 100000; done
  [ -e /sys/class/net/eth0 ] || { echo "NOVA-TEST-GUEST-NO-NIC"; return 0; }
  ip link set lo up
  ip link set eth0 up
  udhcpc -i eth0 -n -q -t 20 -T 2 -s /etc/udhcpc.script >/dev/null 2>&1 || { echo "NOVA-TEST-GUEST-NO-DHCP"; return 0; }
  echo "NOVA-TEST-GUEST-IP $(cat /run/ip)"
  nc -ll -p 8080 -e /etc/hello &
  id="$(md /latest/meta-data/instance-id)"
  mduuid="$(md /openstack/latest/meta_data.json | sed -n 's/.*"uuid": *"\([^"]*\)".*/\1/p')"
  echo "NOVA-TEST-GUEST-METADATA instance-id=${id:-none} uuid=${mduuid:-none}"
  echo "NOVA-TEST-GUEST-USER-DATA-BEGIN"
  md /latest/user-data
  echo
  echo "NOVA-TEST-GUEST-USER-DATA-END"
}
network &
while true; do sleep 3600; done
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) > "$work/initrd.gz"

qemu-img create -q -f qcow2 "$work/root.qcow2" 64M

mv "$work/vmlinuz" "$work/initrd.gz" "$work/root.qcow2" "$out/"
echo "$kver" > "$out/KERNEL_VERSION"
echo "$version" > "$out/VERSION"
log "built in $out (kernel $kver)"
