# Shared steps of the benchmark scripts (sourced, not run): each script parses its own options, then calls these.
# BENCH_MVN_ARGS adds Maven options (e.g. -o). Expects to run in the repository's root.

bench_classpath_file=target/bench-classpath.txt

# Enough file descriptors for 10,000 connections in the client JVM and as many in the server JVM.
bench_raise_file_limit() {
    local wanted=65536
    if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$wanted" ]; then
        ulimit -n "$wanted" 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    fi
    echo "ulimit -n: $(ulimit -n) (hard $(ulimit -Hn))"
}

bench_print_revision() {
    if git rev-parse --git-dir > /dev/null 2>&1; then
        echo "repository: $(git rev-parse --short HEAD), $(git status --porcelain | wc -l) changed files"
    fi
}

# bench_build true|false: builds the WAR, the provisioned server and the test classpath (unless false), then checks
# that they are there.
bench_build() {
    if "$1"; then
        echo "building: mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath (log: target/bench-build.log)"
        mkdir -p target
        if ! mvn -B -q ${BENCH_MVN_ARGS:-} -DskipTests package dependency:build-classpath \
                -Dmdep.outputFile="$bench_classpath_file" -Dmdep.includeScope=test > target/bench-build.log 2>&1; then
            tail -40 target/bench-build.log
            echo "build failed; see target/bench-build.log" >&2
            exit 1
        fi
    fi
    local needed
    for needed in target/candor.war target/server/bin/standalone.sh target/test-classes "$bench_classpath_file"; do
        [ -e "$needed" ] || { echo "$needed is missing: run without --skip-build" >&2; exit 1; }
    done
}

# The classpath of the benchmark client: the test classes, the application's classes and every test dependency.
bench_classpath() {
    echo "target/test-classes:target/classes:$(cat "$bench_classpath_file")"
}

# bench_start_postgresql: Debian's PostgreSQL on a free loopback port (src/test/scripts/it-postgres.sh, in
# target/pg), stopped when the script exits. Sets bench_pg_port.
bench_start_postgresql() {
    bench_pg_port=""
    local candidate
    for _ in $(seq 50); do
        candidate=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then # nothing answers a connect to it
            bench_pg_port=$candidate
            break
        fi
    done
    [ -n "$bench_pg_port" ] || { echo "no free port for PostgreSQL" >&2; exit 1; }
    trap 'src/test/scripts/it-postgres.sh stop || true' EXIT
    src/test/scripts/it-postgres.sh start "$bench_pg_port"
}
