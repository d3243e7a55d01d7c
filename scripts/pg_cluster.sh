#!/usr/bin/env bash
# A throwaway Postgres cluster for tests: loopback only, its own data dir, removed on stop.
#
#   scripts/pg_cluster.sh run -- CMD ...   start a cluster, run CMD with DRILLDOWN_PG_* set, always stop + remove it
#   scripts/pg_cluster.sh start [DIR]      start one in DIR (default: a new temp dir); prints `export ...` lines
#   scripts/pg_cluster.sh stop DIR         stop it and remove DIR
#
# Uses Debian's postgresql server binaries (/usr/lib/postgresql/<version>/bin); installs the package with
# apt-get when they are absent and we are root. Postgres refuses to run as root, so as root the cluster is
# owned by and run as the `postgres` system user (created by the package). Inside the cluster: database
# `drilldown` owned by login user `drilldown` (password `drilldown`, may create databases: the pytest uses
# scratch databases) and the NOLOGIN role `reporting` that the marts are granted to.
# Port: DRILLDOWN_PG_PORT if set, else the first free one from 55432.
set -euo pipefail

PG_USER=drilldown
PG_PASSWORD=drilldown
PG_DATABASE=drilldown
REPORTING_ROLE=reporting

log() { echo "pg_cluster: $*" >&2; }

find_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
        echo "$dir"
    fi
}

ensure_server() {
    local bindir
    bindir=$(find_bindir)
    if [[ -z "$bindir" ]]; then
        if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
            log "postgres server binaries not found: installing Debian's postgresql package"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq >&2
            apt-get install -y -qq --no-install-recommends postgresql >&2
            bindir=$(find_bindir)
        fi
    fi
    if [[ -z "$bindir" ]]; then
        log "no postgres server found (/usr/lib/postgresql/*/bin/initdb); install Debian's postgresql package"
        exit 1
    fi
    echo "$bindir"
}

# Run a command as the cluster owner: ourselves, or the postgres system user when we are root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    if [[ -n "${DRILLDOWN_PG_PORT:-}" ]]; then
        echo "$DRILLDOWN_PG_PORT"
        return
    fi
    local port
    for port in $(seq 55432 55499); do
        if port_is_free "$port"; then
            echo "$port"
            return
        fi
    done
    log "no free port in 55432-55499"
    exit 1
}

start() {
    local dir=${1:-} bindir port
    bindir=$(ensure_server)
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    if [[ -z "$dir" ]]; then
        dir=$(mktemp -d "${TMPDIR:-/tmp}/drilldown-pg.XXXXXX")
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ -e "$dir/data" ]]; then
        log "$dir/data exists: stop the old cluster first (scripts/pg_cluster.sh stop $dir)"
        exit 1
    fi
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$dir"
        chmod 700 "$dir"
    fi
    port=$(pick_port)
    local pwfile="$dir/superuser.pw"
    as_owner bash -c "umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > '$pwfile'"
    log "initdb $dir/data (postgres $(basename "$(dirname "$bindir")"), port $port)"
    as_owner "$bindir/initdb" --pgdata="$dir/data" --username=postgres --pwfile="$pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    # Loopback TCP only; the unix socket lives in the cluster dir, not in /var/run/postgresql.
    as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start >/dev/null ||
        { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    PGPASSWORD=$(cat "$pwfile") psql --quiet --no-psqlrc --set ON_ERROR_STOP=1 \
        --host=127.0.0.1 --port="$port" --username=postgres --dbname=postgres >/dev/null <<SQL
create role $PG_USER login createdb password '$PG_PASSWORD';
create role $REPORTING_ROLE nologin;
create database $PG_DATABASE owner $PG_USER;
SQL
    log "ready: postgresql://$PG_USER@127.0.0.1:$port/$PG_DATABASE (dir $dir)"
    cat <<ENV
export DRILLDOWN_PG_HOST=127.0.0.1
export DRILLDOWN_PG_PORT=$port
export DRILLDOWN_PG_USER=$PG_USER
export DRILLDOWN_PG_PASSWORD=$PG_PASSWORD
export DRILLDOWN_PG_DATABASE=$PG_DATABASE
export DRILLDOWN_PG_CLUSTER_DIR=$dir
ENV
}

stop() {
    local dir=${1:?usage: pg_cluster.sh stop DIR}
    local bindir
    bindir=$(find_bindir)
    if [[ -n "$bindir" && -f "$dir/data/postmaster.pid" ]]; then
        as_owner "$bindir/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null ||
            log "pg_ctl stop failed (see $dir/server.log)"
    fi
    # Only ever remove a directory this script made (it holds our data dir marker files).
    if [[ -f "$dir/port" || -f "$dir/superuser.pw" ]]; then
        rm -rf "$dir"
        log "stopped and removed $dir"
    fi
}

run() {
    [[ "${1:-}" == "--" ]] && shift
    [[ $# -gt 0 ]] || { log "usage: pg_cluster.sh run -- CMD ..."; exit 2; }
    local env_lines
    env_lines=$(start)
    eval "$env_lines"
    trap 'stop "$DRILLDOWN_PG_CLUSTER_DIR"' EXIT
    trap 'exit 130' INT TERM
    "$@"
}

command=${1:-}
shift || true
case "$command" in
    start) start "$@" ;;
    stop) stop "$@" ;;
    run) run "$@" ;;
    *)
        echo "usage: $0 run -- CMD ... | start [DIR] | stop DIR" >&2
        exit 2
        ;;
esac
