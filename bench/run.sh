#!/usr/bin/env bash
# Candor WebSocket benchmark (see bench/README.md). Not part of the tests: it never fails on a missed target.
#
#   bench/run.sh [storm|steady|all] [--quick] [--skip-build] [more WebSocketBenchmark options]
#
# Builds the WAR and the provisioned server of the repository it lives in (mvn -DskipTests package), then runs
# dev.candor.bench.WebSocketBenchmark from the test classpath. Its servers use port offset 1000 (HTTP 9080,
# management 10990) in target/bench/. BENCH_MVN_ARGS adds Maven options (e.g. -o); BENCH_CLIENT_JAVA_OPTS sets the
# client JVM's options.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. bench/lib.sh

build=true
args=()
for arg in "$@"; do
    case "$arg" in
        --skip-build) build=false ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) args+=("$arg") ;;
    esac
done

bench_raise_file_limit
bench_print_revision
bench_build "$build"

exec java ${BENCH_CLIENT_JAVA_OPTS:--Xms1g -Xmx4g} \
    -cp "$(bench_classpath)" \
    dev.candor.bench.WebSocketBenchmark --server=target/server --war=target/candor.war --work=target/bench \
    ${args[@]+"${args[@]}"}
