#!/usr/bin/env bash
# A two-node Candor cluster for the integration tests (dev.candor.cluster.*IT), behind HAProxy, on the build's
# PostgreSQL (src/test/scripts/it-postgres.sh, which must have run: it makes target/server-pg) and a redis-server of
# its own. Everything lives under target/cluster/ (logs included) and is stopped by 'stop'.
#   it-cluster.sh start   starts Redis, both nodes at once on a new empty database, and HAProxy; returns without
#                         waiting for the nodes to be ready (the tests watch that). Environment:
#                           CLUSTER_LB_PORT, CLUSTER_STATS_PORT, CLUSTER_REDIS_PORT   ports (free ones when unset)
#                           CLUSTER_PG_PORT       the build's PostgreSQL (default: target/pg/port)
#                           CANDOR_*              handed to both nodes (the LLM, limits, leases, ...)
#                         Writes target/cluster/cluster.properties: the ports and each node's port offset.
#   it-cluster.sh kill NODE     kill -9 of node a or b (its JVM only)
#   it-cluster.sh restart NODE  starts node a or b again on the same ports and database
#   it-cluster.sh stop          stops HAProxy, both nodes and Redis (what is still running of them); safe to repeat
# HAProxy comes from Debian's package, installed with apt-get when missing (as root). Its configuration is
# src/test/scripts/haproxy-cluster.cfg, filled in through the environment.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir=target/cluster
props=$dir/cluster.properties
war=target/candor.war
home=target/server-pg

log() { echo "it-cluster: $*"; }
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 30000))
    in_use "$port" || { echo "$port"; return; }
  done
  echo "no free port found" >&2; exit 1
}
prop() { sed -n "s/^$1=//p" "$props"; }
pid_of() { [ -f "$dir/$1.pid" ] && cat "$dir/$1.pid" || true; }

# A port offset whose WildFly ports (http, https, ajp, management, transactions) are all free, and not $1.
free_offset() {
  local offset port busy
  for offset in $(seq 300 100 4900); do
    [ "$offset" = "${1:-}" ] || [ "$offset" = 1000 ] && continue # 1000: the benchmarks' server
    busy=
    for port in 8080 8443 8009 9990 9993 4712 4713; do
      in_use $((port + offset)) && { busy=1; break; }
    done
    [ -z "$busy" ] && { echo "$offset"; return; }
  done
  echo "no free port offset for a node" >&2; exit 1
}

# Stops the process in $dir/NAME.pid: SIGTERM, then SIGKILL after $2 seconds.
stop_process() {
  local name=$1 grace=$2 pid
  pid=$(pid_of "$name")
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq $((grace * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "$name (pid $pid) did not stop in ${grace}s: killing it"; kill -9 "$pid" || true; }
  fi
  rm -f "$dir/$name.pid"
}

# Starts node $1 (a or b) from its base directory; its JVM's pid goes to $dir/node-$1.pid.
start_node() {
  local node=$1 offset base pg
  offset=$(prop "node.$node.offset")
  base=$(pwd)/$dir/node-$node
  pg=$(prop pg.port)
  rm -f "$dir/node-$node.pid"
  (
    export JBOSS_HOME=$(pwd)/$home JBOSS_PIDFILE=$(pwd)/$dir/node-$node.pid LAUNCH_JBOSS_IN_BACKGROUND=1
    export JAVA_OPTS="-Xms256m -Xmx768m -Djava.net.preferIPv4Stack=true"
    export CANDOR_NODE_NAME=node-$node CANDOR_DATA_DIR=$base/candor-data
    export CANDOR_WS_TRUSTED_PROXIES=127.0.0.1  # the balancer: clients are counted by the address it forwards
    export CANDOR_REDIS_URL=redis://127.0.0.1:$(prop redis.port) CANDOR_REDIS_EMBEDDED=false
    export CANDOR_DB_URL=jdbc:postgresql://127.0.0.1:$pg/$(prop pg.database) CANDOR_DB_USER=candor CANDOR_DB_PASSWORD=candor
    setsid nohup "$JBOSS_HOME/bin/standalone.sh" --stability=community -Djboss.server.base.dir="$base" \
      -Djboss.socket.binding.port-offset="$offset" -Djboss.node.name="node-$node" \
      >>"$dir/node-$node.console.log" 2>&1 </dev/null &
  )
  for _ in $(seq 300); do [ -s "$dir/node-$node.pid" ] && break; sleep 0.1; done
  [ -s "$dir/node-$node.pid" ] || { log "node $node wrote no pid; see $dir/node-$node.console.log" >&2; exit 1; }
  log "node $node: pid $(pid_of "node-$node"), http $((8080 + offset)), management $((9990 + offset))"
}

stop_all() {
  stop_process haproxy 5
  stop_process node-a 30 &
  stop_process node-b 30 &
  wait
  stop_process redis 5
}

install_haproxy() {
  command -v haproxy >/dev/null && return
  [ "$(id -u)" = 0 ] || { echo "HAProxy is not installed and this is not root: apt-get install haproxy" >&2; exit 1; }
  log "installing Debian's haproxy"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq haproxy >/dev/null
}

redis_binary() {
  ls "$home"/candor-redis/redis-server* 2>/dev/null | head -n 1 || true
}

case "${1:?start | kill NODE | restart NODE | stop}" in
  start)
    [ -d "$home" ] || { echo "$home is missing: src/test/scripts/it-postgres.sh start PORT makes it" >&2; exit 1; }
    [ -f "$war" ] || { echo "$war is missing: mvn package first" >&2; exit 1; }
    [ -d "$dir" ] && stop_all
    install_haproxy
    rm -rf "$dir" && mkdir -p "$dir/redis"
    pg_port=${CLUSTER_PG_PORT:-$(cat target/pg/port)}
    offset_a=$(free_offset)
    offset_b=$(free_offset "$offset_a")
    cat > "$props" <<PROPS
pg.port=$pg_port
pg.database=candor_cluster
redis.port=${CLUSTER_REDIS_PORT:-$(free_port)}
lb.port=${CLUSTER_LB_PORT:-$(free_port)}
stats.port=${CLUSTER_STATS_PORT:-$(free_port)}
node.a.offset=$offset_a
node.b.offset=$offset_b
PROPS

    # A new, empty database: both nodes create the schema at once
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    "$pg_bin/dropdb" -h 127.0.0.1 -p "$pg_port" -U candor --if-exists candor_cluster
    "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U candor candor_cluster

    redis=$(redis_binary)
    [ -n "$redis" ] || redis=$(command -v redis-server) || { echo "no redis-server under $home/candor-redis" >&2; exit 1; }
    "$redis" --port "$(prop redis.port)" --bind 127.0.0.1 --dir "$(pwd)/$dir/redis" --daemonize yes \
      --pidfile "$(pwd)/$dir/redis.pid" --logfile "$(pwd)/$dir/redis/redis.log" --save '' --appendonly no
    for _ in $(seq 100); do in_use "$(prop redis.port)" && break; sleep 0.1; done
    log "redis-server on 127.0.0.1:$(prop redis.port)"

    for node in a b; do
      mkdir -p "$dir/node-$node"
      cp -a "$home/standalone/configuration" "$dir/node-$node/"
      mkdir -p "$dir/node-$node/deployments"
      cp "$war" "$dir/node-$node/deployments/"
    done
    start_node a
    start_node b

    export CANDOR_LB_BIND=127.0.0.1:$(prop lb.port) CANDOR_LB_STATS_BIND=127.0.0.1:$(prop stats.port)
    export CANDOR_NODE_A=127.0.0.1:$((8080 + offset_a)) CANDOR_NODE_A_HEALTH_PORT=$((9990 + offset_a))
    export CANDOR_NODE_B=127.0.0.1:$((8080 + offset_b)) CANDOR_NODE_B_HEALTH_PORT=$((9990 + offset_b))
    haproxy -c -q -f src/test/scripts/haproxy-cluster.cfg
    setsid nohup haproxy -db -f src/test/scripts/haproxy-cluster.cfg >"$dir/haproxy.log" 2>&1 </dev/null &
    echo $! > "$dir/haproxy.pid"
    for _ in $(seq 100); do in_use "$(prop lb.port)" && break; sleep 0.1; done
    in_use "$(prop lb.port)" || { log "HAProxy did not start; see $dir/haproxy.log" >&2; exit 1; }
    log "HAProxy $(haproxy -v | awk 'NR==1{print $3}') on 127.0.0.1:$(prop lb.port), statistics on :$(prop stats.port)"
    ;;
  kill)
    node=${2:?a or b}
    pid=$(pid_of "node-$node")
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null && log "node $node (pid $pid) killed"
    rm -f "$dir/node-$node.pid"
    ;;
  restart)
    node=${2:?a or b}
    stop_process "node-$node" 30
    start_node "$node"
    ;;
  stop)
    [ -d "$dir" ] && stop_all
    log "stopped"
    ;;
  *) echo "usage: $0 start | kill NODE | restart NODE | stop" >&2; exit 2 ;;
esac
