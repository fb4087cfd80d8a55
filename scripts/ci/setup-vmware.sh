#!/usr/bin/env bash
# Builds VMware's vCenter simulator launcher for the VMware driver's integration tests, once:
# Debian's golang-go and govmomi source package, then `go build` of scripts/vmware/vcsim-launcher.go
# into var/vcsim/vcsim-launcher (rebuilt only when the source is newer). Idempotent.
set -euo pipefail
SETUP_TAG=setup-vmware
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$(dirname "$0")/../.."
out_dir="${VCSIM_CACHE_DIR:-var/vcsim}"
out="$out_dir/vcsim-launcher"
src=scripts/vmware/vcsim-launcher.go

need_packages golang-go golang-github-vmware-govmomi-dev

if [ -x "$out" ] && [ "$out" -nt "$src" ]; then
  log "vcsim launcher up to date: $out"
  exit 0
fi
mkdir -p "$out_dir"
build_dir="$(mktemp -d)"
trap 'rm -rf "$build_dir"' EXIT
mkdir -p "$build_dir/src/vcsimlauncher"
cp "$src" "$build_dir/src/vcsimlauncher/main.go"
# GOPATH mode against Debian's packaged sources (no module download).
gocache="${GOCACHE:-$PWD/$out_dir/gocache}"
( cd "$build_dir/src/vcsimlauncher" && GOPATH="$build_dir:/usr/share/gocode" GO111MODULE=off GOCACHE="$gocache" \
    go build -o "$OLDPWD/$out.tmp" . )
mv "$out.tmp" "$out"
log "vcsim launcher built: $out"
