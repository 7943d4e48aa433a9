#!/usr/bin/env bash
# Candor agent latency benchmark (see bench/README.md): time to first token, relay rate and server CPU per token that
# Candor adds over the same local provider stand-in called directly, at 1, 50, 200 and 400 concurrent conversations.
# Not part of the tests: a missed target is printed as MISS and never fails the exit code.
#   bench/agent.sh [--skip-build] [--db=h2|postgresql] [--levels=1,50,200,400] [--tokens=200] [--token-ms=10]
#                  [--samples=20] [--server-java-opts="..."] [--jfr]
# It starts a WildFly on port offset 1000: run it as  flock /tmp/candor-it.lock bench/agent.sh ...  on a shared machine.
# --db=postgresql starts Debian's PostgreSQL with src/test/scripts/it-postgres.sh (target/pg, and target/server-pg
# switched to it by wildfly-config/configure-postgresql.cli) and stops it at the end.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. bench/lib.sh
args=()
build=true
db=h2
for arg in "$@"; do
    case "$arg" in
        --skip-build) build=false ;;
        --db=*) db="${arg#--db=}" ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) args+=("$arg") ;;
    esac
done
case "$db" in
    h2|postgresql) ;;
    *) echo "--db=$db: expected h2 or postgresql" >&2; exit 2 ;;
esac
bench_print_revision
bench_build "$build"

server=target/server
if [ "$db" = postgresql ]; then
    bench_start_postgresql
    server=target/server-pg
    args+=("--db=postgresql" "--db-url=jdbc:postgresql://127.0.0.1:$bench_pg_port/candor"
        "--db-pid=$(head -n 1 target/pg/data/postmaster.pid)")
fi

status=0
java ${BENCH_CLIENT_JAVA_OPTS:--Xms512m -Xmx2g} \
    -cp "$(bench_classpath)" \
    dev.candor.bench.AgentLatencyBenchmark --server="$server" --war=target/candor.war --work=target/bench \
    ${args[@]+"${args[@]}"} || status=$?
exit "$status"
