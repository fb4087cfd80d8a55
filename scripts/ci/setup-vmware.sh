#!/usr/bin/env bash
# Builds VMware's vCenter simulator launcher for the VMware driver's integration tests, once:
# Debian's golang-go and govmomi source package, then `go build` of scripts/vmware/vcsim-launcher.go
# into var/vcsim/vcsim-launcher (rebuilt only when the source is newer). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
out_dir="${VCSIM_CACHE_DIR:-var/vcsim}"
out="$out_dir/vcsim-launcher"
src=scripts/vmware/vcsim-launcher.go
gocode=/usr/share/gocode/src/github.com/vmware/govmomi/simulator

if ! command -v go >/dev/null 2>&1 || [ ! -d "$gocode" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends golang-go golang-github-vmware-govmomi-dev >/dev/null
fi

if [ -x "$out" ] && [ "$out" -nt "$src" ]; then
  echo "vcsim launcher up to date: $out"
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
echo "vcsim launcher built: $out"
