#!/usr/bin/env bash
# Makes sure the observability tests have Debian's promtool (package prometheus), installed with apt-get when missing
# (as root). Debian's service is neither started nor enabled: only the tool is used. Prints the version it will use.
set -euo pipefail
if ! [ -x /usr/bin/promtool ]; then
  [ "$(id -u)" = 0 ] || { echo "promtool missing and this is not root: apt-get install prometheus" >&2; exit 1; }
  echo "promtool: installing Debian's prometheus"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
echo "promtool: $(/usr/bin/promtool --version 2>&1 | head -1)"
