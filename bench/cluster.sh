#!/usr/bin/env bash
# Candor two-node benchmark (see bench/README.md, "Two nodes"): two WildFly nodes behind HAProxy on one PostgreSQL
# and one Redis. A storm through the balancer while Redis is down, then relay throughput with 2 nodes against 1.
# Not part of the tests: it never fails on a missed target.
#
#   bench/cluster.sh [--skip-build] [--clients=2000] [--conversations=200] [--tokens=200] [--token-ms=10] [--rounds=3]
#
# Nodes on port offsets 1000 and 1100 (HTTP 9080 and 9180); run it as `flock /tmp/candor-it.lock bench/cluster.sh`
# on a machine shared with other work. Installs Debian's haproxy and postgresql with apt-get when missing (as root).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
. bench/lib.sh
build=true
args=()
for arg in "$@"; do
    case "$arg" in
        --skip-build) build=false ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) args+=("$arg") ;;
    esac
done

bench_raise_file_limit
bench_print_revision
if ! [ -x /usr/sbin/haproxy ]; then
    [ "$(id -u)" = 0 ] || { echo "HAProxy is not installed and this is not root: apt-get install haproxy" >&2; exit 1; }
    echo "installing Debian's haproxy"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
bench_build "$build"
bench_start_postgresql

status=0
java ${BENCH_CLIENT_JAVA_OPTS:--Xms1g -Xmx3g} \
    -cp "$(bench_classpath)" \
    dev.candor.bench.ClusterBenchmark --server=target/server-pg --war=target/candor.war --work=target/bench \
    "--db-url=jdbc:postgresql://127.0.0.1:$bench_pg_port/candor" ${args[@]+"${args[@]}"} || status=$?
exit "$status"
