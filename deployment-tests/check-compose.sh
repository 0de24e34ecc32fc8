#!/usr/bin/env bash
# Validates docker-compose.yml (with .env) as Compose itself reads it, without a Docker engine:
# `docker-compose config -q`, once without profiles and once with the monitoring profile.
# Installs Debian's docker-compose package when no Compose is on the PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

compose=()
if command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
else
    echo "check-compose: installing docker-compose (Debian package)" >&2
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
    compose=(docker-compose)
fi

failed=0
check() {
    local label="$1"; shift
    if "${compose[@]}" -f docker-compose.yml "$@" config -q; then
        echo "check-compose: ok   docker-compose.yml ($label)"
    else
        echo "check-compose: FAIL docker-compose.yml ($label)" >&2
        failed=1
    fi
}
check "default services"
check "profile monitoring" --profile monitoring

exit "$failed"
