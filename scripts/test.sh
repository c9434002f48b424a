#!/usr/bin/env bash
# The whole test suite: unit tests of every module, then the integration tests that need the
# real ROS tools. Installs what the tests need when it is missing (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v javac >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_apt[@]}"
  else
    echo "missing: ${need_apt[*]} (run as root or install them)" >&2; exit 1
  fi
fi

mvn -B -ntp verify
