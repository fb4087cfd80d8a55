# Shared by the setup scripts (sourced): `log` with the script's tag, and `need_packages` to install the
# Debian packages that are missing (one apt-get update only when something is missing).
log() { printf '[%s] %s\n' "${SETUP_TAG:-setup}" "$*"; }

need_packages() {
  local missing=""
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -n "$missing" ] || return 0
  log "installing:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
