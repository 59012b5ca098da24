#!/usr/bin/env bash
# Installs the Debian packages the portal needs, when they are missing.
#   scripts/system-deps.sh run    what `make run` needs (WeasyPrint's libraries)
#   scripts/system-deps.sh test   plus PostgreSQL, Redis and Chromium's headless shell for `make test`
#   scripts/system-deps.sh bench  plus wrk, the load generator of `make bench`
#   scripts/system-deps.sh deploy plus nginx, in front of two web servers in `make deploy-check`
# As root it installs them with apt-get; otherwise it says what to install and stops.
set -euo pipefail

need=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation)
if [ "${1:-run}" != "run" ]; then
  need+=(postgresql redis-server chromium-headless-shell)
fi
if [ "${1:-run}" = "bench" ]; then
  need+=(wrk)
fi
if [ "${1:-run}" = "deploy" ]; then
  need+=(nginx-light)
fi

missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "These system packages are missing: ${missing[*]}" >&2
  echo "Install them (on Debian or Ubuntu: sudo apt-get install ${missing[*]}) and run make again." >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the services it installs; the tests start their own throwaway ones.
if command -v service >/dev/null; then
  service redis-server stop >/dev/null 2>&1 || true
  service postgresql stop >/dev/null 2>&1 || true
  service nginx stop >/dev/null 2>&1 || true
fi
