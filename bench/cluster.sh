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
classpath_file=target/bench-classpath.txt
build=true
args=()
for arg in "$@"; do
    case "$arg" in
        --skip-build) build=false ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) args+=("$arg") ;;
    esac
done

wanted=65536
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$wanted" ]; then
    ulimit -n "$wanted" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
echo "ulimit -n: $(ulimit -n) (hard $(ulimit -Hn))"
if git rev-parse --git-dir > /dev/null 2>&1; then
    echo "repository: $(git rev-parse --short HEAD), $(git status --porcelain | wc -l) changed files"
fi
if ! [ -x /usr/sbin/haproxy ]; then
    [ "$(id -u)" = 0 ] || { echo "HAProxy is not installed and this is not root: apt-get install haproxy" >&2; exit 1; }
    echo "installing Debian's haproxy"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
fi
if $build; then
    echo "building: mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath (log: target/bench-build.log)"
    mkdir -p target
    mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test > target/bench-build.log 2>&1 \
        || { tail -40 target/bench-build.log; exit 1; }
fi
for needed in target/candor.war target/server/bin/standalone.sh target/test-classes "$classpath_file"; do
    [ -e "$needed" ] || { echo "$needed is missing: run without --skip-build" >&2; exit 1; }
done

pg_port=""
for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        pg_port=$candidate
        break
    fi
done
[ -n "$pg_port" ] || { echo "no free port for PostgreSQL" >&2; exit 1; }
trap 'src/test/scripts/it-postgres.sh stop || true' EXIT
src/test/scripts/it-postgres.sh start "$pg_port"

status=0
java ${BENCH_CLIENT_JAVA_OPTS:--Xms1g -Xmx3g} \
    -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
    dev.candor.bench.ClusterBenchmark --server=target/server-pg --war=target/candor.war --work=target/bench \
    "--db-url=jdbc:postgresql://127.0.0.1:$pg_port/candor" ${args[@]+"${args[@]}"} || status=$?
exit "$status"
