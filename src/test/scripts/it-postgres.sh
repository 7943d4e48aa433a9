#!/usr/bin/env bash
# Starts (or stops) a real PostgreSQL for the integration tests and prepares target/server-pg, a copy of the
# provisioned server switched to PostgreSQL by wildfly-config/configure-postgresql.cli.
#   it-postgres.sh start PORT | stop | pause | resume
# pause and resume stop and start the same cluster on the same port (a database outage, for the fault tests).
# Uses Debian's PostgreSQL, installing it with apt-get when it is missing (as root). initdb refuses to run as root,
# so as root the server runs as the 'postgres' user that the package creates.
set -euo pipefail
cd "$(dirname "$0")/../../.."
action=${1:?start PORT or stop}
data=target/pg/data
log=target/pg/postgres.log

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    port=${2:?port}
    if [ -z "$(pg_bin)" ]; then
      [ "$(id -u)" = 0 ] || { echo "PostgreSQL is not installed and this is not root: apt-get install postgresql" >&2; exit 1; }
      echo "it-postgres: installing Debian's postgresql"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    fi
    bin=$(pg_bin)
    [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf target/pg && mkdir -p target/pg
    [ "$(id -u)" = 0 ] && chown postgres target/pg
    as_pg "$bin/initdb" -D "$data" -U candor --auth=trust -E UTF8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $(pwd)/target/pg -c fsync=off" start >/dev/null
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U candor candor
    echo "$port" > target/pg/port
    echo "it-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

    rm -rf target/server-pg && cp -a target/server target/server-pg
    { echo "embed-server --server-config=standalone.xml --stability=community"; cat wildfly-config/configure-postgresql.cli; \
      echo "stop-embedded-server"; } > target/pg/configure.cli
    JBOSS_HOME=target/server-pg target/server-pg/bin/jboss-cli.sh --file=target/pg/configure.cli >target/pg/cli.log 2>&1 \
      || { cat target/pg/cli.log >&2; exit 1; }
    echo "it-postgres: target/server-pg uses PostgreSQL"
    ;;
  stop)
    bin=$(pg_bin)
    if [ -n "$bin" ] && [ -f "$data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null && echo "it-postgres: stopped"
    fi
    ;;
  pause)
    as_pg "$(pg_bin)/pg_ctl" -D "$data" status >/dev/null || exit 0
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    ;;
  resume)
    as_pg "$(pg_bin)/pg_ctl" -D "$data" status >/dev/null && exit 0
    port=$(cat target/pg/port)
    as_pg "$(pg_bin)/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $(pwd)/target/pg -c fsync=off" start >/dev/null
    ;;
  *) echo "usage: $0 start PORT | stop | pause | resume" >&2; exit 2 ;;
esac
