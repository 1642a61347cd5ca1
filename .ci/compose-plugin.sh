#!/usr/bin/env bash
# Makes `docker compose` work on a machine whose only Compose is v1 (`docker-compose`, Debian 12's
# 1.29): installs a Docker CLI plugin named compose that hands its arguments to docker-compose, so
# the design card's commands (`docker compose up -d`, `docker compose run client ...`) run as typed.
# Does nothing when `docker compose` already works (Compose v2 installed). Needs root.
#
#   bash .ci/compose-plugin.sh
set -euo pipefail
if docker compose version >/dev/null 2>&1; then exit 0; fi
command -v docker-compose >/dev/null || { echo "compose-plugin: docker-compose is not installed" >&2; exit 1; }
dir=/usr/local/lib/docker/cli-plugins
mkdir -p "$dir"
cat >"$dir/docker-compose" <<'PLUGIN'
#!/bin/sh
# A Docker CLI plugin: `docker compose ARGS` runs `docker-compose ARGS` (Compose v1).
# Written by .ci/compose-plugin.sh.
if [ "${1:-}" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"byzantine-generals","Version":"v1","ShortDescription":"Docker Compose v1 (docker-compose) as docker compose"}'
  exit 0
fi
shift # the CLI passes the plugin's own name, "compose", first
exec docker-compose "$@"
PLUGIN
chmod 0755 "$dir/docker-compose"
docker compose version >&2
