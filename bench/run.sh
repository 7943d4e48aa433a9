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

build=true
args=()
for arg in "$@"; do
    case "$arg" in
        --skip-build) build=false ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) args+=("$arg") ;;
    esac
done

# 10,000 connections need 10,000 descriptors in the client JVM and as many in the server JVM.
wanted=65536
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$wanted" ]; then
    ulimit -n "$wanted" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
fi
echo "ulimit -n: $(ulimit -n) (hard $(ulimit -Hn))"
if git rev-parse --git-dir > /dev/null 2>&1; then
    echo "repository: $(git rev-parse --short HEAD), $(git status --porcelain | wc -l) changed files"
fi

classpath_file=target/bench-classpath.txt
if $build; then
    echo "building: mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath (log: target/bench-build.log)"
    mkdir -p target
    if ! mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath \
            -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test > target/bench-build.log 2>&1; then
        tail -40 target/bench-build.log
        echo "build failed; see target/bench-build.log" >&2
        exit 1
    fi
fi
for needed in target/candor.war target/server/bin/standalone.sh target/test-classes "$classpath_file"; do
    [ -e "$needed" ] || { echo "$needed is missing: run without --skip-build" >&2; exit 1; }
done

exec java ${BENCH_CLIENT_JAVA_OPTS:--Xms1g -Xmx4g} \
    -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
    dev.candor.bench.WebSocketBenchmark --server=target/server --war=target/candor.war --work=target/bench \
    ${args[@]+"${args[@]}"}
