#!/usr/bin/env bash
# Start a local PostgreSQL for Sangkhro (Debian, as root) and print its SQLAlchemy URL.
#
# Installs the Debian `postgresql` package when it is missing, starts the first cluster that
# `pg_lsclusters` lists (PostgreSQL 15 on Debian 12), and creates the role and database
# `sangkhro` (password `sangkhro`) if they do not exist yet. Safe to run again: every step is
# idempotent. The last line of output is the URL, e.g. for
#   export SANGKHRO_TEST_POSTGRES_URL="$(scripts/start_postgres.sh | tail -n 1)"
set -euo pipefail

ROLE=sangkhro
DB=sangkhro
PASSWORD=sangkhro
PORT_DEFAULT=5432

log() { echo "start_postgres: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
    log "ต้องรันด้วย root (must run as root: it starts the Debian cluster with pg_ctlcluster)"
    exit 1
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    log "ติดตั้ง PostgreSQL (installing the Debian postgresql package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi

# First cluster listed: "15 main 5432 down postgres ..."
read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -n 1) || true
if [ -z "${VERSION:-}" ]; then
    VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    log "ไม่พบคลัสเตอร์ สร้างใหม่ (no cluster: creating $VERSION/main)"
    pg_createcluster "$VERSION" main --port "$PORT_DEFAULT" >&2
    read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters --no-header | head -n 1)
fi

if [ "$STATUS" != "online" ]; then
    log "เริ่มคลัสเตอร์ $VERSION/$CLUSTER (starting cluster on port $PORT)"
    pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi

for _ in $(seq 1 30); do
    if su postgres -c "psql -p $PORT -tAc 'select 1'" >/dev/null 2>&1; then
        break
    fi
    sleep 1
done

psql_admin() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -tAc \"$1\""; }

if [ "$(psql_admin "select 1 from pg_roles where rolname = '$ROLE'")" != "1" ]; then
    psql_admin "create role $ROLE login password '$PASSWORD'" >&2
else
    psql_admin "alter role $ROLE login password '$PASSWORD'" >&2
fi
if [ "$(psql_admin "select 1 from pg_database where datname = '$DB'")" != "1" ]; then
    psql_admin "create database $DB owner $ROLE encoding 'UTF8' template template0" >&2
fi

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
