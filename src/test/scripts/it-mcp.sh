#!/usr/bin/env bash
# Installs the real MCP server the integration tests connect to: @modelcontextprotocol/server-everything at the
# version src/test/mcp/package-lock.json pins (npm ci, no install scripts). Installed once per lock file into the
# npm cache directory given as $1 (so clean and offline builds reuse it), then linked as $2 (target/mcp-servers).
set -euo pipefail
cache="$1"
link="$2"
here="$(cd "$(dirname "$0")/../mcp" && pwd)"
command -v node >/dev/null || { echo "it-mcp: node (20 or newer) is needed for the MCP tests" >&2; exit 1; }
dir="$cache/mcp-servers-$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16)"
if ! [ -x "$dir/node_modules/.bin/mcp-server-everything" ]; then
  echo "it-mcp: npm ci into $dir"
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  cp "$here/package.json" "$here/package-lock.json" "$dir.partial/"
  (cd "$dir.partial" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
fi
mkdir -p "$(dirname "$link")"
ln -sfn "$dir" "$link"
echo "it-mcp: node $(node --version), server-everything $(node -p "require('$dir/node_modules/@modelcontextprotocol/server-everything/package.json').version")"
