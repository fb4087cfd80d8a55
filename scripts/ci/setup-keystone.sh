#!/usr/bin/env bash
# Installs a real OpenStack Keystone (Debian 12: 2:22.0.2, Zed) for the identity integration tests, as
# root. Idempotent. The tests start their own throwaway Keystone (test/helpers/real_keystone.ts): own
# config dir, SQLite DB and port on 127.0.0.1, served by uWSGI's python3 plugin.
#   python3-keystone      keystone's code, keystone-manage and the WSGI script keystone-wsgi-public
#   uwsgi-core, uwsgi-plugin-python3   what serves the WSGI app (uwsgi --plugin python3)
# Not the `keystone` package: its postinst runs `invoke-rc.d keystone start`, which without systemd runs
# /etc/init.d/keystone and leaves a uWSGI Keystone on 0.0.0.0:5000 with no database set up.
set -euo pipefail
SETUP_TAG=setup-keystone
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_packages python3-keystone uwsgi-core uwsgi-plugin-python3
command -v keystone-manage >/dev/null || { log "python3-keystone is installed but keystone-manage is missing"; exit 1; }
/usr/bin/uwsgi --plugin python3 --version >/dev/null 2>&1 || { log "uwsgi cannot load its python3 plugin"; exit 1; }
log "ready"
