#!/usr/bin/env bash
# Makes sure the end-to-end tests have a real headless browser: Debian's chromium and chromium-driver, installed
# with apt-get when missing (as root). Prints the versions it will use.
set -euo pipefail
if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  [ "$(id -u)" = 0 ] || { echo "chromium/chromedriver missing and this is not root: apt-get install chromium chromium-driver" >&2; exit 1; }
  echo "it-browser: installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null
fi
echo "it-browser: $(/usr/bin/chromium --version 2>/dev/null | head -1), $(/usr/bin/chromedriver --version | head -1)"
