#!/usr/bin/env bash
# Candor agent latency benchmark (see bench/README.md): time to first token and relay cost Candor adds over the same
# local provider called directly, at 1, 50 and 200 concurrent conversations of 200 tokens. Not part of the tests.
#   bench/agent.sh [--skip-build] [--levels=1,50,200] [--tokens=200] [--token-ms=10]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
classpath_file=target/bench-classpath.txt
args=()
build=true
for arg in "$@"; do
    case "$arg" in
        --skip-build) build=false ;;
        *) args+=("$arg") ;;
    esac
done
if $build; then
    echo "building: mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath (log: target/bench-build.log)"
    mkdir -p target
    mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath \
        -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test > target/bench-build.log 2>&1 \
        || { tail -40 target/bench-build.log; exit 1; }
fi
exec java ${BENCH_CLIENT_JAVA_OPTS:--Xms512m -Xmx2g} \
    -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
    dev.candor.bench.AgentLatencyBenchmark --server=target/server --war=target/candor.war --work=target/bench \
    ${args[@]+"${args[@]}"}
