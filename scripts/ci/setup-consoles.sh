#!/usr/bin/env bash
# Installs what the console proxies and their tests need (Debian packages only), as root. Idempotent.
#   spice-html5      the SPICE web client nova-spicehtml5proxy serves (/usr/share/spice-html5)
#   chromium         the headless browser the console integration tests drive (playwright-core)
#   qemu-system-x86  QEMU's own VNC and SPICE servers, the targets of the proxy tests
#   qemu-utils       QEMU's disk tools
# The noVNC client comes from the npm package @novnc/novnc, so no novnc Debian package is needed.
set -euo pipefail
SETUP_TAG=setup-consoles
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_packages spice-html5 chromium qemu-system-x86 qemu-utils
# Fail here, naming the package, rather than later in a test.
[ -f /usr/share/spice-html5/spice_auto.html ] || { log "spice-html5 is installed but /usr/share/spice-html5/spice_auto.html is missing"; exit 1; }
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium is missing (package chromium)"; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { log "qemu-system-x86_64 is missing (package qemu-system-x86)"; exit 1; }
log "ready"
