#!/usr/bin/env bash
# Starts (or stops) a real Keycloak for the integration tests: the distribution the build unpacked into
# target/keycloak, in development mode (its own H2 file database, no TLS) on 127.0.0.1:PORT, with the realm
# docker/keycloak/candor-realm.json imported afresh.
#   it-keycloak.sh start PORT | await | stop
# start returns at once (Keycloak boots in the background, logging to target/keycloak/keycloak.log) so the build can
# prepare PostgreSQL and the servers meanwhile; await blocks until the realm's discovery document answers, and prints
# how long the boot took. stop also stops a Keycloak left running by a killed build (found by its pid file).
set -euo pipefail
cd "$(dirname "$0")/../../.."
action=${1:?start PORT, await or stop}
work=target/keycloak
log=$work/keycloak.log
pidfile=$work/keycloak.pid
timeout_s=${CANDOR_TEST_KC_TIMEOUT:-180}

home() { ls -d "$work"/keycloak-*/ 2>/dev/null | sort -V | tail -n 1; }
running_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  # the pid must still be a Keycloak (not a recycled number)
  grep -qa keycloak "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}
# Keycloak JVMs of this checkout whose pid file is gone (a killed build, then mvn clean): kc.sh passes the home
# directory as -Dkc.home.dir, which names this checkout's target/keycloak.
orphans() {
  local f
  for f in /proc/[0-9]*/cmdline; do
    tr '\0' '\n' < "$f" 2>/dev/null | grep -qF -- "-Dkc.home.dir=$(pwd)/$work/" && basename "$(dirname "$f")"
  done
  return 0
}
alive() { local pid; for pid; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
fail() { echo "it-keycloak: $1; the log's tail:" >&2; tail -n 40 "$log" >&2 || true; exit 1; }

stop() {
  local pids
  pids=$( { running_pid || true; orphans; } | sort -u | tr '\n' ' ')
  rm -f "$pidfile"
  [ -n "${pids// }" ] || return 0
  # shellcheck disable=SC2086 # a list of pids
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 100); do alive $pids || break; sleep 0.2; done
  alive $pids && kill -KILL $pids 2>/dev/null
  echo "it-keycloak: stopped (pid ${pids% })"
}

case "$action" in
  start)
    port=${2:?port}
    kc=$(home)
    [ -n "$kc" ] || { echo "it-keycloak: no Keycloak under $work (the build's unpack-keycloak step)" >&2; exit 1; }
    stop
    # a fresh database each time, so the realm file is imported as it is now
    rm -rf "$kc/data" && mkdir -p "$kc/data/import"
    cp docker/keycloak/candor-realm.json "$kc/data/import/"
    echo "$port" > "$work/port"
    date +%s%N > "$work/started"
    # The bootstrap admin is local to this throwaway instance on 127.0.0.1. A modest heap beside WildFly and the tests;
    # C1 only: the boot (Quarkus augmentation after every clean, and the realm import) is about a third faster on two
    # cores, and the tests ask for few tokens.
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx512m}" JAVA_OPTS_APPEND="${JAVA_OPTS_APPEND:--XX:TieredStopAtLevel=1}" \
      setsid "$kc/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" --http-enabled=true \
        --hostname-strict=false --import-realm </dev/null >"$log" 2>&1 &
    echo $! > "$pidfile"
    echo "it-keycloak: Keycloak $(basename "$kc" | sed 's/^keycloak-//') booting on 127.0.0.1:$port (log $log)"
    ;;
  await)
    port=$(cat "$work/port" 2>/dev/null) || { echo "it-keycloak: not started" >&2; exit 1; }
    url="http://127.0.0.1:$port/realms/candor/.well-known/openid-configuration"
    waiting=$(date +%s%N)
    deadline=$(( $(date +%s) + timeout_s ))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)" = 200 ]; do
      running_pid >/dev/null || fail "Keycloak exited while booting"
      [ "$(date +%s)" -lt "$deadline" ] || fail "no answer from $url within ${timeout_s} s"
      sleep 0.5
    done
    started=$(cat "$work/started")
    now=$(date +%s%N)
    echo "it-keycloak: realm candor ready at http://127.0.0.1:$port, $(( (now - started) / 1000000 )) ms after start" \
      "(this step waited $(( (now - waiting) / 1000000 )) ms)"
    ;;
  stop) stop ;;
  *) echo "usage: $0 start PORT | await | stop" >&2; exit 2 ;;
esac
