#!/usr/bin/env bash
# What a real JupyterHub needs besides the Python packages (the `hub` extra, which `make setup`
# installs with the tests): configurable-http-proxy, from npm, into this project's own prefix
#   .venv/node/node_modules/.bin/configurable-http-proxy
# with a link at .venv/bin/configurable-http-proxy, so JupyterHub's default
# `ConfigurableHTTPProxy.command = ["configurable-http-proxy"]` finds it whenever .venv/bin is on
# PATH (and tests/benchmarks point `ConfigurableHTTPProxy.command` at it by absolute path).
# No global install, no root. Idempotent: does nothing when the pinned version is already there.
# Needs Node.js and npm (Debian: apt-get install nodejs npm): 5.3.0 on Node >= 20, else 4.6.3.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
# 5.x needs Node.js >= 20; on an older Node (Debian 12 ships 18) the 4.6 line, which JupyterHub 5
# and 6 drive the same way (CHP_VERSION overrides either)
VERSION="${CHP_VERSION:-}"
PREFIX="$VENV/node"
BIN="$PREFIX/node_modules/.bin/configurable-http-proxy"

if [ ! -d "$VENV/bin" ]; then
  echo "error: $VENV/bin not found: run 'make setup' first" >&2
  exit 1
fi
for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool not found: configurable-http-proxy needs Node.js and npm (Debian: apt-get install nodejs npm)" >&2
    exit 1
  fi
done
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ -z "$VERSION" ]; then
  if [ "$major" -ge 20 ]; then VERSION=5.3.0; else VERSION=4.6.3; fi
fi
if [ "$major" -lt 12 ]; then
  echo "error: Node.js $(node --version) is too old for configurable-http-proxy (needs >= 12; 20 for 5.x)" >&2
  exit 1
fi

installed=""
if [ -x "$BIN" ]; then
  installed="$("$BIN" --version 2>/dev/null || true)"
fi
if [ "$installed" != "$VERSION" ]; then
  echo "installing configurable-http-proxy $VERSION into $PREFIX"
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --loglevel=error \
    "configurable-http-proxy@$VERSION" >/dev/null
fi
ln -sfn "$(cd "$PREFIX/node_modules/.bin" && pwd)/configurable-http-proxy" "$VENV/bin/configurable-http-proxy"
"$VENV/bin/configurable-http-proxy" --version >/dev/null
