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
classpath_file=target/bench-classpath.txt
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
if git rev-parse --git-dir > /dev/null 2>&1; then
    echo "repository: $(git rev-parse --short HEAD), $(git status --porcelain | wc -l) changed files"
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

server=target/server
if [ "$db" = postgresql ]; then
    # A free TCP port on 127.0.0.1: nothing answers a connect to it.
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
    server=target/server-pg
    args+=("--db=postgresql" "--db-url=jdbc:postgresql://127.0.0.1:$pg_port/candor"
        "--db-pid=$(head -n 1 target/pg/data/postmaster.pid)")
fi

status=0
java ${BENCH_CLIENT_JAVA_OPTS:--Xms512m -Xmx2g} \
    -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
    dev.candor.bench.AgentLatencyBenchmark --server="$server" --war=target/candor.war --work=target/bench \
    ${args[@]+"${args[@]}"} || status=$?
exit "$status"
