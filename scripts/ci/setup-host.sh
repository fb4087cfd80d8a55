#!/usr/bin/env bash
# Installs and starts what the integration tests need on a Debian 12 host, as root. Idempotent.
set -euo pipefail
SETUP_TAG=setup-host
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_packages python3-openstackclient python3-novaclient

# Services this machine kind starts at boot; start any that stopped.
if ! pg_isready -q 2>/dev/null; then log "starting PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start; fi
if ! mysqladmin status >/dev/null 2>&1; then
  log "starting MariaDB"; start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 30); do mysqladmin status >/dev/null 2>&1 && break; sleep 1; done
fi
if ! rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
  log "starting RabbitMQ"; rabbitmq-server -detached
  for _ in $(seq 1 60); do rabbitmq-diagnostics -q ping >/dev/null 2>&1 && break; sleep 1; done
fi

# AMQP 1.0 on RabbitMQ, and a policy that removes reply and fanout queues nobody uses any more.
rabbitmq-plugins enable --quiet rabbitmq_amqp1_0 >/dev/null
rabbitmqctl -q set_policy nova-expire '^(amq\.gen-|reply_)' '{"expires":60000}' --apply-to queues >/dev/null

# Databases for the integration suites.
mysql -uroot -e "CREATE DATABASE IF NOT EXISTS nova_test CHARACTER SET utf8mb4; CREATE USER IF NOT EXISTS 'nova'@'%' IDENTIFIED BY 'nova'; CREATE USER IF NOT EXISTS 'nova'@'localhost' IDENTIFIED BY 'nova'; GRANT ALL ON *.* TO 'nova'@'%'; GRANT ALL ON *.* TO 'nova'@'localhost'; FLUSH PRIVILEGES;"
psql -U postgres -h 127.0.0.1 -tAc "SELECT 1 FROM pg_roles WHERE rolname='nova'" | grep -q 1 || psql -U postgres -h 127.0.0.1 -qc "CREATE ROLE nova LOGIN SUPERUSER PASSWORD 'nova'"
for db in nova_test nova_multihost; do
  psql -U postgres -h 127.0.0.1 -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 || psql -U postgres -h 127.0.0.1 -qc "CREATE DATABASE $db OWNER nova"
done
# Hypervisor, networking and client tooling of the later suites (each script is idempotent).
here="$(cd "$(dirname "$0")" && pwd)"
for part in libvirt network metadata consoles ec2 vmware keystone; do
  bash "$here/setup-$part.sh"
done
log "ready"
