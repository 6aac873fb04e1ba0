#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian machine
# (we run as root). Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
{ command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; } || need+=(mariadb-server)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
command -v brotli >/dev/null 2>&1 || need+=(brotli)
/usr/bin/python3 -c 'import sqlalchemy' >/dev/null 2>&1 || need+=(python3-sqlalchemy)

if [ ${#need[@]} -gt 0 ]; then
  echo "deps: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The editor bundle's npm packages (CodeMirror 6 and esbuild).
if [ -f web/editor/package.json ] && [ ! -d web/editor/node_modules ]; then
  echo "deps: npm ci in web/editor"
  (cd web/editor && npm ci --no-audit --no-fund --loglevel=error)
fi
go mod download
