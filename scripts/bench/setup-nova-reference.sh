#!/usr/bin/env bash
# OpenStack Nova itself (Debian 12: Nova Zed 26.2.2, Placement 8.0.0) for the side-by-side benchmark
# (`node dist/bench/index.js nova-reference`). Run as root; NOT called by CI. Idempotent.
#
#   setup-nova-reference.sh install          Debian packages (services are NOT started by the packages)
#   setup-nova-reference.sh prepare DIR      RabbitMQ vhost, MariaDB databases, configs in DIR, db syncs, cells
#   setup-nova-reference.sh teardown DIR     drops the vhost and databases, removes DIR
#
# No systemd here: the bench module starts the services by hand from DIR (see DIR/env). Identity is
# Keystone (python3-keystone under uwsgi, installed by scripts/ci/setup-keystone.sh; config and MariaDB
# database in DIR, where test/helpers/real_keystone.ts uses SQLite for a throwaway one) checks
# the user tokens of both sides' Compute APIs; Glance (no auth, SQLite) serves the image to both. Neither
# is part of a measured control plane. Nova Zed calls Neutron even for servers booted with networks
# "none" (GET /servers/detail asks it for the servers' ports and security groups): the bench answers
# those calls with empty lists from a stand-in on NEUTRON_PORT, as there is no Neutron here. Placement is part of Nova's: nova's services reach it with
# keystoneauth's admin_token plugin and it runs noauth2 (service-to-service only).
set -euo pipefail
SETUP_TAG=setup-nova-reference
. "$(dirname "${BASH_SOURCE[0]}")/../ci/lib.sh"
APT=(apt-get -o DPkg::Lock::Timeout=900)
export DEBIAN_FRONTEND=noninteractive
PACKAGES=(nova-api nova-conductor nova-scheduler nova-compute nova-compute-kvm placement-api python3-placement glance-api)

install_packages() {
  bash "$(dirname "${BASH_SOURCE[0]}")/../ci/setup-keystone.sh"
  local missing=""
  for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -n "$missing" ] || { log "packages present"; return 0; }
  # The packages' postinst scripts call invoke-rc.d to start each service with /etc/nova/nova.conf; there
  # is no systemd here, so a sysvinit start would run real daemons against the default broker. A
  # policy-rc.d answering 101 ("action forbidden") stops that; this machine's image already has one.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  log "installing:$missing (waiting for the dpkg lock if another install runs)"
  "${APT[@]}" update -qq
  "${APT[@]}" install -y -qq --no-install-recommends $missing >/dev/null
}

# Names of everything `prepare` makes; `teardown` removes exactly these.
# novaref_ours: the vhost and database of this project's daemons in the same run.
VHOSTS=(novaref novaref_ours)
DBS=(novaref_api novaref novaref_cell0 novaref_placement novaref_keystone novaref_ours)
DB_URL=mysql+pymysql://nova:nova@127.0.0.1

mysql_root() { mysql -uroot -e "$1"; }

# prepare DIR: needs NOVA_API_PORT, PLACEMENT_PORT, GLANCE_PORT, KEYSTONE_PORT, NEUTRON_PORT (free 127.0.0.1 ports picked by the bench).
prepare() {
  local dir=$1
  : "${NOVA_API_PORT:?}" "${PLACEMENT_PORT:?}" "${GLANCE_PORT:?}" "${KEYSTONE_PORT:?}" "${NEUTRON_PORT:?}"
  mkdir -p "$dir"/{state,lock,log,images,keystone/fernet,keystone/credential}
  for v in "${VHOSTS[@]}"; do
    rabbitmqctl -q list_vhosts | grep -qx "$v" || rabbitmqctl -q add_vhost "$v"
    rabbitmqctl -q set_permissions -p "$v" guest '.*' '.*' '.*'
  done
  for db in "${DBS[@]}"; do mysql_root "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4;"; done
  # Debian's uwsgi defaults (placement 8x32 threads, nova-api 16 workers) plus conductor/scheduler workers
  # open more connections than MariaDB's default max_connections (151): placement then fails with
  # "Too many connections" and boots end in NoValidHost. Raised for the running server only.
  [ "$(mysql -uroot -Nse 'SELECT @@max_connections')" -ge 1000 ] || mysql_root "SET GLOBAL max_connections = 1000;"
  mysql_root "CREATE USER IF NOT EXISTS 'nova'@'localhost' IDENTIFIED BY 'nova'; GRANT ALL ON *.* TO 'nova'@'localhost'; CREATE USER IF NOT EXISTS 'nova'@'%' IDENTIFIED BY 'nova'; GRANT ALL ON *.* TO 'nova'@'%'; FLUSH PRIVILEGES;"

  cat > "$dir/keystone/keystone.conf" <<CONF
[DEFAULT]
log_dir = $dir/log
[database]
connection = $DB_URL/novaref_keystone
[fernet_tokens]
key_repository = $dir/keystone/fernet
[credential]
key_repository = $dir/keystone/credential
CONF
  # Connection: close as Debian's placement-api-uwsgi.ini has: uwsgi's http-socket drops idle kept-alive
  # connections, and keystonemiddleware's reuse of one then fails the request with 503.
  printf '[uwsgi]\nmaster = true\nplugins = python3\nprocesses = 2\nthreads = 1\ndie-on-term = true\nno-orphans = true\nadd-header = Connection: close\nwsgi-file = /usr/bin/keystone-wsgi-public\nhttp-socket = 127.0.0.1:%s\nlogto = %s/log/keystone.log\n' \
    "$KEYSTONE_PORT" "$dir" > "$dir/keystone-uwsgi.ini"

  # Nova: Keystone tokens (keystonemiddleware, as packaged), Nova's own fake driver, Placement reached with
  # keystoneauth's admin_token plugin (sends X-Auth-Token to a fixed endpoint: Placement's noauth2 wants one).
  cat > "$dir/nova.conf" <<CONF
[DEFAULT]
transport_url = rabbit://guest:guest@127.0.0.1:5672/novaref
compute_driver = fake.FakeDriver
host = novaref
my_ip = 127.0.0.1
state_path = $dir/state
log_dir = $dir/log
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:$KEYSTONE_PORT/v3
auth_url = http://127.0.0.1:$KEYSTONE_PORT/v3
auth_type = password
username = admin
password = admin
project_name = admin
user_domain_name = Default
project_domain_name = Default
[api_database]
connection = $DB_URL/novaref_api
[database]
connection = $DB_URL/novaref
[glance]
api_servers = http://127.0.0.1:$GLANCE_PORT
[placement]
auth_type = admin_token
endpoint = http://127.0.0.1:$PLACEMENT_PORT
token = admin:admin
[neutron]
# No Neutron here: the bench answers the calls Nova makes with networks "none" (ports and security
# groups of the listed servers: empty lists) on this port. See docs/benchmarks.md.
auth_type = admin_token
endpoint = http://127.0.0.1:$NEUTRON_PORT
token = admin:admin
endpoint_override = http://127.0.0.1:$NEUTRON_PORT
[oslo_concurrency]
lock_path = $dir/lock
[quota]
instances = -1
cores = -1
ram = -1
[wsgi]
api_paste_config = $dir/api-paste.ini
CONF
  cp /etc/nova/api-paste.ini "$dir/api-paste.ini"
  # Debian's uwsgi settings for nova-api (16 processes), less the uid/log/chdir lines, on a loopback port.
  grep -vE '^(uid|gid|logto|chdir)\b' /etc/nova/nova-api-uwsgi.ini > "$dir/nova-api-uwsgi.ini"
  printf 'http-socket = 127.0.0.1:%s\nlogto = %s/log/nova-api.log\n' "$NOVA_API_PORT" "$dir" >> "$dir/nova-api-uwsgi.ini"

  mkdir -p "$dir/placement"
  cat > "$dir/placement/placement.conf" <<CONF
[DEFAULT]
log_dir = $dir/log
[api]
auth_strategy = noauth2
[placement_database]
connection = $DB_URL/novaref_placement
CONF
  # Debian's uwsgi settings for placement-api (8 processes x 32 threads).
  grep -vE '^(uid|gid|logto|chdir)\b' /etc/placement/placement-api-uwsgi.ini > "$dir/placement-api-uwsgi.ini"
  printf 'http-socket = 127.0.0.1:%s\nlogto = %s/log/placement-api.log\n' "$PLACEMENT_PORT" "$dir" >> "$dir/placement-api-uwsgi.ini"

  # Glance (shared by both sides of the comparison, not measured): no auth, SQLite, files in DIR/images.
  cat > "$dir/glance-api.conf" <<CONF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = $GLANCE_PORT
workers = 1
log_file = $dir/log/glance-api.log
[database]
connection = sqlite:///$dir/glance.sqlite
[paste_deploy]
config_file = /etc/glance/glance-api-paste.ini
[glance_store]
stores = file
default_store = file
filesystem_store_datadir = $dir/images
CONF

  log "database schemas"
  local kconf=(--config-file "$dir/keystone/keystone.conf")
  keystone-manage "${kconf[@]}" db_sync
  keystone-manage "${kconf[@]}" fernet_setup --keystone-user root --keystone-group root
  keystone-manage "${kconf[@]}" credential_setup --keystone-user root --keystone-group root
  keystone-manage "${kconf[@]}" bootstrap --bootstrap-password admin --bootstrap-region-id RegionOne \
    --bootstrap-public-url "http://127.0.0.1:$KEYSTONE_PORT/v3" --bootstrap-internal-url "http://127.0.0.1:$KEYSTONE_PORT/v3" >/dev/null
  placement-manage --config-file "$dir/placement/placement.conf" db sync
  nova-manage --config-file "$dir/nova.conf" api_db sync
  nova-manage --config-file "$dir/nova.conf" cell_v2 map_cell0 --database_connection "$DB_URL/novaref_cell0"
  nova-manage --config-file "$dir/nova.conf" cell_v2 list_cells | grep -q ' cell1 ' || \
    nova-manage --config-file "$dir/nova.conf" cell_v2 create_cell --name cell1
  nova-manage --config-file "$dir/nova.conf" db sync
  glance-manage --config-file "$dir/glance-api.conf" db_sync >/dev/null 2>&1 || glance-manage --config-file "$dir/glance-api.conf" db_sync
  log "prepared $dir"
}

teardown() {
  local dir=$1
  for v in "${VHOSTS[@]}"; do if rabbitmqctl -q list_vhosts | grep -qx "$v"; then rabbitmqctl -q delete_vhost "$v"; fi; done
  for db in "${DBS[@]}"; do mysql_root "DROP DATABASE IF EXISTS $db;"; done
  [ -n "$dir" ] && rm -rf "$dir"
  log "torn down"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    install) install_packages ;;
    prepare) install_packages; prepare "${2:?prepare DIR}" ;;
    teardown) teardown "${2:?teardown DIR}" ;;
    *) echo "usage: $0 install | prepare DIR | teardown DIR" >&2; exit 2 ;;
  esac
fi
